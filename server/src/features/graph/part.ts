// Which part of a graph too large to lay out whole is built and shown: a run of consecutive nodes in
// net order around the one asked for, and the note that says what is shown and how to see the rest.

import type { GraphPart } from '../../../../common/graph/types';
import { grouped } from '../../../../common/numbers';

/** Nodes [first, end) of `total`: all of them when they fit, else `max` with `anchor` in the middle. */
export function partAround(total: number, anchor: number, max: number): { first: number; end: number } {
  if (total <= max) return { first: 0, end: total };
  const size = Math.max(1, Math.floor(max));
  const first = Math.min(Math.max(0, anchor - Math.floor(size / 2)), total - size);
  return { first, end: first + size };
}

const count = (n: number) => grouped(n);

/** What the graph shows of the net, for the banner above it and the CLI's standard error. */
export function partNote(part: GraphPart, phase: string, howToChoose: string): string {
  const from = part.first + 1;
  const to = part.first + part.shown;
  const where =
    part.first === 0 ? `its first ${count(part.shown)} nodes` : `nodes ${count(from)}-${count(to)}`;
  return (
    `This net has ${count(part.total)} nodes in ${phase}: too large to lay out whole, so the graph shows ` +
    `${where} (from ${part.firstName} to ${part.lastName}); the totals are of the whole net. ${howToChoose}`
  );
}
