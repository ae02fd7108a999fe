// How many bottoms and tops each BVLC layer type takes. Caffe's Layer::SetUp checks the counts a layer
// class declares (ExactNum/Min/MaxBottomBlobs, the same for tops, EqualNumBottomTopBlobs) before
// anything else, and stops building the net at the first that fails: "Eltwise Layer takes at least 2
// bottom blob(s) as input." A loss layer (AutoTopBlobs) written with fewer tops than it needs gets
// the missing ones from Net::Init first, so it never fails on too few tops. Under the caffe.proto of
// a Caffe checkout whose headers were read (schema/checkout-layers.ts), every type's counts are what
// its class there declares: a fork's own types are checked too, and a fork's change to a BVLC class
// (R-FCN's SoftmaxWithLoss with a third top) is followed.

import type { Span } from '../../parser/ast';
import type { DeclaredCounts } from '../../schema/checkout-layers';
import { BVLC_LAYER_TYPES } from '../../schema/layer-types';
import type { NetLayer } from '../model/net';
import { BVLC_LOSS_TYPES } from './automatic-tops';
import type { LayerParams } from './params';

/** Inclusive bounds; `max` Infinity for no upper bound; `exact` when the class declares one count. */
interface Range {
  min: number;
  max: number;
  exact?: boolean;
}

interface BlobCounts {
  bottoms?: Range;
  tops?: Range;
  /** One top per bottom (the convolutions). */
  equal?: boolean;
  /** Net::Init adds the tops the layer needs when fewer are written (the loss layers). */
  auto?: boolean;
}

/** A class's declared bounds; one count when both are the same (Caffe words the two differently). */
function range(min: number, max = Infinity): Range {
  return min === max ? { min, max, exact: true } : { min, max };
}

/** Types whose counts depend on their parameters (countsOf reads them). */
const PARAM_DEPENDENT: ReadonlySet<string> = new Set(['Pooling', 'LSTM', 'RNN']);

/**
 * BVLC's layer types and the counts their classes declare, from the layer-type table. The table lets a
 * loss layer have no top (Net::Init adds it); the class declares at least one, which is what Caffe's
 * message names.
 */
const COUNTS: ReadonlyMap<string, BlobCounts> = new Map(
  BVLC_LAYER_TYPES.filter((t) => !PARAM_DEPENDENT.has(t.type) && (t.bottoms || t.tops)).map((t) => {
    const auto = BVLC_LOSS_TYPES.has(t.type);
    const counts: BlobCounts = {
      bottoms: t.bottoms && range(t.bottoms.min, t.bottoms.max),
      tops: t.tops && range(auto ? Math.max(1, t.tops.min) : t.tops.min, t.tops.max),
      equal: t.equalBottomTop,
      auto,
    };
    return [t.type, counts];
  }),
);

/** The hidden states a recurrent layer exposes as extra bottoms and tops with expose_hidden. */
const RECURRENT_STATES: ReadonlyMap<string, number> = new Map([
  ['LSTM', 2],
  ['RNN', 1],
]);

const POOLING_MAX: BlobCounts = { bottoms: range(1, 1), tops: { min: 1, max: 2 } };
const POOLING_OTHER: BlobCounts = { bottoms: range(1, 1), tops: { min: 1, max: 1 } };

/**
 * BVLC classes a bundled fork declares other counts for, by the fork's bundled name: Synopsys Caffe
 * took FlowNet 2.0's Eltwise of one bottom (include/caffe/layers/eltwise_layer.hpp, MinBottomBlobs 1).
 */
const BUNDLED_CHANGES: ReadonlyMap<string, ReadonlyMap<string, BlobCounts>> = new Map([
  ['synopsys', new Map([['Eltwise', { bottoms: range(1), tops: range(1, 1) }]])],
  // DeconvNet's ReLU may write its mask as a second top (DecoupledNet's relu6-mask).
  ['deconvnet', new Map([['ReLU', { bottoms: range(1, 1), tops: range(1, 2) }]])],
]);

/** The counts `layer`'s type declares, read from its parameters where they depend on them. */
function countsOf(layer: NetLayer, params: LayerParams): BlobCounts | undefined {
  // The schema's own Caffe checkout says what its class declares (a fork may differ from BVLC).
  const declared = params.declaredCounts(layer.type);
  if (declared !== undefined) return fromDeclared(declared);
  const bundled = params.bundledName();
  const changed = bundled === undefined ? undefined : BUNDLED_CHANGES.get(bundled)?.get(layer.type);
  if (changed !== undefined) return changed;
  const fixed = COUNTS.get(layer.type);
  if (fixed !== undefined) return fixed;
  if (layer.type === 'Pooling') {
    // MAX pooling may output its argmax mask as a second top; the method is read only when it matters.
    if (layer.tops.length < 2) return POOLING_MAX;
    return params.block('pooling_param').enumName('pool', 'MAX') === 'MAX' ? POOLING_MAX : POOLING_OTHER;
  }
  const states = RECURRENT_STATES.get(layer.type);
  if (states !== undefined) {
    const exposed = params.block('recurrent_param').bool('expose_hidden', false) ? states : 0;
    return { bottoms: range(2 + exposed, 3 + exposed), tops: range(1 + exposed, 1 + exposed) };
  }
  return undefined;
}

/** A class's declarations as bounds: its exact count, else its minimum and maximum (either may be absent). */
function fromDeclared(d: DeclaredCounts): BlobCounts {
  const bounds = (exact: number, min: number, max: number): Range | undefined =>
    exact >= 0
      ? { min: exact, max: exact, exact: true }
      : min >= 0 || max >= 0
        ? { min: Math.max(0, min), max: max >= 0 ? max : Infinity }
        : undefined;
  return {
    bottoms: bounds(d.exactBottom, d.minBottom, d.maxBottom),
    tops: bounds(d.exactTop, d.minTop, d.maxTop),
    equal: d.equal,
    auto: d.auto,
  };
}

export interface BlobCountProblem {
  message: string;
  at: Span;
}

/**
 * What Caffe's check of the layer's bottom and top counts stops on (the first failing, in Caffe's
 * order), placed on the first blob too many or else on the layer's type; undefined when they fit or
 * the type's counts are not known (a fork's or a plugin's type, a Python layer). `most`: the most
 * tops or bottoms another Caffe's class of the type declares, to check against instead.
 */
export function blobCountProblem(
  layer: NetLayer,
  params: LayerParams,
  most?: { tops?: number; bottoms?: number; fewestBottoms?: number },
): BlobCountProblem | undefined {
  let counts = countsOf(layer, params);
  if (counts === undefined) return undefined;
  // Another Caffe's class of the type (fork-variants.ts) that declares another maximum (or minimum).
  if (most?.tops !== undefined && counts.tops)
    counts = { ...counts, tops: { min: counts.tops.min, max: most.tops } };
  if (most?.bottoms !== undefined && counts.bottoms)
    counts = { ...counts, bottoms: { min: counts.bottoms.min, max: most.bottoms } };
  if (most?.fewestBottoms !== undefined && counts.bottoms)
    counts = { ...counts, bottoms: { min: most.fewestBottoms, max: counts.bottoms.max } };
  const bottoms = layer.bottoms.length;
  const written = layer.tops.length;
  const tops = counts.auto && counts.tops ? Math.max(written, counts.tops.min) : written;
  // Every layer of a net passes through here: nothing is made unless a count is off.
  if (!outside(counts.bottoms, bottoms) && !outside(counts.tops, tops) && (!counts.equal || bottoms === tops))
    return undefined;
  const problem =
    countProblem(layer, counts.bottoms, bottoms, 'bottom') ?? countProblem(layer, counts.tops, tops, 'top');
  if (problem !== undefined) return problem;
  const type = layer.type;
  return {
    message:
      `${type} produces one top for each bottom, this layer has ${bottoms} and ${tops}: Caffe stops ` +
      `building the net ("${type} Layer produces one top blob as output for each bottom blob input.")`,
    at: tops > bottoms ? layer.tops[bottoms].span : typeSpanOf(layer),
  };
}

function outside(range: Range | undefined, count: number): boolean {
  return range !== undefined && (count < range.min || count > range.max);
}

function typeSpanOf(layer: NetLayer): Span {
  return layer.typeSpan ?? layer.nameSpan ?? layer.node.nameSpan;
}

/** What Caffe says of `count` bottoms (or tops) outside `range`, placed on the first one too many. */
function countProblem(
  layer: NetLayer,
  range: Range | undefined,
  count: number,
  kind: 'bottom' | 'top',
): BlobCountProblem | undefined {
  if (range === undefined || !outside(range, count)) return undefined;
  const type = layer.type;
  const verb = kind === 'bottom' ? 'takes' : 'produces';
  const role = kind === 'bottom' ? 'as input' : 'as output';
  const [bound, how] = range.exact
    ? [range.min, '']
    : count < range.min
      ? [range.min, 'at least ']
      : [range.max, 'at most '];
  const plural = (n: number) => `${n} ${kind}${n === 1 ? '' : 's'}`;
  const has = count === 0 ? 'none' : plural(count);
  const blobs = kind === 'bottom' ? layer.bottoms : layer.tops;
  return {
    message:
      `${type} ${verb} ${how}${plural(bound)}, this layer has ${has}: Caffe stops building the net ` +
      `("${type} Layer ${verb} ${how}${bound} ${kind} blob(s) ${role}.")`,
    at: count > range.max ? blobs[range.max].span : typeSpanOf(layer),
  };
}
