// One warning for one cause on a fork's layer. Under the bundled schema an SSD net's Permute layer
// is a type BVLC lacks (unknown-layer-type) and its permute_param a block BVLC lacks (fork-field),
// as are the resize_param and distort_param of an AnnotatedData layer's transform_param: all are
// fixed by the same choice of schema, so the fields' warnings only fill the Problems panel. A
// fork-field warning inside such a layer is dropped when choosing any fork the type's warning names
// also makes the field known; a field that says more (bn_mode narrows a BN layer down to SegNet)
// keeps its warning.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetModel } from '../model/net';

interface CoveredLayer {
  start: number;
  end: number;
  /** Where the layer's type warning starts. */
  typeStart: number;
  /** The forks the layer's type warning names. */
  forks: readonly string[];
}

/**
 * `diagnostics` without the fork-field warnings a fork layer type's warning already covers (in
 * place); returns those left out (shown when the type warnings are ignored by the settings).
 */
export function dropCoveredForkFields(
  diagnostics: AnalysisDiagnostic[],
  nets: readonly NetModel[],
): AnalysisDiagnostic[] {
  let typeForks: Map<number, readonly string[]> | undefined;
  let hasFields = false;
  for (const d of diagnostics) {
    if (d.code === 'unknown-layer-type' && d.forks !== undefined && d.forks.length > 0)
      (typeForks ??= new Map()).set(d.start, d.forks);
    else if (d.code === 'fork-field') hasFields = true;
  }
  if (typeForks === undefined || !hasFields) return [];
  const layers: CoveredLayer[] = [];
  for (const net of nets) {
    for (let li = 0; li < net.layers.length; li++) {
      const layer = net.layers[li];
      const forks = layer.typeSpan && typeForks.get(layer.typeSpan.start);
      if (forks && layer.typeSpan)
        layers.push({ start: layer.node.start, end: layer.node.end, typeStart: layer.typeSpan.start, forks });
    }
  }
  if (layers.length === 0) return [];
  // Layers do not overlap (a solver's nets are apart too): the one a field is in starts last before it.
  layers.sort((a, b) => a.start - b.start);
  const layerAt = (offset: number): CoveredLayer | undefined => {
    let lo = 0;
    let hi = layers.length - 1;
    let found: CoveredLayer | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (layers[mid].start <= offset) {
        found = layers[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found !== undefined && offset < found.end ? found : undefined;
  };
  // The places of the fields dropped, by the start of their layer's type warning.
  const dropped = new Map<number, Related[]>();
  const covered: AnalysisDiagnostic[] = [];
  let kept = 0;
  for (const d of diagnostics) {
    const layer = d.code === 'fork-field' ? layerAt(d.start) : undefined;
    if (layer === undefined || !layer.forks.every((f) => d.forks?.includes(f) === true)) {
      diagnostics[kept++] = d;
      continue;
    }
    covered.push(d);
    let places = dropped.get(layer.typeStart);
    if (places === undefined) dropped.set(layer.typeStart, (places = []));
    places.push({ start: d.start, end: d.end, message: `${withoutFix(d.message)} either` });
    if (d.related) places.push(...d.related);
  }
  diagnostics.length = kept;
  // The type's warning lists them as related places (its quick fix is offered on each): a new
  // object, since the one given may be shared with an earlier version's results.
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    const places = d.code === 'unknown-layer-type' ? dropped.get(d.start) : undefined;
    if (places) {
      const related = [...(d.related ?? []), ...places].sort((a, b) => a.start - b.start);
      diagnostics[i] = { ...d, related };
    }
  }
  return covered;
}

type Related = NonNullable<AnalysisDiagnostic['related']>[number];

/** A fork warning's message without the fix it starts with ("Choose ... (... --schema): ") nor its full stop. */
function withoutFix(message: string): string {
  const at = message.indexOf('): ');
  return (at >= 0 ? message.slice(at + 3) : message).replace(/\.$/, '');
}
