// BVLC layer types a bundled fork does not register: each fork branched from BVLC Caffe at some point
// and took later layers from it only as far as it merged them. Read from the REGISTER_LAYER_CLASS and
// REGISTER_LAYER_CREATOR lines of each fork's sources at the revision whose caffe.proto is bundled
// (the revisions of layer-types-forks.ts): rbgirshick/caffe-fast-rcnn 0dcd397b (2016-02),
// weiliu89/caffe ssd 4817bf8b (2018-01), NVIDIA/caffe caffe-0.17 87a25543, ducha-aiki/caffe elu
// c9b0c544 (2015-12), hszhao/PSPNet 798bdc9, wy1iu/sphereface f20b130 (tools/caffe-sphereface),
// Microsoft/caffe 1a2be8ec (2016-09), alexgkendall/caffe-segnet 344c113b, yjxiong/caffe 9831a2b4 and
// yahoo/caffe fc0a02ef. DeepLab v1's and DeconvNet's Caffes read `layers { }` nets (types are enum
// values there) and Synopsys Caffe has its own table: none of them is listed.

import type { BundledName } from './bundled';

/** Types BVLC added in 2016 and later: Input, Crop and Parameter, the recurrent layers, Clip, Swish. */
const SINCE_2016 = ['Clip', 'Crop', 'Input', 'LSTM', 'LSTMUnit', 'Parameter', 'RNN', 'Swish'];
/** Types BVLC added in 2015 that the oldest forks' sources predate as well. */
const OF_2015 = ['BatchNorm', 'BatchReindex', 'ELU', 'Embed', 'Tile'];

/** Per bundled fork, the BVLC layer types its sources do not register. */
export const BVLC_TYPES_MISSING: Readonly<Partial<Record<BundledName, readonly string[]>>> = {
  fastrcnn: SINCE_2016,
  ssd: ['Clip', 'Swish'],
  nvidia: ['Clip', 'Parameter', 'Swish'],
  ducha: [...SINCE_2016, 'Bias', 'Scale'],
  pspnet: SINCE_2016,
  sphereface: ['Clip', 'Log', 'Swish'],
  rfcn: ['Clip', 'Swish'],
  segnet: [...SINCE_2016, ...OF_2015, 'Bias', 'Scale'],
  tsn: [...SINCE_2016, ...OF_2015],
  caffeonspark: ['Clip', 'Swish'],
};

/** Whether the bundled fork `fork` lacks the BVLC layer type `type`. */
export function forkLacksBvlcType(fork: BundledName, type: string): boolean {
  return BVLC_TYPES_MISSING[fork]?.includes(type) === true;
}
