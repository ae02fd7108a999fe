// Layer types Synopsys Caffe, the Caffe of Synopsys' ARC EV toolchain, registers on top of BVLC's, read at
// foss-for-synopsys-dwc-arc-processors/synopsys-caffe 977ba36a. Its TensorFlow- and ONNX-style tensor
// operators are in layer-types-synopsys-ops.ts; the rest (detection, segmentation, optical flow, point
// clouds, recurrent layers and others, many carried over from other forks) are here. The entries describe
// Synopsys' own versions, also of types other forks register (Permute, PriorBox, Interp, BN, ROIPooling,
// Normalize). `params` are the LayerParameter blocks a layer's sources read (a convolution's base class
// reads convolution_param); bottom and top counts only where the class declares them with plain numbers,
// and a loss layer's top is optional since Net::Init adds it. "GPU only": Forward_cpu is not implemented.

import { count, type BlobCount, type LayerTypeInfo } from './layer-type-info';

const ZERO = count(0);
const ONE = count(1);
const ONE_UP = count(1, undefined);
const LOSS_TOP = count(0, 1);

/** What a type's sources fix; in a table the string after it is its description. */
export interface SynopsysLayer {
  type: string;
  params: string[];
  bottoms?: BlobCount;
  tops?: BlobCount;
}

export function layer(
  type: string,
  params: string[] = [],
  bottoms?: BlobCount,
  tops?: BlobCount,
): SynopsysLayer {
  const out: SynopsysLayer = { type, params };
  if (bottoms) out.bottoms = bottoms;
  if (tops) out.tops = tops;
  return out;
}

/** A table of `layer(...)` entries each followed by its description, as Synopsys' layer types. */
export function synopsysTable(rows: readonly (SynopsysLayer | string)[]): LayerTypeInfo[] {
  const out: LayerTypeInfo[] = [];
  for (let i = 0; i < rows.length; i += 2) {
    const entry = rows[i];
    const description = rows[i + 1];
    if (typeof entry === 'string' || typeof description !== 'string')
      throw new Error(`Synopsys layer table: entry ${i / 2} is not a layer followed by its description`);
    out.push({ type: entry.type, description, params: entry.params, forks: ['synopsys'], ...counts(entry) });
  }
  return out;
}

function counts(entry: SynopsysLayer): Pick<LayerTypeInfo, 'bottoms' | 'tops'> {
  return { ...(entry.bottoms && { bottoms: entry.bottoms }), ...(entry.tops && { tops: entry.tops }) };
}

export const SYNOPSYS_LAYER_TYPES: readonly LayerTypeInfo[] = synopsysTable([
  // SSD detection (as in weiliu89/caffe, with Synopsys changes).
  layer('AnnotatedData', ['data_param', 'annotated_data_param', 'transform_param'], ZERO, ONE_UP),
  "Reads images with box annotations from a database, with SSD's sampling and distortion.",
  layer('VideoData', ['data_param', 'video_data_param', 'transform_param'], ZERO, ONE_UP),
  'Reads frames from a webcam or a video file.',
  layer('PriorBox', ['prior_box_param'], undefined, ONE),
  'Generates the prior boxes and their variances for each position of a feature map, optionally laid out as TensorFlow, Keras or FaceBoxes do.',
  layer('Permute', ['permute_param'], ONE, ONE),
  'Reorders the axes of a blob into the given order.',
  layer('Normalize', ['norm_param'], ONE, ONE),
  'L2-normalises features across channels (or the whole sample) and rescales them by a learned factor.',
  layer('DetectionOutput', ['detection_output_param', 'transform_param'], count(3, undefined), ONE),
  'Decodes box predictions against the priors, applies per-class non-maximum suppression and keeps the best detections.',
  layer('SSDDecoder', ['detection_output_param', 'transform_param'], count(2), ONE),
  'Decodes SSD box predictions against the priors into corner coordinates, with no suppression.',
  layer('SSDSort', ['detection_output_param', 'transform_param'], count(2), ONE),
  'Applies per-class non-maximum suppression to decoded boxes with their confidences and keeps the best detections.',
  layer('DetectionEvaluate', ['detection_evaluate_param'], undefined, ONE),
  'Matches detections against the ground truth and outputs true and false positive records for computing mAP.',
  layer('MultiBoxLoss', ['multibox_loss_param', 'loss_param'], undefined, LOSS_TOP),
  "SSD's training loss: matches priors to ground truth, mines hard negatives and adds localisation and confidence losses (RefineDet's refined anchors optional).",
  layer('SmoothL1Loss', ['smooth_l1_loss_param'], count(2, 4), LOSS_TOP),
  'Smooth L1 loss for box regression, optionally weighted by inside and outside weights.',
  // Region-based detection (Faster and Mask R-CNN).
  layer('Proposal', ['proposal_param'], count(3), count(1, 2)),
  'Turns RPN scores and box deltas into region proposals: places anchors over the feature map, applies the deltas, clips and suppresses overlaps.',
  layer('ROIPooling', ['roi_pooling_param'], count(2), ONE),
  'Max-pools each region of interest into a fixed pooled_h x pooled_w grid.',
  layer('ROIAlign', ['roi_align_param'], count(2), ONE),
  'Max-pools each region of interest into a fixed grid from bilinearly interpolated samples, without rounding the region.',
  layer('MaskRCNNProposal', ['maskrcnn_proposal_param'], count(3), ONE),
  'Applies RPN deltas to the anchors, keeps the best-scoring boxes, suppresses overlaps and outputs normalised proposals per image.',
  layer('PyramidROIAlign', ['pyramid_roi_align_param'], count(6), ONE),
  "Assigns each box to a feature-pyramid level by its size, then crops and resizes it from that level's map.",
  layer('Where4GatherndCrop', ['where4_gathernd_crop_param'], count(6), ONE),
  "Takes the boxes grouped by pyramid level (2 to 5) from a level map and crops and resizes each from its level's feature map.",
  layer('MaskRCNNDetection', ['maskrcnn_detection_param'], count(4), ONE),
  'Refines proposals with class-specific deltas, clips them to the image window, drops low scores, suppresses overlaps per class and outputs boxes with class and score.',
  layer('NMS', ['nms_param'], ONE, ONE),
  'Suppresses overlapping boxes of a box list and outputs the indices of the first top_k kept.',
  layer('NMSGather', ['nms_gather_param'], ONE, ONE),
  'Suppresses overlapping boxes of a box list and outputs the first top_k kept boxes.',
  // YOLO.
  layer('Reorg', ['reorg_param'], ONE, ONE),
  "Moves each stride x stride block of pixels into channels (YOLOv2's reorg), or back when reversed.",
  layer('UpsampleDarknet', ['upsample_darknet_param'], ONE, ONE),
  "Enlarges the two spatial axes by repeating each pixel stride times (Darknet's upsample).",
  layer('Tensor2Box', ['tensor2box_param'], undefined, ONE),
  'Decodes a YOLO output map into boxes: sigmoid offsets plus grid cell, exponentials of the anchor sizes, sigmoid objectness and class scores.',
  layer('YoloV2Loss', ['yolo_v2_loss_param'], count(2), LOSS_TOP),
  "YOLOv2's training loss over the anchors of each grid cell: coordinate, objectness and class terms.",
  layer('YoloV3Loss', ['yolo_v3_loss_param'], count(2), LOSS_TOP),
  "YOLOv3's training loss for one output scale, with the anchors its mask selects.",
  // Semantic segmentation (PSPNet, ICNet, DeepLab, SegNet).
  layer('Interp', ['interp_param'], ONE, ONE),
  'Resizes feature maps by bilinear interpolation, to a given size or by zoom and shrink factors.',
  layer('BN', ['bn_param'], ONE),
  'Batch normalisation with a learned per-channel scale and shift in one layer, with an ICNet variant that can freeze its statistics.',
  layer('ICNetSubgraph', [], ONE, ONE),
  "ICNet's pyramid pooling: average-pools the input over four fixed grids, resizes each result back bilinearly and adds it to the input.",
  layer('Upsample', ['upsample_param'], count(2), ONE),
  'Unpools: places each value at the position a pooling mask (the second bottom) records in a larger map of zeros.',
  layer('DenseCRF', ['dense_crf_param'], count(2, undefined), ONE),
  'Refines per-pixel class scores by mean-field inference in a fully connected CRF with position and colour kernels.',
  layer('DomainTransform', ['domain_transform_param'], undefined, ONE),
  'Smooths features with an edge-aware recursive filter guided by a reference edge map.',
  layer('DomainTransformForwardOnly', ['domain_transform_param'], undefined, ONE),
  'Smooths features with an edge-aware recursive filter guided by a reference edge map, for inference only.',
  layer('AdaptiveBiasChannel', ['adaptive_bias_channel_param'], count(2), ONE),
  "Shifts class score maps so that the classes in an image's labels cover set fractions of the pixels and absent classes are suppressed.",
  layer('BiasChannel', ['bias_channel_param'], count(2), ONE),
  'Adds a fixed bias (one for background, one for foreground) to the score maps of the classes the labels name.',
  layer('UniqueLabel', ['unique_label_param'], ONE, ONE),
  'Lists the distinct labels of each label map, less ignored and plus forced ones, padded with -1.',
  layer('SpatialProduct', [], count(2), ONE),
  'Multiplies every channel of the first bottom by the one-channel map of the second.',
  layer('SegAccuracy', ['seg_accuracy_param'], count(2), ONE),
  'Accumulates a confusion matrix and outputs pixel accuracy, mean class recall and mean IoU.',
  layer('ImageSegData', ['image_data_param', 'transform_param'], ZERO, count(0, 3)),
  'Reads images and their label maps from a list, with each image size as a third top.',
  layer('DenseImageData', ['dense_image_data_param', 'transform_param'], ZERO, count(2)),
  'Reads images and their dense label images from a list.',
  layer('MatRead', ['mat_read_param'], ZERO, ONE),
  'Reads blobs from MATLAB .mat files named by a prefix and a list or the iteration.',
  layer('MatWrite', ['mat_write_param'], undefined, ZERO),
  'Writes its bottoms to MATLAB .mat files every period iterations.',
  // Optical flow and disparity (FlowNet, DispNet).
  layer('DataAugmentation', ['augmentation_param', 'coeff_schedule_param']),
  'Applies random spatial and colour augmentations to training images (or those a second bottom gives), optionally outputting the parameters used.',
  layer('GenerateAugmentationParameters', ['augmentation_param', 'coeff_schedule_param']),
  'Draws random spatial, colour and effect augmentation parameters, scaled over training by a schedule (GPU only).',
  layer('FlowAugmentation', ['augmentation_param']),
  'Transforms an optical flow field to match the spatial augmentation of its image pair (GPU only).',
  layer('BlackAugmentation', ['black_augmentation_param'], ONE_UP, ONE_UP),
  "Randomly makes a sample's images identical with zero flow, or blacks out a border of them (GPU only).",
  layer('Correlation', ['correlation_param'], count(2), ONE),
  'Correlates two feature maps over a range of 2-D displacements, one output channel per displacement.',
  layer('Correlation1D', ['correlation_param'], count(2), ONE),
  'Correlates two feature maps over horizontal displacements only (GPU only).',
  layer('Corr1d', ['corr1d_param'], count(2), ONE),
  'Correlates a feature map with another shifted horizontally, one output channel per shift.',
  layer('FlowWarp', ['flow_warp_param']),
  'Warps an image by an optical flow field with bilinear sampling.',
  layer('Accum', ['accum_param'], ONE_UP, ONE),
  'Resizes the bottoms bilinearly to one size (largest, given or that of a reference bottom) and stacks them along channels.',
  layer('ChannelNorm', [], ONE_UP, ONE),
  'Takes the L2 norm across channels at each pixel, giving a one-channel map.',
  layer('Resample', ['resample_param'], count(1, 2), ONE),
  'Resizes images to a given size or to a second bottom by nearest, linear, cubic or area interpolation.',
  layer('Downsample', ['downsample_param'], count(1, 2), ONE),
  'Resizes images down to a given size or to that of a second bottom (GPU only).',
  layer('Mean', ['mean_param']),
  'Adds or subtracts a mean (read from a file or given per channel), with scales on the input, the mean and the result.',
  layer('L1Loss', ['l1_loss_param'], count(1, 2), LOSS_TOP),
  'L1 loss (or per-position L2) of a blob or of the difference of two, skipping NaN entries (GPU only).',
  layer('LpqLoss', ['lpq_loss_param'], count(1, 2), LOSS_TOP),
  'Robust Lp-norm-to-the-q loss of a blob or of the difference of two, with p and q changing on an iteration schedule and NaN entries skipped (GPU only).',
  layer('FloatReader', ['reader_param']),
  'Loads a blob from a binary float file and repeats it num times.',
  layer('FloatWriter', ['writer_param'], ONE),
  'Writes each sample of its bottom to a binary float file.',
  layer('FLOWriter', ['writer_param'], ONE),
  'Writes each sample of a two-channel flow blob to a Middlebury .flo file.',
  // Point clouds (PointNet++).
  layer('FarthestPointSample', ['point_net_param'], ONE, ONE),
  'Picks n_sample_point points by iterative farthest-point sampling and outputs their indices.',
  layer('QueryBallPoint', ['point_net_param'], count(2), ONE),
  'Finds, for each centroid, up to n_sample_point indices of points within radius of it.',
  layer('GroupPoint', [], count(2), ONE),
  'Gathers the features of points at the neighbour indices of a second bottom.',
  layer('ThreeNN', [], count(2), count(2)),
  'Finds the three nearest points of the second set for each point of the first, outputting distances and indices.',
  layer('ThreeInterpolate', [], count(3), ONE),
  'Interpolates point features from three neighbours with the given indices and weights.',
  // Recurrent layers and attention.
  layer('RNNv2', ['rnn_v2_param', 'recurrent_param']),
  'Multi-layer recurrent layer as ONNX defines it: RNN, GRU or LSTM cells run forward, in reverse or both ways.',
  layer('SimpleRNN', ['recurrent_param']),
  'Plain recurrent layer h = f(W x + U h_prev + b), unrolled over time.',
  layer('GRU', ['recurrent_param']),
  'Gated recurrent unit layer as ONNX defines it, unrolled over time.',
  layer('LSTMV2', ['recurrent_param']),
  'LSTM layer with configurable gate activations, unrolled over time.',
  layer('PeepholeLSTM', ['recurrent_param']),
  'LSTM layer with peephole connections from the cell state to the gates, unrolled over time.',
  layer('Attention', ['attention_param'], count(4), ONE),
  'Scores a query against each memory entry with an additive (Bahdanau) attention and softmax, optionally normalised.',
  layer('LuongAttention', [], count(3), ONE),
  'Scores a query against each memory entry by dot product (Luong attention), with sizes fixed in the code rather than read from a parameter.',
  // Pruned, depthwise and other convolution and pooling layers.
  layer('ConvolutionDepthwise', ['convolution_param'], ONE_UP, ONE_UP),
  'Depthwise convolution: each input channel is convolved with its own filters.',
  layer('SqueezeConvolution', ['convolution_param', 'squeeze_convolution_param'], ONE_UP, ONE_UP),
  'Convolution whose weights and bias are pruned and restored by masks that training updates from magnitude thresholds.',
  layer('SqueezeDeconvolution', ['convolution_param', 'squeeze_convolution_param'], ONE_UP, ONE_UP),
  'Deconvolution whose weights and bias are pruned and restored by masks that training updates from magnitude thresholds.',
  layer('SqueezeInnerProduct', ['squeeze_inner_product_param', 'inner_product_param'], ONE, ONE),
  'Inner product whose weights and bias are pruned and restored by masks that training updates from magnitude thresholds.',
  layer('Pooling3D', ['pooling3d_param'], ONE, ONE),
  'Max or average pooling (padding counted or not) over the depth, height and width of 5-D blobs.',
  layer('SpatialBatchingPooling', ['spatial_batching_pooling_param'], ONE),
  'Pools each tile of a feature map that holds a grid of spatially batched tiles separately.',
  layer('SeLUDropout', ['selu_dropout_param'], ONE, ONE),
  'Alpha dropout for SELU networks: in training, sets dropped elements to alpha and rescales to keep mean and variance.',
  // GAN training.
  layer('GANLoss', ['gan_loss_param'], count(2), LOSS_TOP),
  "Adversarial loss from the discriminator's scores on real and generated samples, alternating discriminator and generator terms by iteration.",
  layer('BEGANLoss', ['gan_loss_param'], count(4), LOSS_TOP),
  "BEGAN's loss from the reconstruction errors of real and generated samples, with its balance k_t driven toward an equilibrium.",
]);
