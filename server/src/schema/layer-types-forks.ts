// Layer types the bundled forks register on top of BVLC's. Read from each fork's sources
// (REGISTER_LAYER_CLASS / REGISTER_LAYER_CREATOR and the layer headers) at the revision whose
// caffe.proto is bundled: weiliu89/caffe branch ssd, rbgirshick/caffe-fast-rcnn 0dcd397b (as
// py-faster-rcnn pins it), NVIDIA/caffe caffe-0.17, ducha-aiki/caffe branch elu, hszhao/PSPNet,
// wy1iu/sphereface tools/caffe-sphereface, Microsoft/caffe 1a2be8e (as py-R-FCN pins it),
// alexgkendall/caffe-segnet 344c113b, yjxiong/caffe 9831a2b4 (branch action_recog, as Temporal
// Segment Networks pins it) and yahoo/CaffeOnSpark's caffe-distri, built with yahoo/caffe fc0a02ef
// (its caffe-public submodule), which registers no layer type of its own. Counts are given only where the header fixes them with the real
// virtual methods (SSD's `ExactBottomBlobs` is a misspelling Caffe never calls, so it is left out).
// Synopsys Caffe: foss-for-synopsys-dwc-arc-processors/synopsys-caffe 977ba36a, in layer-types-synopsys*.ts.

import { count, type BlobCount, type LayerTypeInfo } from './layer-type-info';
import { SYNOPSYS_LAYER_TYPES } from './layer-types-synopsys';
import { SYNOPSYS_OP_LAYER_TYPES } from './layer-types-synopsys-ops';

const ONE = count(1);
const LOSS_TOP = count(0, 1);

function fork(
  type: string,
  forks: string[],
  params: string[],
  bottoms: BlobCount | undefined,
  tops: BlobCount | undefined,
  description: string,
): LayerTypeInfo {
  const info: LayerTypeInfo = { type, description, params, forks };
  if (bottoms) info.bottoms = bottoms;
  if (tops) info.tops = tops;
  return info;
}

const SSD = ['ssd', 'nvidia'];

export const FORK_LAYER_TYPES: readonly LayerTypeInfo[] = [
  // SSD (weiliu89/caffe), also carried by NVIDIA/caffe.
  fork(
    'AnnotatedData',
    SSD,
    ['annotated_data_param', 'data_param', 'transform_param'],
    count(0),
    count(1, 2),
    'Reads images with bounding-box annotations from a database, with SSD-style sampling and distortion.',
  ),
  fork(
    'DetectionEvaluate',
    SSD,
    ['detection_evaluate_param'],
    undefined,
    ONE,
    'Matches detections against ground truth and emits true/false positive records for mAP.',
  ),
  fork(
    'DetectionOutput',
    SSD,
    ['detection_output_param'],
    count(3, 4),
    ONE,
    'Decodes box predictions against priors, applies non-maximum suppression and keeps the top detections.',
  ),
  fork(
    'MultiBoxLoss',
    SSD,
    ['multibox_loss_param', 'loss_param'],
    count(4),
    LOSS_TOP,
    'SSD training loss: matches priors to ground truth, mines hard negatives, sums localisation and confidence losses.',
  ),
  fork(
    'Normalize',
    SSD,
    ['norm_param'],
    ONE,
    ONE,
    'L2-normalises features across channels (or the whole sample) and rescales them by a learned factor.',
  ),
  fork(
    'Permute',
    SSD,
    ['permute_param'],
    ONE,
    ONE,
    'Reorders the axes of a blob, e.g. N x C x H x W into N x H x W x C.',
  ),
  fork(
    'PriorBox',
    SSD,
    ['prior_box_param'],
    undefined,
    ONE,
    'Generates default (prior) boxes of given sizes and aspect ratios over a feature map.',
  ),
  fork(
    'VideoData',
    SSD,
    ['video_data_param', 'data_param', 'transform_param'],
    count(0),
    count(1, undefined),
    'Reads frames from a webcam or a video file.',
  ),
  fork(
    'SmoothL1Loss',
    ['ssd', 'fastrcnn', 'nvidia', 'ducha', 'rfcn'],
    ['smooth_l1_loss_param', 'loss_param'],
    count(2, 4),
    LOSS_TOP,
    'Smooth L1 (Huber-like) loss for box regression, optionally weighted by inside/outside weights.',
  ),
  // Fast/Faster R-CNN (rbgirshick/caffe-fast-rcnn), also in ducha-aiki/caffe and Microsoft/caffe.
  fork(
    'ROIPooling',
    ['fastrcnn', 'ducha', 'rfcn', 'tsn'],
    ['roi_pooling_param'],
    count(2),
    ONE,
    'Max-pools each region of interest of a feature map into a fixed pooled_h x pooled_w grid.',
  ),
  // NVIDIA/caffe.
  fork('Axpy', ['nvidia'], [], count(3), ONE, 'Computes a * x + y with a per-channel scale a.'),
  fork(
    'DetectNetTransformation',
    ['nvidia'],
    ['detectnet_groundtruth_param', 'detectnet_augmentation_param', 'transform_param'],
    undefined,
    undefined,
    'DetectNet data augmentation and ground-truth coverage/bbox map generation.',
  ),
  fork(
    'L1Loss',
    ['nvidia'],
    ['loss_param'],
    count(2),
    LOSS_TOP,
    'Mean absolute difference between two bottoms.',
  ),
  fork('TRT', ['nvidia'], ['trt_param'], undefined, undefined, 'Runs a sub-network through TensorRT.'),
  // ducha-aiki/caffe.
  fork(
    'BN',
    ['ducha', 'pspnet', 'tsn'],
    ['bn_param'],
    ONE,
    ONE,
    'Batch normalisation with its own learned scale and shift in one layer.',
  ),
  fork(
    'Normalize',
    ['ducha'],
    [],
    undefined,
    undefined,
    'Normalises each sample to unit L2 norm (no learned scale).',
  ),
  fork('Covariance', ['ducha'], [], undefined, undefined, 'Covariance of features across the batch.'),
  fork(
    'EltwiseAffine',
    ['ducha'],
    ['eltwise_affine_param'],
    undefined,
    undefined,
    'Learned per-channel affine transform (slope and bias).',
  ),
  fork(
    'EuclideanLossWithIndex',
    ['ducha'],
    ['loss_param'],
    undefined,
    undefined,
    'Euclidean loss restricted to indexed entries.',
  ),
  fork(
    'ImageLocData',
    ['ducha'],
    ['image_data_param', 'image_loc_data_param', 'transform_param'],
    count(0),
    undefined,
    'Image list data layer that also reads locations.',
  ),
  fork(
    'Local',
    ['ducha'],
    ['local_param'],
    undefined,
    undefined,
    'Locally connected layer: like convolution, without weight sharing across positions.',
  ),
  fork(
    'RReLU',
    ['ducha'],
    ['rrelu_param'],
    undefined,
    undefined,
    'Randomised leaky ReLU: a random negative slope while training, the mean slope at test time.',
  ),
  fork(
    'Transformer',
    ['ducha'],
    [],
    undefined,
    undefined,
    'Spatial transformer: warps the input with a predicted affine grid.',
  ),
  fork(
    'TripletLoss',
    ['ducha'],
    ['triplet_loss_param', 'loss_param'],
    undefined,
    undefined,
    'Triplet ranking loss for metric learning.',
  ),
  // PSPNet (hszhao/PSPNet).
  fork(
    'AdaptiveBiasChannel',
    ['pspnet'],
    ['adaptive_bias_channel_param'],
    count(2),
    ONE,
    'Adds a bias per channel chosen from the labels present (weakly supervised segmentation).',
  ),
  fork(
    'BiasChannel',
    ['pspnet'],
    ['bias_channel_param'],
    count(2),
    ONE,
    'Adds a fixed bias to the channels of the labels present.',
  ),
  fork(
    'DenseCRF',
    ['pspnet'],
    ['dense_crf_param'],
    count(2, undefined),
    ONE,
    'Fully connected CRF inference over segmentation scores.',
  ),
  fork(
    'DomainTransform',
    ['pspnet'],
    ['domain_transform_param'],
    undefined,
    ONE,
    'Edge-aware domain-transform filtering of segmentation scores.',
  ),
  fork(
    'DomainTransformForwardOnly',
    ['pspnet'],
    ['domain_transform_param'],
    undefined,
    ONE,
    'Domain-transform filtering without a backward pass.',
  ),
  fork(
    'ImageSegData',
    ['pspnet'],
    ['image_data_param', 'transform_param'],
    count(0),
    count(3),
    'Loads images with their segmentation label maps from a list file.',
  ),
  fork(
    'Interp',
    ['pspnet'],
    ['interp_param'],
    ONE,
    ONE,
    'Bilinear resizing by a zoom or shrink factor or to a given size.',
  ),
  fork('MatRead', ['pspnet'], ['mat_read_param'], count(0), ONE, 'Reads blobs from MATLAB .mat files.'),
  fork(
    'MatWrite',
    ['pspnet'],
    ['mat_write_param'],
    undefined,
    count(0),
    'Writes its bottoms to MATLAB .mat files.',
  ),
  fork(
    'SegAccuracy',
    ['pspnet'],
    ['seg_accuracy_param'],
    count(2),
    ONE,
    'Pixel accuracy and mean IoU of a segmentation.',
  ),
  fork('SpatialProduct', ['pspnet'], [], count(2), ONE, 'Multiplies a blob by a single-channel spatial map.'),
  fork(
    'UniqueLabel',
    ['pspnet'],
    ['unique_label_param'],
    ONE,
    ONE,
    'Lists the distinct labels present in a label map.',
  ),
  // SphereFace (wy1iu/sphereface).
  fork(
    'MarginInnerProduct',
    ['sphereface'],
    ['margin_inner_product_param'],
    count(2),
    count(1, 2),
    'Inner product with an angular margin (A-Softmax) for face recognition; takes features and labels.',
  ),
  // R-FCN (Microsoft/caffe at the revision py-R-FCN names).
  fork(
    'PSROIPooling',
    ['rfcn'],
    ['psroi_pooling_param'],
    count(2),
    ONE,
    'Position-sensitive RoI pooling: each cell of a group_size x group_size grid over a region pools its own channels of the score maps.',
  ),
  fork(
    'BoxAnnotatorOHEM',
    ['rfcn'],
    ['box_annotator_ohem_param'],
    count(4),
    count(2),
    'Online hard example mining: keeps the roi_per_img regions of highest loss per image, giving their labels and box-regression loss weights.',
  ),
  fork(
    'SoftmaxWithLossOHEM',
    ['rfcn'],
    ['loss_param', 'softmax_param'],
    count(2),
    count(0, 3),
    'SoftmaxWithLoss that can also give the softmax output and the loss of each region (for hard example mining).',
  ),
  fork(
    'SmoothL1LossOHEM',
    ['rfcn'],
    ['loss_param'],
    count(2, 3),
    count(0, 2),
    'SmoothL1Loss that can also give the loss of each region (for hard example mining).',
  ),
  // SegNet (alexgkendall/caffe-segnet). Its BN is not ducha-aiki's or PSPNet's: bn_mode, and in LEARN
  // mode up to three tops (the output, the batch mean and the batch variance).
  fork(
    'Upsample',
    ['segnet'],
    ['upsample_param'],
    count(2),
    ONE,
    "Max-unpooling for a decoder: puts each value back where its encoder pooling layer's mask (the pooling's second top) says the maximum was.",
  ),
  fork(
    'BN',
    ['segnet'],
    ['bn_param'],
    ONE,
    count(1, 3),
    'Batch normalisation with a learned scale and shift; in LEARN mode it can also give the batch mean and variance.',
  ),
  fork(
    'DenseImageData',
    ['segnet'],
    ['dense_image_data_param', 'transform_param'],
    count(0),
    count(2),
    'Reads images and their label images (one class per pixel) from a list of pairs, for segmentation.',
  ),
  // Temporal Segment Networks (yjxiong/caffe, branch action_recog). Its BN and ROIPooling are the
  // entries above; its VideoData is not SSD's webcam reader, and its SmoothL1Loss has no sigma.
  fork(
    'VideoData',
    ['tsn'],
    ['video_data_param', 'transform_param'],
    count(0),
    count(2),
    "Reads num_segments snippets of new_length frames (RGB) or optical-flow pairs from each video of a list, stacked along the channels, with the video's label.",
  ),
  fork(
    'SmoothL1Loss',
    ['tsn'],
    ['loss_param'],
    count(2, 3),
    LOSS_TOP,
    'Smooth L1 loss for box regression, optionally weighted by a third bottom.',
  ),
  fork(
    'SyncBN',
    ['tsn'],
    ['bn_param'],
    ONE,
    ONE,
    "BN whose batch statistics are gathered over every GPU's share of the batch.",
  ),
  fork(
    'BatchReduction',
    ['tsn'],
    ['batch_reduction_param'],
    ONE,
    ONE,
    'Sums or averages a blob along one axis, whole or in pyramid levels (pools the segments of each video).',
  ),
  fork(
    'Gather',
    ['tsn'],
    [],
    count(1, undefined),
    count(1, undefined),
    "Gathers each GPU's share of a blob.",
  ),
  fork(
    'Scatter',
    ['tsn'],
    [],
    count(1, undefined),
    count(1, undefined),
    'Splits a blob into shares for the GPUs.',
  ),
  fork('Normalize', ['tsn'], [], ONE, ONE, 'Normalises each sample to unit L2 norm (no learned scale).'),
  fork(
    'SegData',
    ['tsn'],
    ['seg_data_param', 'transform_param'],
    count(0),
    count(2),
    'Reads images and their label images from a list, for segmentation.',
  ),
  // CaffeOnSpark (yahoo/CaffeOnSpark caffe-distri): the layer its Spark executors feed.
  fork(
    'CoSData',
    ['caffeonspark'],
    ['cos_data_param'],
    count(0),
    count(1, undefined),
    'Takes the batches a CaffeOnSpark job reads from its data source (source_class), one top per top entry of cos_data_param.',
  ),
  ...SYNOPSYS_LAYER_TYPES,
  ...SYNOPSYS_OP_LAYER_TYPES,
];
