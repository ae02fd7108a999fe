// Rules for the layer types of the Caffes that predate `layer { }` and add their own values to the
// V1 format's type enum: DeepLab v1 (deeplab-public) and DeconvNet (HyeonwooNoh/caffe). A V1 layer
// keeps the enum name as its type (Caffe's upgrade has no name for these), so the rules go by it.
// Each follows that fork's LayerSetUp and Reshape; their CHECKs are reported in Caffe's words, and
// only on dimensions that are known.
//   IMAGE_SEG_DATA (both): the same reader as DeepLab v2's and PSPNet's ImageSegData; DeconvNet's
//   WINDOW_SEG_DATA sizes its tops the same way.
//   INTERP (DeepLab v1): PSPNet's Interp, but sized by exactly one of its ways.
//   SEG_ACCURACY, DENSE_CRF, BIAS_CHANNEL, ADAPTIVE_BIAS_CHANNEL, UNIQUE_LABEL (DeepLab v1): as DeepLab
//   v2 sets them up (its BIAS_CHANNEL takes image labels only, v2's default; v1's proto has no label_type).
//   UNPOOLING (DeconvNet): max-unpooling to the size given, with its pooling's mask as a second bottom.
//   ELTWISE_ACCURACY (DeconvNet): pixel accuracy of scores against a label image.
//   CROP (DeconvNet, as FCN's Caffe has it): the first input cut to the second's height and width.

import { formatShape, knownToDiffer } from './arith';
import {
  adaptiveBiasChannel,
  biasChannel,
  denseCrf,
  legacy,
  segAccuracy,
  tooManyAxes,
  uniqueLabel,
} from './rules-deeplab';
import { interp, segmentationData } from './rules-pspnet';
import { NO_OUTPUT, type RuleContext, type RuleOutput, type Shape, type ShapeRule } from './types';

/** DeepLab v1's InterpLayer::LayerSetUp takes one way to size the output, then sizes it as PSPNet's. */
function interpV1(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('interp_param');
  const ways =
    Number(p.has('zoom_factor')) + Number(p.has('shrink_factor')) + Number(p.has('height') && p.has('width'));
  if (ways !== 1) {
    ctx.report(
      `INTERP takes one of zoom_factor, shrink_factor, or height and width, this one ${ways === 0 ? 'none' : `${ways}`}; ` +
        'Caffe stops ("Output dimension specified either by zoom factor or shrink factor or explicitly")',
      'interp_param',
    );
    return NO_OUTPUT;
  }
  return interp(ctx);
}

const UNPOOL = 'unpooling_param';

/** A setting given alone, or as its _h and _w pair, or not at all, as LayerSetUp CHECKs. */
function givenOneWay(ctx: RuleContext, one: string, h: string, w: string): boolean {
  const p = ctx.params.block(UNPOOL);
  return (!p.has(one) && p.has(h) && p.has(w)) || (!p.has(h) && !p.has(w));
}

/**
 * DeconvNet's UnpoolingLayer: N×C×unpool_h×unpool_w from its input's N and C (the size is given:
 * LayerSetUp requires it), after the checks of its kernel, stride and padding, which must be 0.
 */
function unpooling(ctx: RuleContext): RuleOutput {
  const p = ctx.params.block(UNPOOL);
  const stop = (ours: string, caffe: string, field?: string): RuleOutput => {
    ctx.report(`UNPOOLING: ${ours}; Caffe stops ("${caffe}")`, (field && p.span(field)) || UNPOOL);
    return NO_OUTPUT;
  };
  // The kernel: kernel_size or the pair, exactly one of them.
  const square = p.has('kernel_size');
  if (square === (p.has('kernel_h') && p.has('kernel_w')))
    return stop(
      square ? 'give kernel_size, or kernel_h and kernel_w, not both' : 'the kernel size must be given',
      'Filter size is kernel_size OR kernel_h and kernel_w; not both',
      square ? 'kernel_h' : undefined,
    );
  if (!givenOneWay(ctx, 'pad', 'pad_h', 'pad_w'))
    return stop('give pad, or pad_h and pad_w', 'pad is pad OR pad_h and pad_w are required.', 'pad_h');
  if (!givenOneWay(ctx, 'stride', 'stride_h', 'stride_w'))
    return stop(
      'give stride, or stride_h and stride_w',
      'Stride is stride OR stride_h and stride_w are required.',
      'stride_h',
    );
  const sized = p.has('unpool_size');
  const pair = p.has('unpool_h') && p.has('unpool_w');
  if (!((!sized && pair) || (sized && !p.has('unpool_h') && !p.has('unpool_w'))))
    return stop(
      'the output size must be given, as unpool_size or as unpool_h and unpool_w',
      'Unpool is unpool_size OR unpool_h and unpool_w are required.',
      sized ? 'unpool_h' : undefined,
    );
  for (const field of square ? ['kernel_size'] : ['kernel_h', 'kernel_w']) {
    if (p.number(field, 0) <= 0)
      return stop(`${field} must be > 0`, 'Filter dimensions cannot be zero.', field);
  }
  for (const field of p.has('pad_h') ? ['pad_h', 'pad_w'] : ['pad']) {
    if (p.number(field, 0) !== 0)
      return stop(`${field} must be 0`, 'currently, only zero padding is allowed.', field);
  }
  const input = ctx.bottoms[0];
  if (input === null) return NO_OUTPUT;
  if (input.length > 4)
    return stop(
      `its input is read as N×C×H×W and has ${input.length} axes`,
      'Cannot use legacy accessors on Blobs with > 4 axes.',
    );
  const [n, c] = legacy(input);
  const h = sized ? p.number('unpool_size', 0) : p.number('unpool_h', 0);
  const w = sized ? p.number('unpool_size', 0) : p.number('unpool_w', 0);
  return { tops: [[n, c, h, w]], params: 0, macs: 0 };
}

/**
 * DeconvNet's EltwiseAccuracyLayer::Reshape: scores N×C×H×W against labels N×1×H×W, top_k at most
 * C·H·W (what it divides the count by); one value, 1×1×1×1.
 */
function eltwiseAccuracy(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const [scores, labels] = ctx.bottoms as Shape[];
  const [sn, sc, sh, sw] = legacy(scores);
  const [ln, lc, lh, lw] = legacy(labels);
  const stop = (ours: string, caffe: string, bottom?: number): RuleOutput => {
    const at = bottom === undefined ? 'eltwise_accuracy_param' : ctx.layer.bottoms[bottom]?.span;
    ctx.report(`ELTWISE_ACCURACY: ${ours}; Caffe stops ("${caffe}")`, at);
    return NO_OUTPUT;
  };
  if (knownToDiffer(sn, ln))
    return stop(
      `the scores (${formatShape(scores)}) and the labels (${formatShape(labels)}) differ in number`,
      'The data and label should have the same number.',
      1,
    );
  const topK = ctx.params.block('eltwise_accuracy_param').number('top_k', 1);
  const perItem = sc * sh * sw;
  if (topK > perItem)
    return stop(
      `top_k is ${topK}, more than the ${perItem} values per item of the scores (${formatShape(scores)})`,
      'top_k must be less than or equal to the number of classes.',
    );
  if (knownToDiffer(lc, 1))
    return stop(
      `the labels (${formatShape(labels)}) have ${lc} channels`,
      'Label data should have channel 1.',
      1,
    );
  if (knownToDiffer(sh, lh))
    return stop(
      `the scores are ${sh} high, the labels ${lh}`,
      'The data and label should have the same height.',
      1,
    );
  if (knownToDiffer(sw, lw))
    return stop(
      `the scores are ${sw} wide, the labels ${lw}`,
      'the data and label should have the same width.',
      1,
    );
  return { tops: [[1, 1, 1, 1]], params: 0, macs: 0 };
}

/**
 * FCN's CropLayer::Reshape: the first input's N and C, the second's H and W. (Where the window
 * starts comes from the layers between the two inputs, which set-up works out; not checked here.)
 */
function crop(ctx: RuleContext): RuleOutput {
  if (tooManyAxes(ctx)) return NO_OUTPUT;
  const [n, c] = legacy(ctx.bottoms[0] as Shape);
  const [, , h, w] = legacy(ctx.bottoms[1] as Shape);
  return { tops: [[n, c, h, w]], params: 0, macs: 0 };
}

export const V1_FORK_RULES: Record<string, ShapeRule> = {
  IMAGE_SEG_DATA: { needs: 0, run: segmentationData('ImageSegDataLayer') },
  WINDOW_SEG_DATA: { needs: 0, run: segmentationData('WindowSegDataLayer') },
  INTERP: { needs: 1, run: interpV1 },
  UNPOOLING: { needs: 1, run: unpooling },
  SEG_ACCURACY: { needs: 2, run: segAccuracy },
  DENSE_CRF: { needs: 1, run: denseCrf },
  BIAS_CHANNEL: { needs: 2, run: biasChannel },
  ADAPTIVE_BIAS_CHANNEL: { needs: 2, run: adaptiveBiasChannel },
  UNIQUE_LABEL: { needs: 1, run: uniqueLabel },
  ELTWISE_ACCURACY: { needs: 2, run: eltwiseAccuracy },
  CROP: { needs: 2, run: crop },
};
