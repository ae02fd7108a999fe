// The block checks run over the resolved tree a slice of blocks at a time: each check looks at a
// block alone, so running every check on one slice before the next gives each check's problems in
// the order that running it over the whole tree gives, while the slice's fields and values are still
// in the processor's cache (on a large net, a pass per check over every block reads the whole tree
// from memory again each time).

import type { AnalysisDiagnostic } from '../diagnostic';
import type { Check, CheckContext } from './context';

/** Blocks per slice: about a hundred kilobytes of tree on a real net. */
export const BLOCKS_PER_SLICE = 128;

/** Each check's problems over `ctx.blocks`, in the order it reports them, as `checks` are given. */
export function runBlockChecksInSlices(
  ctx: CheckContext,
  checks: readonly Check[],
  perSlice = BLOCKS_PER_SLICE,
): AnalysisDiagnostic[][] {
  const out: AnalysisDiagnostic[][] = checks.map(() => []);
  const contexts = out.map((list) => ({
    ...ctx,
    report: (d: AnalysisDiagnostic) => {
      list.push(d);
    },
  }));
  const blocks = ctx.blocks;
  for (let from = 0; from < blocks.length; from += perSlice) {
    const slice = blocks.slice(from, from + perSlice);
    for (let c = 0; c < checks.length; c++) {
      contexts[c].blocks = slice;
      checks[c](contexts[c]);
    }
  }
  return out;
}
