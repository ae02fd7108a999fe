// One fork field given in every layer of a net (NVIDIA Caffe's scale_bias in each of an Inception's
// BatchNorm layers, a BN fork's bn_param in each of a ResNet's), or one layer type BVLC lacks used
// layer after layer (a BN fork's BN), is one cause: said once, at its first place, with the other
// places as related locations, rather than once per layer. So is engine: CUDNN set in layer after layer.

import type { AnalysisDiagnostic } from '../diagnostic';
import { CUDNN_ENGINE_CODE } from './cudnn-engine';

/** A message given this many times or more in a document is said once. */
const FOLD_FROM = 3;
/** The related locations listed for the other places. */
const MAX_RELATED = 100;

/** A fork's field (with a fork to choose, or another Caffe's), or a layer type BVLC lacks: one cause however often met. */
function folds(d: AnalysisDiagnostic): boolean {
  return d.severity !== 'error' && (d.code === 'unknown-layer-type' || d.code === 'fork-field');
}

/** `diagnostics` with each such warning repeated word for word folded into its first (in place). */
export function foldRepeatedForkFields(diagnostics: AnalysisDiagnostic[]): void {
  foldRepeats(diagnostics, folds);
  // engine: CUDNN set layer after layer (DispNet's every convolution) is one choice, said once; each
  // message names its own layer, so they are told apart by code alone.
  foldRepeats(
    diagnostics,
    (d) => d.code === CUDNN_ENGINE_CODE && d.severity === 'information',
    (d) => d.code,
  );
}

/**
 * `diagnostics` with each one `fold` picks repeated word for word (three times or more) folded into
 * its first, the others its related locations (in place).
 */
export function foldRepeats(
  diagnostics: AnalysisDiagnostic[],
  fold: (d: AnalysisDiagnostic) => boolean,
  /** What makes two of them the same cause: their message, unless told otherwise. */
  keyOf: (d: AnalysisDiagnostic) => string = (d) => d.message,
): void {
  let byMessage: Map<string, number[]> | undefined;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    if (!fold(d)) continue;
    byMessage ??= new Map();
    const key = keyOf(d);
    const at = byMessage.get(key);
    if (at) at.push(i);
    else byMessage.set(key, [i]);
  }
  let folded: Set<number> | undefined;
  for (const at of byMessage?.values() ?? []) {
    if (at.length < FOLD_FROM) continue;
    at.sort((a, b) => diagnostics[a].start - diagnostics[b].start);
    const [first, ...rest] = at;
    const d = diagnostics[first];
    diagnostics[first] = {
      ...d,
      message: `${d.message} The same holds at ${rest.length} more places in this file (related locations).`,
      related: [
        ...(d.related ?? []),
        ...rest.slice(0, MAX_RELATED).map((i) => ({
          start: diagnostics[i].start,
          end: diagnostics[i].end,
          message: 'here too',
        })),
      ],
    };
    folded ??= new Set();
    for (const i of rest) folded.add(i);
  }
  if (folded === undefined) return;
  const removed = folded;
  let kept = 0;
  for (let i = 0; i < diagnostics.length; i++) if (!removed.has(i)) diagnostics[kept++] = diagnostics[i];
  diagnostics.length = kept;
}
