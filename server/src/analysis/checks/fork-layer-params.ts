// One warning for one cause on a fork's layer. Under the bundled schema an SSD net's Permute layer
// is a type BVLC lacks (unknown-layer-type) and its permute_param a block BVLC lacks (fork-field):
// both are fixed by the same choice of schema, so the block's warning only doubles the Problems
// panel. It is dropped when choosing any fork the type's warning names also makes the block known;
// a block that says more (bn_mode narrows a BN layer down to SegNet) keeps its warning.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetModel } from '../model/net';
import { PARAMS_BY_TYPE } from './layers';

/** `diagnostics` without the fork-field warnings a fork layer type's warning already covers (in place). */
export function dropCoveredForkParams(diagnostics: AnalysisDiagnostic[], nets: readonly NetModel[]): void {
  let typeForks: Map<number, readonly string[]> | undefined;
  let hasParams = false;
  for (const d of diagnostics) {
    if (d.code === 'unknown-layer-type' && d.forks !== undefined && d.forks.length > 0)
      (typeForks ??= new Map()).set(d.start, d.forks);
    else if (d.code === 'fork-field') hasParams = true;
  }
  if (typeForks === undefined || !hasParams) return;
  // Where each covered block's name starts: the forks its layer's type warning names.
  const covering = new Map<number, readonly string[]>();
  for (const net of nets) {
    for (let li = 0; li < net.layers.length; li++) {
      const layer = net.layers[li];
      const forks = layer.typeSpan && typeForks.get(layer.typeSpan.start);
      const params = forks && layer.body ? PARAMS_BY_TYPE.get(layer.type) : undefined;
      if (!forks || !params || !layer.body) continue;
      for (const field of layer.body.fields)
        if (params.has(field.name)) covering.set(field.nameSpan.start, forks);
    }
  }
  if (covering.size === 0) return;
  let kept = 0;
  for (const d of diagnostics) {
    const forks = d.code === 'fork-field' ? covering.get(d.start) : undefined;
    const covered = forks !== undefined && forks.every((f) => d.forks?.includes(f) === true);
    if (!covered) diagnostics[kept++] = d;
  }
  diagnostics.length = kept;
}
