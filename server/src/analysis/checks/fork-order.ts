// Which fork a warning about a fork's field names first, decided by the whole document. A field that
// several forks define (an ImageData's `label_type` is PSPNet's, DeepLab's and DeconvNet's) is
// checked by its own block alone (block-results.ts takes such results over from version to version),
// so it lists its forks in the bundled order; the document's other fork warnings then say which of
// them the file is written for (a DeconvNet net's BN layers and bn_param name DeconvNet only), and
// that fork is named first, in the message and as the preferred quick fix.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { ForkSchema } from '../model/resolve';
import { forksCredited } from '../../schema/merging-forks';
import { forkFixFor } from './context';

/**
 * `diagnostics` with each one that names several forks reordered: the forks the document's fork
 * warnings name most often first, ties in the order given. Changed diagnostics are new objects (the
 * ones given may be shared with an earlier version's results); the list is changed in place.
 */
export function preferDocumentForks(diagnostics: AnalysisDiagnostic[], forks: readonly ForkSchema[]): void {
  let score: Map<string, number> | undefined;
  let ambiguous = false;
  for (const d of diagnostics) {
    if (d.forks === undefined) continue;
    score ??= new Map();
    // A fork that carries others' layers counts only for what no other fork explains.
    for (const f of forksCredited(d.forks)) score.set(f, (score.get(f) ?? 0) + 1);
    if (d.forks.length > 1) ambiguous = true;
  }
  if (score === undefined || !ambiguous) return;
  const counts = score;
  const labelOf = (name: string) => forks.find((f) => f.name === name)?.label ?? name;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    if (d.forks === undefined || d.forks.length < 2) continue;
    const order = d.forks
      .map((name, at) => ({ name, at, count: counts.get(name) ?? 0 }))
      .sort((a, b) => b.count - a.count || a.at - b.at)
      .map((f) => f.name);
    if (order.every((name, at) => name === d.forks?.[at])) continue;
    const said = forkFixFor(d.forks.map(labelOf));
    // Only a message that starts with the fix is reworded (every fork warning does).
    if (!d.message.startsWith(said)) continue;
    diagnostics[i] = {
      ...d,
      forks: order,
      message: forkFixFor(order.map(labelOf)) + d.message.slice(said.length),
    };
  }
}
