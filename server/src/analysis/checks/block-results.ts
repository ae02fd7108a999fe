// The block checks' problems per top-level field, for the next version to take over: a keystroke
// changes one layer, and every other top-level field whose text is the same has the same problems
// (moved with the field) without the checks looking at its blocks again.
//
// A block check reports for one block at a time what its fields, their definitions and the schema
// make of it: the problems of the blocks inside a top-level field lie within that field and depend on
// its text and on the definition it resolves to (the top message's field of its name). As for the
// shape rules' results (shapes/rule-results.ts), that holds in a tree parsed without problems, the
// text is known to be the same from where the edit changed it, and only the previous version's
// results are consulted. The document's own block (the top-level fields themselves) is checked anew
// on every version.

import type { DocumentNode, FieldNode } from '../../parser/ast';
import type { MessageDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { startBefore, type ChangedRegion } from '../../util/text-change';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { ForkSchema, ResolvedBlock } from '../model/resolve';
import type { Check, CheckContext } from './context';

/** The problems of one top-level field's blocks: one list per block check, offsets from its start. */
interface Kept {
  length: number;
  problems: readonly (readonly AnalysisDiagnostic[])[] | undefined;
}

/** What a tree is resolved with: the top message's definition, the schema and the forks. */
export interface Resolution {
  top: MessageDef | undefined;
  schema: Schema;
  forks: readonly ForkSchema[];
}

export class BlockResults {
  /** Kept by the offset their top-level field starts at. */
  private readonly made = new Map<number, Kept>();
  /** The previous version's results, and what changed since (undefined when nothing did). */
  private readonly earlier?: { made: ReadonlyMap<number, Kept>; change: ChangedRegion | undefined };
  /** False when the tree has syntax problems: nothing is kept or looked up. */
  private readonly usable: boolean;

  /**
   * `resolvedBy`: what the tree was resolved with; `previous`: the results of the document's version
   * before this one, when they are known, and what the edit changed since.
   */
  constructor(
    ast: DocumentNode,
    private readonly resolvedBy: Resolution,
    previous?: { results?: BlockResults; change: ChangedRegion | undefined },
  ) {
    this.usable = ast.errors.length === 0;
    const before = previous?.results;
    if (this.usable && before?.usable && sameResolution(before.resolvedBy, resolvedBy))
      this.earlier = { made: before.made, change: previous?.change };
  }

  /**
   * Runs `checks` (each over blocks only) on `ctx`'s resolved tree, taking over what the previous
   * version found for the top-level fields the edit left as they were; returns each check's problems
   * in the order it reports them over the whole tree.
   */
  run(ctx: CheckContext, checks: readonly Check[]): AnalysisDiagnostic[][] {
    const blocks = ctx.resolved.blocks;
    const document = blocks[0]?.node === ctx.ast ? blocks[0] : undefined;
    const fields = ctx.ast.fields;
    const segments = segmentsOf(blocks, fields, document ? 1 : 0);
    // Per top-level field: what the previous version found, or undefined to look at its blocks.
    const taken: (Kept | undefined)[] = [];
    const toCheck: ResolvedBlock[] = [];
    for (let i = 0; i < fields.length; i++) {
      const kept = this.takenOver(fields[i]);
      taken.push(kept);
      if (kept === undefined) for (let b = segments[i]; b < segments[i + 1]; b++) toCheck.push(blocks[b]);
    }
    // The document's block first, as the checks' walk of the whole tree has it, then the others.
    const out: AnalysisDiagnostic[][] = [];
    const found: AnalysisDiagnostic[][] = [];
    for (const check of checks) {
      const own: AnalysisDiagnostic[] = [];
      const rest: AnalysisDiagnostic[] = [];
      if (document) check({ ...ctx, blocks: [document], report: (d) => own.push(d) });
      if (toCheck.length > 0) check({ ...ctx, blocks: toCheck, report: (d) => rest.push(d) });
      out.push(own);
      found.push(rest);
    }
    // The new problems by the top-level field they lie in, then every field's in field order.
    const fresh = byField(fields, found);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const kept = taken[i] ?? this.kept(field, fresh.get(i));
      if (this.usable) this.made.set(field.start, kept);
      kept.problems?.forEach((list, c) => {
        for (const p of list) out[c].push(moved(p, field.start));
      });
    }
    return out;
  }

  /** What the previous version found for `field`, when the edit left it as it was. */
  private takenOver(field: FieldNode): Kept | undefined {
    if (!this.earlier) return undefined;
    const was = startBefore(this.earlier.change, field.start, field.end);
    const kept = was === undefined ? undefined : this.earlier.made.get(was);
    return kept && kept.length === field.end - field.start ? kept : undefined;
  }

  private kept(field: FieldNode, found: readonly (readonly AnalysisDiagnostic[])[] | undefined): Kept {
    const length = field.end - field.start;
    if (found === undefined) return { length, problems: undefined };
    return { length, problems: found.map((list) => list.map((p) => moved(p, -field.start))) };
  }
}

function sameResolution(a: Resolution, b: Resolution): boolean {
  return (
    a.top === b.top &&
    a.schema === b.schema &&
    a.forks.length === b.forks.length &&
    a.forks.every((f, i) => f.schema === b.forks[i].schema)
  );
}

/**
 * Where each top-level field's blocks start among `blocks` (one past the last at the end): the
 * walk lists a field's blocks together, after the blocks of the fields before it.
 */
function segmentsOf(blocks: readonly ResolvedBlock[], fields: readonly FieldNode[], first: number): number[] {
  const starts: number[] = [];
  let b = first;
  for (const field of fields) {
    starts.push(b);
    while (b < blocks.length && blocks[b].node.start < field.end) b++;
  }
  starts.push(blocks.length);
  return starts;
}

/** Each check's problems grouped by the top-level field they lie in: index -> one list per check. */
function byField(
  fields: readonly FieldNode[],
  found: readonly (readonly AnalysisDiagnostic[])[],
): Map<number, AnalysisDiagnostic[][]> {
  const out = new Map<number, AnalysisDiagnostic[][]>();
  found.forEach((list, c) => {
    for (const p of list) {
      const i = fieldAt(fields, p.start);
      let lists = out.get(i);
      if (!lists) out.set(i, (lists = found.map(() => [])));
      lists[c].push(p);
    }
  });
  return out;
}

/** The index of the last top-level field starting at or before `offset`. */
function fieldAt(fields: readonly FieldNode[], offset: number): number {
  let lo = 0;
  let hi = fields.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fields[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** `p` with its offsets (and its related locations') moved by `by`. */
function moved(p: AnalysisDiagnostic, by: number): AnalysisDiagnostic {
  const out = { ...p, start: p.start + by, end: p.end + by };
  if (p.related) out.related = p.related.map((r) => ({ ...r, start: r.start + by, end: r.end + by }));
  return out;
}
