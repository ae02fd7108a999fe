// Layer types that no bundled schema's Caffe registers but that public nets use widely, each added
// to a Caffe by copying a repository's layer source into it: what the type is and which source
// registers it, for the message on an unknown layer type.

export interface PluginLayerType {
  /** What the layer does, as a noun phrase. */
  what: string;
  /** The source that registers it, and a repository that ships it. */
  source: string;
  /** The parameter block it reads that Caffe's proto must be given too, if any. */
  block?: string;
  /**
   * The bottoms it takes, when forks register a type of the same name that takes other counts: a layer
   * with this many is the plugin's, not theirs.
   */
  bottoms?: number;
}

/** "a Caffe built with SOURCE registers it (with BLOCK added to its caffe.proto)". */
export function pluginRegistration(plugin: PluginLayerType): string {
  const block = plugin.block ? ` (with ${plugin.block} added to its caffe.proto)` : '';
  return `a Caffe built with ${plugin.source} registers it${block}`;
}

/** A layer of Ristretto (pmgysel/caffe), whose `ristretto quantize` writes nets of them, copied widely. */
function ristretto(what: string, file: string): PluginLayerType {
  return {
    what: `Ristretto's ${what} with quantized weights and activations, which its ristretto quantize tool writes`,
    source: `${file} (pmgysel/caffe, Ristretto)`,
    block: 'quantization_param',
  };
}

export const PLUGIN_LAYER_TYPES: ReadonlyMap<string, PluginLayerType> = new Map([
  [
    'ConvolutionDepthwise',
    {
      what: "the MobileNet ports' depthwise convolution",
      source: 'conv_dw_layer.cpp (farmingyard/caffe-mobilenet)',
    },
  ],
  [
    'DepthwiseConvolution',
    {
      what: 'a depthwise convolution (MobileNet-YOLO carries it)',
      source: 'depthwise_conv_layer.cpp (yonghenglh6/DepthwiseConvolution)',
    },
  ],
  [
    'ReLU6',
    {
      what: 'a ReLU clipped at 6, min(max(x, 0), 6), which the MobileNet v2 ports (SSDLite) use',
      source: 'relu6_layer.cpp (chuanqi305/ssd)',
    },
  ],
  [
    // SegNet's and Synopsys Caffe's Upsample unpool with a pooling mask, a second bottom.
    'Upsample',
    {
      what: "the YOLOv3 and YOLOv4 ports' nearest-neighbour upsampling by upsample_param's scale",
      source: 'upsample_layer.cpp (ChenYingpeng/darknet2caffe)',
      block: 'upsample_param',
      bottoms: 1,
    },
  ],
  [
    'Mish',
    {
      what: "the YOLOv4 ports' Mish activation, x·tanh(softplus(x))",
      source: 'mish_layer.cpp (ChenYingpeng/darknet2caffe)',
    },
  ],
  [
    // HED's, copied by the edge and saliency nets built on it (RCF, DSS).
    'ImageLabelmapData',
    {
      what: "HED's data layer, which reads an image and its label map per line of image_data_param's source",
      source: 'image_labelmap_data_layer.cpp (s9xie/hed)',
    },
  ],
  [
    'ShuffleChannel',
    {
      what: "ShuffleNet's channel shuffle",
      source: 'shuffle_channel_layer.cpp (farmingyard/ShuffleNet)',
      block: 'shuffle_channel_param',
    },
  ],
  [
    // Face nets' test-time mirroring (NormFace, AMSoftmax, the center-loss face models).
    'Flip',
    {
      what: 'a mirror of the blob along its width or height, which face nets use to add a mirrored face',
      source: 'flip_layer.cpp (happynear/caffe-windows)',
      block: 'flip_param',
    },
  ],
  ['ConvolutionRistretto', ristretto('convolution', 'conv_ristretto_layer.cpp')],
  ['DeconvolutionRistretto', ristretto('deconvolution', 'deconv_ristretto_layer.cpp')],
  ['FcRistretto', ristretto('inner product', 'fc_ristretto_layer.cpp')],
  ['LRNRistretto', ristretto('local response normalization', 'lrn_ristretto_layer.cpp')],
]);
