// BVLC layers that a Caffe made for a fork's nets changed where Caffe's set-up checks look, read from
// that Caffe's sources. Without its checkout the checks are BVLC's; but a net that uses that fork's own
// layer types is likely meant for such a Caffe, and what only it accepts is then told as a warning
// that names it, not as an error. With the checkout, its own headers decide (blob-counts.ts).

import { BVLC_TYPE_NAMES, forksWithLayerType } from '../../schema/layer-types';
import type { NetLayer } from '../model/net';

export interface ForkVariant {
  type: string;
  /** The bundled forks whose layer types, used in a net, say it may be meant for this Caffe. */
  forks?: readonly string[];
  /**
   * Layer types this Caffe's sources register and neither BVLC nor a bundled fork does (a merging fork
   * that carries them aside, such as Synopsys Caffe): the same sign.
   */
  ownTypes?: readonly string[];
  /** That Caffe in words, with its repository. */
  caffe: string;
  /** The most tops the variant's class declares, when it differs from BVLC's. */
  maxTops?: number;
  /** The most bottoms it declares, when that differs. */
  maxBottoms?: number;
  /** The fewest bottoms it declares, when that differs. */
  minBottoms?: number;
  /** Its set-up clears `loss_weight` before making the Softmax inside (one weight per top is fine). */
  ownLossWeights?: boolean;
  /** What it does otherwise, in words. */
  what: string;
}

/**
 * daijifeng001/caffe-rfcn (branch r-fcn, the Caffe of the R-FCN paper's code): its SoftmaxWithLoss
 * declares MaxTopBlobs 3 (include/caffe/layers/softmax_loss_layer.hpp), reshapes the third top as the
 * labels (each example's loss, for online hard example mining) and clears loss_weight before it makes
 * its inner Softmax (src/caffe/layers/softmax_loss_layer.cpp). py-R-FCN's Caffe (Microsoft/caffe) kept
 * BVLC's and added SoftmaxWithLossOHEM instead.
 *
 * daijifeng001/caffe-mnc (the Caffe of the MNC instance segmentation code): its SigmoidCrossEntropyLoss
 * declares MaxBottomBlobs 3 (include/caffe/layers/sigmoid_cross_entropy_loss_layer.hpp); the third is a
 * weight per element, of the first bottom's count, and the loss is divided by their sum
 * (src/caffe/layers/sigmoid_cross_entropy_loss_layer.cpp). Its own types (MaskPooling, MaskResize,
 * ROIWarping) are registered by no other Caffe we know.
 *
 * lmb-freiburg/flownet2 (the Caffe of FlowNet 2.0, b92e198, also the base of the Caffes of PWC-Net and
 * LiteFlowNet): its Eltwise declares MinBottomBlobs 1 (include/caffe/layers/eltwise_layer.hpp), which
 * its nets use to scale one blob by a coeff. Its own types are those of optical flow work: Correlation,
 * FlowWarp, Resample, the augmentation and flow reading and writing layers.
 */
const VARIANTS: readonly ForkVariant[] = [
  {
    type: 'SoftmaxWithLoss',
    forks: ['rfcn'],
    caffe: "R-FCN's own Caffe (daijifeng001/caffe-rfcn)",
    maxTops: 3,
    ownLossWeights: true,
    what: 'takes a third top (the loss of each example, for hard example mining) and one loss_weight per top',
  },
  {
    type: 'SigmoidCrossEntropyLoss',
    ownTypes: ['MaskPooling', 'MaskResize', 'ROIWarping'],
    caffe: "MNC's own Caffe (daijifeng001/caffe-mnc)",
    maxBottoms: 3,
    what: "takes a third bottom (a weight for each element, of the first bottom's count)",
  },
  {
    type: 'Eltwise',
    ownTypes: [
      'Correlation',
      'Correlation1D',
      'FlowWarp',
      'Resample',
      'DataAugmentation',
      'FlowAugmentation',
      'GenerateAugmentationParameters',
      'ChannelNorm',
      'FLOWriter',
      'FloatReader',
      'FloatWriter',
      'ImgReader',
      'CustomData',
      'Downsample',
      'DisparityData',
      'BlackAugmentation',
      'ImgWriter',
      'PFMWriter',
      'NegReLU',
      'LpqLoss',
    ],
    caffe: "FlowNet 2.0's Caffe (lmb-freiburg/flownet2) or one built on it",
    minBottoms: 1,
    what: 'takes a single bottom (scaled by its coeff)',
  },
];

/** The Caffe (in words) whose own layer type `type` is, among the variants above. */
export function ownTypeOrigin(type: string): string | undefined {
  return VARIANTS.find((v) => v.ownTypes?.includes(type))?.caffe;
}

/** The non-BVLC layer types of each list of layers, in order, found once per list. */
const otherTypesOf = new WeakMap<readonly NetLayer[], readonly string[]>();

function otherTypes(kept: readonly NetLayer[]): readonly string[] {
  let types = otherTypesOf.get(kept);
  if (types === undefined) {
    const seen = new Set<string>();
    for (const layer of kept) if (!BVLC_TYPE_NAMES.has(layer.type)) seen.add(layer.type);
    types = [...seen];
    otherTypesOf.set(kept, types);
  }
  return types;
}

/** The first type of `types` that says the net is meant for the variant's Caffe. */
function evidenceFor(variant: ForkVariant, types: readonly string[]): string | undefined {
  const { forks, ownTypes } = variant;
  return types.find((t) => {
    if (ownTypes?.includes(t)) return true;
    if (forks === undefined) return false;
    const registering = forksWithLayerType(t);
    return registering.length > 0 && registering.every((f) => forks.includes(f));
  });
}

export interface VariantEvidence {
  variant: ForkVariant;
  /** The first layer type of the net that only the variant's forks register. */
  evidence: string;
}

/**
 * The variant of `layer`'s type that a Caffe of a fork whose own layer types the net (`kept`, the
 * layers of its phase) uses has; undefined when there is none or the net uses none of those types.
 */
export function forkVariantOf(layer: NetLayer, kept: readonly NetLayer[]): VariantEvidence | undefined {
  for (const variant of VARIANTS) {
    if (variant.type !== layer.type) continue;
    const evidence = evidenceFor(variant, otherTypes(kept));
    if (evidence !== undefined) return { variant, evidence };
  }
  return undefined;
}

/** A problem of BVLC's check, said of a layer the variant accepts: BVLC's words, then why it may build. */
export function underVariant(message: string, { variant, evidence }: VariantEvidence): string {
  const bvlc = message.replace(/: Caffe stops/, ': BVLC Caffe stops');
  return (
    `${bvlc}${bvlc.endsWith('.') ? '' : '.'} This net uses ${evidence} layers, so it is likely meant for ` +
    `${variant.caffe}, whose ${variant.type} ${variant.what}: there it builds. A warning, not an error: ` +
    "check against that Caffe's checkout (prototxt.schema.paths or --schema) for its own checks."
  );
}
