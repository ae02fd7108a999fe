// The block checks run over the resolved tree a slice of blocks at a time: each check looks at a
// block alone, so running every check on one slice before the next gives each check's problems in
// the order that running it over the whole tree gives, while the slice's fields and values are still
// in the processor's cache (on a large net, a pass per check over every block reads the whole tree
// from memory again each time). An analysis made for one version hands the slices over as the
// resolver makes them (resolve.ts, ResolvedBlocksSink), right after it read the same fields.

import type { ResolvedBlock } from '../model/resolve';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { Check, CheckContext } from './context';

/** Blocks per slice: about a hundred kilobytes of tree on a real net. */
export const BLOCKS_PER_SLICE = 128;

/** Each check's problems, gathered slice after slice. */
export class SlicedBlockChecks {
  /** Each check's problems, in the order of `checks`; undefined once a check has failed. */
  found: AnalysisDiagnostic[][] | undefined;
  private readonly reports: ((d: AnalysisDiagnostic) => void)[];

  constructor(private readonly checks: readonly Check[]) {
    const found: AnalysisDiagnostic[][] = checks.map(() => []);
    this.found = found;
    this.reports = found.map((list) => (d: AnalysisDiagnostic) => {
      list.push(d);
    });
  }

  /** Runs every check on `slice` (blocks of `ctx`'s tree, after those of earlier slices). */
  run(ctx: CheckContext, slice: readonly ResolvedBlock[]): void {
    if (this.found === undefined) return;
    const checks = this.checks;
    try {
      for (let c = 0; c < checks.length; c++) checks[c]({ ...ctx, blocks: slice, report: this.reports[c] });
    } catch {
      // The analysis runs each check on its own instead, which reports the failure.
      this.found = undefined;
    }
  }
}
