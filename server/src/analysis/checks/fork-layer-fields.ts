// One warning for one cause on a fork's layer. Under the bundled schema an SSD net's Permute layer
// is a type BVLC lacks (unknown-layer-type) and its permute_param a block BVLC lacks (fork-field),
// as are the resize_param and distort_param of an AnnotatedData layer's transform_param: all are
// fixed by the same choice of schema, so the fields' warnings would only fill the Problems panel.
// A fork-field warning inside such a layer is said by the type's warning instead, which then names
// the forks that have both the type and every such field: a BN layer whose bn_param holds bn_mode
// is told to choose SegNet's schema, not any of the four forks that register BN. A field no fork
// of the type defines (a layer mixing two forks) keeps its own warning.

import { lastAtOrBefore } from '../../../../common/arrays';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer, NetModel } from '../model/net';
import type { ForkSchema } from '../model/resolve';
import { forkFixFor, listed } from './context';

interface ForkLayer {
  start: number;
  end: number;
  /** The layer's type warning. */
  type: AnalysisDiagnostic;
  /** The forks that have the type and every field covered so far, in the type warning's order. */
  forks: readonly string[];
  /** Whether the type warning's words can be made to name fewer forks (they start with its fix). */
  narrowable: boolean;
  /** The covered fields' places, for the type warning's related places. */
  places: Related[];
  layer: NetLayer;
  /** The layer's block written for another Caffe, when it has one: no fork to choose then. */
  stranger?: AnalysisDiagnostic;
}

type Related = NonNullable<AnalysisDiagnostic['related']>[number];

/**
 * `diagnostics` without the fork-field warnings inside a layer whose type warning says them (in
 * place), that warning naming the forks that have them all; returns the warnings left out (shown
 * when the settings ignore the type warnings).
 */
export function dropCoveredForkFields(
  diagnostics: AnalysisDiagnostic[],
  nets: readonly NetModel[],
  forks: readonly ForkSchema[],
): AnalysisDiagnostic[] {
  // Fork warnings by where they start: those on a layer's type say the layer (a V2 type string,
  // unknown-layer-type; a V1 type enum value only forks have, fork-field).
  let types: Map<number, AnalysisDiagnostic> | undefined;
  let hasFields = false;
  // Blocks written for another Caffe (fork-field with no fork to choose, foreign-blocks.ts).
  let strangers: AnalysisDiagnostic[] | undefined;
  for (const d of diagnostics) {
    if (d.forks === undefined) continue;
    if (d.forks.length === 0) {
      // (A layer block no fork defines beside a fork's type is an unknown field with no fork to choose.)
      if (d.code === 'fork-field' || d.code === 'unknown-field') (strangers ??= []).push(d);
      continue;
    }
    if (d.code === 'unknown-layer-type' || d.code === 'fork-field') (types ??= new Map()).set(d.start, d);
    if (d.code === 'fork-field') hasFields = true;
  }
  if (types === undefined || (!hasFields && strangers === undefined)) return [];
  const labelOf = (name: string) => forks.find((f) => f.name === name)?.label ?? name;
  const layers: ForkLayer[] = [];
  for (const net of nets) {
    for (let li = 0; li < net.layers.length; li++) {
      const layer = net.layers[li];
      const type = layer.typeSpan && types.get(layer.typeSpan.start);
      if (!type?.forks) continue;
      const narrowable = type.message.startsWith(forkFixFor(type.forks.map(labelOf)));
      layers.push({
        start: layer.node.start,
        end: layer.node.end,
        layer,
        type,
        forks: type.forks,
        narrowable,
        places: [],
      });
    }
  }
  if (layers.length === 0) return [];
  // Layers do not overlap (a solver's nets are apart too): the one a field is in starts last before it.
  layers.sort((a, b) => a.start - b.start);
  const layerAt = (offset: number): ForkLayer | undefined => {
    const found = layers[lastAtOrBefore(layers.length, (i) => layers[i].start, offset)];
    return found !== undefined && offset < found.end ? found : undefined;
  };
  for (const d of strangers ?? []) {
    const layer = layerAt(d.start);
    if (layer && layer.stranger === undefined) layer.stranger = d;
  }
  const saysType = new Set(layers.map((l) => l.type));
  const covered: AnalysisDiagnostic[] = [];
  let kept = 0;
  for (const d of diagnostics) {
    const field = d.code === 'fork-field' && d.forks !== undefined && d.forks.length > 0 && !saysType.has(d);
    const layer = field ? layerAt(d.start) : undefined;
    const both = layer?.forks.filter((f) => d.forks?.includes(f) === true) ?? [];
    // Covered when a fork has the type and this field (and those before it): that fork is then the
    // one to name; a type warning that cannot be reworded covers only a field all its forks define.
    const fits =
      layer !== undefined && (layer.narrowable ? both.length > 0 : both.length === layer.forks.length);
    if (!fits) {
      diagnostics[kept++] = d;
      continue;
    }
    layer.forks = both;
    layer.places.push({ start: d.start, end: d.end, message: `${withoutFix(d.message)} either` });
    if (d.related) layer.places.push(...d.related);
    // (Those a V1 type's fork-field says are left out whenever it is.)
    if (layer.type.code === 'unknown-layer-type') covered.push(d);
  }
  diagnostics.length = kept;
  // The type warnings that cover fields, made anew (the ones given may be shared with an earlier
  // version's results): the forks that have it all, and the fields as related places, where its
  // quick fix is offered too.
  const changed = new Map<AnalysisDiagnostic, AnalysisDiagnostic>();
  for (const layer of layers) {
    if (layer.stranger !== undefined) {
      changed.set(layer.type, notForkType(layer, labelOf));
      continue;
    }
    if (layer.places.length === 0) continue;
    const type = layer.type;
    const said = forkFixFor((type.forks ?? []).map(labelOf));
    const narrowed = layer.forks.length < (type.forks?.length ?? 0);
    const related = [...(type.related ?? []), ...layer.places].sort((a, b) => a.start - b.start);
    changed.set(type, {
      ...type,
      ...(narrowed
        ? {
            forks: layer.forks,
            message: forkFixFor(layer.forks.map(labelOf)) + type.message.slice(said.length),
          }
        : {}),
      related,
    });
  }
  for (let i = 0; i < diagnostics.length; i++) diagnostics[i] = changed.get(diagnostics[i]) ?? diagnostics[i];
  return covered;
}

/**
 * The type warning of a layer holding a block written for another Caffe: the forks that have the type
 * do not read the layer, so none is offered; the block's warning is a related place.
 */
function notForkType(layer: ForkLayer, labelOf: (name: string) => string): AnalysisDiagnostic {
  const type = layer.type;
  const stranger = layer.stranger!;
  const block = blockName(layer.layer, stranger.start);
  const labels = (type.forks ?? []).map(labelOf);
  const have = labels.length === 1 ? `${labels[0]} has it` : `${listed(labels)} have it`;
  const related = [
    ...(type.related ?? []),
    { start: stranger.start, end: stranger.end, message: `the ${block} block is another Caffe's` },
  ];
  return {
    ...type,
    forks: [],
    message:
      `Layer type "${layer.layer.type}" is not in BVLC Caffe; ${have}, but not with this layer's ${block}: ` +
      `the layer is written for another Caffe. Check the net against that Caffe's caffe.proto (prototxt.schema.paths or --schema).`,
    related,
  };
}

/** The name of the field of `layer` whose name starts at `start` (a param block); "block" if none. */
function blockName(layer: NetLayer, start: number): string {
  const fields = layer.body?.fields ?? [];
  return fields.find((f) => f.nameSpan.start === start)?.name ?? 'block';
}

/** A fork warning's message without the fix it starts with ("Choose ... (... --schema): ") nor its full stop. */
function withoutFix(message: string): string {
  const at = message.indexOf('): ');
  return (at >= 0 ? message.slice(at + 3) : message).replace(/\.$/, '');
}

/**
 * `diagnostics` without the fork-field warnings on the block named as its layer's type (upsample_param
 * of Upsample) in a layer whose type no bundled Caffe registers as written (in place): the type's
 * warning says what the layer is, and a fork whose block merely shares the name is no fix (SegNet's
 * UpsampleParameter goes with its Upsample of 2 bottoms; the YOLOv3 ports' Upsample takes 1). The
 * block becomes a related place of that warning; returns the warnings left out.
 */
export function dropBlocksOfUnregisteredTypes(
  diagnostics: AnalysisDiagnostic[],
  nets: readonly NetModel[],
): AnalysisDiagnostic[] {
  let types: Map<number, AnalysisDiagnostic> | undefined;
  let hasFields = false;
  for (const d of diagnostics) {
    if (d.code === 'unknown-layer-type' && (d.forks === undefined || d.forks.length === 0))
      (types ??= new Map()).set(d.start, d);
    else if (d.code === 'fork-field') hasFields = true;
  }
  if (types === undefined || !hasFields) return [];
  // The name start of each such layer's own block -> the type warning that says it.
  const blocks = new Map<number, AnalysisDiagnostic>();
  for (const net of nets) {
    for (const layer of net.layers) {
      const type = layer.typeSpan && types.get(layer.typeSpan.start);
      if (type === undefined) continue;
      const field = layer.body?.fields.find((f) => isOwnBlock(layer.type, f.name));
      if (field) blocks.set(field.nameSpan.start, type);
    }
  }
  if (blocks.size === 0) return [];
  const covered: AnalysisDiagnostic[] = [];
  const related = new Map<AnalysisDiagnostic, Related[]>();
  let kept = 0;
  for (const d of diagnostics) {
    const type = d.code === 'fork-field' ? blocks.get(d.start) : undefined;
    if (type === undefined) {
      diagnostics[kept++] = d;
      continue;
    }
    covered.push(d);
    const places = related.get(type) ?? [];
    // A block no fork has as written (a BN fork's bn_param with other fields) keeps its reason there.
    const message = d.forks?.length === 0 ? firstSentence(d.message) : 'its block, which goes with this type';
    places.push({ start: d.start, end: d.end, message });
    related.set(type, places);
  }
  diagnostics.length = kept;
  for (let i = 0; i < diagnostics.length; i++) {
    const places = related.get(diagnostics[i]);
    if (!places) continue;
    // The place already said (the block a stranger layer's warning names) takes the fuller words.
    const said = (diagnostics[i].related ?? []).filter((r) => !places.some((p) => p.start === r.start));
    diagnostics[i] = { ...diagnostics[i], related: [...said, ...places].sort((a, b) => a.start - b.start) };
  }
  return covered;
}

/**
 * Whether `block` is the parameter block named as the layer type `type`, however its words are split:
 * `upsample_param` of Upsample, `prior_box_param` of PriorBox, `pooling3d_param` of Pooling3D.
 */
export function isOwnBlock(type: string, block: string): boolean {
  return block.endsWith('_param') && block.replace(/_/g, '').toLowerCase() === `${type}param`.toLowerCase();
}

/** The names a layer type's own block may have: `PriorBox` -> `prior_box_param` and `priorbox_param`. */
export function ownBlockNames(type: string): string[] {
  const split = `${type.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}_param`;
  const joined = `${type.toLowerCase()}_param`;
  return split === joined ? [split] : [split, joined];
}

/** A message up to the end of its first sentence (a full stop before a space or the end). */
function firstSentence(message: string): string {
  const at = message.search(/\.(?:\s|$)/);
  return at < 0 ? message : message.slice(0, at + 1);
}
