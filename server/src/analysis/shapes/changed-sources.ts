// Shape problems that rest on something uncertain. Under a Caffe checkout (or a bundled fork) that
// changed BVLC's layer sources: the rules are BVLC's arithmetic; a fork that rewrote a layer's C++
// (caffe-posenet's Data reads a label of seven values per image, Synopsys Caffe's Eltwise broadcasts)
// may shape its tops otherwise, and every shape after it follows. After a data layer whose image size
// was taken from a deploy net beside the net: the files it reads may hold another size. A problem the
// rules find in such a layer, or in one its shapes reach, is still shown, as a warning that says why
// it may not hold: an error is kept for what Caffe surely refuses.

import { releasedBy } from '../../schema/checkout-layers';
import type { Schema } from '../../schema/schema';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { BlobIds } from '../model/blob-ids';
import type { NetLayer } from '../model/net';
import type { StatedShapes } from './input-shapes';
import type { LayerShapes } from './types';
import { numberValue } from '../model/net-read';

/**
 * The codes of the errors the rules find in a layer's input shapes: a bad parameter for them, inputs
 * that disagree (Concat, Eltwise), a kernel larger than its input, a Reshape whose counts differ.
 */
const FROM_SHAPES: ReadonlySet<string> = new Set([
  'shape-invalid',
  'shape-mismatch',
  'kernel-too-large',
  'reshape-count',
]);

/** BVLC's layer types a schema's Caffe rewrote (type -> file), and that Caffe in words. */
export interface RewrittenLayers {
  files: ReadonlyMap<string, string>;
  /** "this checkout" or a bundled fork's name ("Synopsys Caffe"). */
  caffe: string;
}

/** What the schema's checkout, or the bundled fork it is, rewrote; undefined when neither says. */
export function rewrittenLayers(schema: Schema | undefined): RewrittenLayers | undefined {
  if (schema?.checkout) return { files: schema.checkout.modified, caffe: 'this checkout' };
  const files = schema?.changedLayers;
  return files ? { files, caffe: schema.source.label.replace(/ \(.*$/, '') } : undefined;
}

/**
 * `problems` with the shape errors of the layers at or after a changed type's layer made warnings
 * (new objects: the array given is left as it is); `problems` itself when there are none. `starts[l]`
 * is where `kept[l]`'s problems begin, `starts[kept.length]` where the last layer's end.
 */
export function underChangedSources(
  kept: readonly NetLayer[],
  ids: BlobIds,
  rewritten: RewrittenLayers,
  problems: readonly AnalysisDiagnostic[],
  starts: readonly number[],
): readonly AnalysisDiagnostic[] {
  const changed = rewritten.files;
  return shapeErrorsAfter(
    kept,
    ids,
    problems,
    starts,
    (layer) => changed.has(layer.type) && !followsForkCode(layer),
    (origin, itself) => why(origin, itself, rewritten),
  );
}

/**
 * `problems` with the shape errors of the layers at or after an `origin` layer made warnings, each
 * message followed by `why(origin layer, whether the problem is its own)` (new objects: the array given
 * is left as it is); `problems` itself when there are none. `starts[l]` is where `kept[l]`'s problems
 * begin, `starts[kept.length]` where the last layer's end.
 */
export function shapeErrorsAfter(
  kept: readonly NetLayer[],
  ids: BlobIds,
  problems: readonly AnalysisDiagnostic[],
  starts: readonly number[],
  origin: (layer: NetLayer) => boolean,
  why: (origin: NetLayer, itself: boolean) => string,
): readonly AnalysisDiagnostic[] {
  let out: AnalysisDiagnostic[] | undefined;
  /** By blob number: the index in `kept` of the origin layer the blob's shape comes through, or -1. */
  const through = new Int32Array(ids.count).fill(-1);
  for (let l = 0; l < kept.length; l++) {
    const layer = kept[l];
    let from = origin(layer) ? l : -1;
    for (let i = 0; from < 0 && i < layer.bottoms.length; i++) from = through[ids.bottom(layer, i)];
    for (let i = 0; i < layer.tops.length; i++) through[ids.top(layer, i)] = from;
    if (from < 0) continue;
    for (let p = starts[l]; p < starts[l + 1]; p++) {
      const problem = problems[p];
      if (problem.severity !== 'error' || !FROM_SHAPES.has(problem.code)) continue;
      out ??= problems.slice();
      out[p] = {
        ...problem,
        severity: 'warning',
        message: `${problem.message} ${why(kept[from], from === l)}`,
      };
    }
  }
  return out ?? problems;
}

/**
 * Whether the rule followed the fork's own code for this layer, read line by line, rather than BVLC's:
 * Synopsys Caffe's Reshape as a pixel shuffle (rules-synopsys-space.ts).
 */
function followsForkCode(layer: NetLayer): boolean {
  if (layer.type !== 'Reshape') return false;
  const block = layer.format === 'v0' ? undefined : layer.paramBlocks.get('reshape_param');
  if (block === undefined) return false;
  let factor = 1;
  for (const f of block.fields) if (f.name === 'pixelshuffler') factor = numberValue(f.value) ?? factor;
  return factor !== 1;
}

function why(origin: NetLayer, itself: boolean, { files, caffe }: RewrittenLayers): string {
  const file = files.get(origin.type) ?? '';
  const checkout = caffe === 'this checkout';
  // SSD's own types (PriorBox) are SSD's code, BVLC's are BVLC's.
  const maker = checkout ? releasedBy(origin.type) : 'BVLC';
  return itself
    ? `(${caffe}'s ${origin.type} is not ${maker}'s: ${file} differs from every ${maker} version, so ${checkout ? 'its Caffe' : 'it'} may do otherwise)`
    : `(the shapes here come through layer "${origin.name}", whose type ${origin.type} ${caffe} changed ` +
        `(${file} differs from every ${maker} version): ${checkout ? 'its Caffe' : caffe} may shape them otherwise)`;
}

/**
 * `problems` with the shape errors at or after a layer whose tops took their image size from a deploy
 * net beside the net (`stated` fills) made warnings that say so; see `shapeErrorsAfter`.
 */
export function underAssumedSizes(
  kept: readonly NetLayer[],
  ids: BlobIds,
  layers: readonly LayerShapes[],
  stated: StatedShapes,
  problems: readonly AnalysisDiagnostic[],
  starts: readonly number[],
): readonly AnalysisDiagnostic[] {
  const assumed = new Map<NetLayer, string>();
  kept.forEach((layer, l) => {
    layers[l]?.topSources?.forEach((source, k) => {
      const given = stated.get(layer.tops[k]?.name ?? '');
      if (source !== undefined && given?.fill === true) assumed.set(layer, source);
    });
  });
  if (assumed.size === 0) return problems;
  return shapeErrorsAfter(
    kept,
    ids,
    problems,
    starts,
    (layer) => assumed.has(layer),
    (origin) =>
      `(this follows the image size taken from ${assumed.get(origin) ?? ''}; the files layer ` +
      `"${origin.name}" reads may hold another)`,
  );
}
