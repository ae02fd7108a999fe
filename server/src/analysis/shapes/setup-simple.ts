// Set-up checks of single settings, each a CHECK of one BVLC layer type's LayerSetUp (or of the start
// of its Reshape, before any shape is read): layers that refuse to run in place, a Tile without a
// positive `tiles`, a logarithm base, an HDF5Data given a transform_param, an ArgMax top_k below 1, an
// Embed or MemoryData without positive sizes, an Eltwise's coefficients, a data layer's mean given
// both as a file and as values, DummyData's fillers and shapes per top, Input's shapes per top,
// InfogainLoss's matrix and its deprecated `normalize`, ImageData's resize (both sizes or neither)
// and batch size.

import type { Span } from '../../parser/ast';
import type { LayerParams } from './params';

export type ParamCheck = (params: LayerParams) => { message: string; at: Span } | undefined;

/** Our sentence, then Caffe's own words. */
export function caffeSays(
  ours: string,
  caffe: string,
  at: Span,
  type = 'Pooling',
): { message: string; at: Span } {
  return { message: `${type}: ${ours}; Caffe stops building the net ("${caffe}")`, at };
}

/** AbsVal, Flatten, Reshape and Split: top 0 written with bottom 0's name makes them one blob. */
function notInPlace(type: string): ParamCheck {
  return (params) => {
    const { layer } = params;
    const top = layer.tops[0];
    if (top === undefined || top.name !== layer.bottoms[0]?.name) return undefined;
    // The checkout's own source of the type has no such check (Reshape before BVLC added it).
    if (params.checkoutRunsInPlace(type)) return undefined;
    return caffeSays(
      `it cannot compute in place: give its top a name of its own, not its bottom's '${top.name}'`,
      `${type} Layer does not allow in-place computation.`,
      top.span,
      type,
    );
  };
}

const tile: ParamCheck = (params) => {
  const p = params.block('tile_param');
  if (!p.has('tiles'))
    return caffeSays(
      'tiles must be given',
      'Number of tiles must be specified',
      params.blockName('tile_param'),
      'Tile',
    );
  const tiles = p.number('tiles', 0);
  if (tiles > 0) return undefined;
  return caffeSays(
    `tiles must be positive, not ${tiles}`,
    'Number of tiles must be positive.',
    p.span('tiles') ?? params.blockName('tile_param'),
    'Tile',
  );
};

/** Exp and Log: a base of -1 means e; any other must be positive. */
function base(type: string, block: string): ParamCheck {
  return (params) => {
    const p = params.block(block);
    const value = p.number('base', -1);
    if (value === -1 || value > 0) return undefined;
    return caffeSays(
      `base ${value} is not positive (-1, the default, is e)`,
      'base must be strictly positive.',
      p.span('base') ?? params.blockName(block),
      type,
    );
  };
}

const hdf5Data: ParamCheck = (params) => {
  const layer = params.layer;
  if (layer.format === 'v0' || !layer.paramBlocks.has('transform_param')) return undefined;
  return caffeSays(
    'the arrays are read as stored: it takes no transform_param (scale or crop them when writing the file)',
    'HDF5Data does not transform data.',
    params.blockName('transform_param'),
    'HDF5Data',
  );
};

const argMax: ParamCheck = (params) => {
  const p = params.block('argmax_param');
  const k = p.number('top_k', 1);
  if (k >= 1) return undefined;
  return caffeSays(
    `top_k ${k} is less than 1`,
    'top k must not be less than 1.',
    p.span('top_k') ?? params.blockName('argmax_param'),
    'ArgMax',
  );
};

const embed: ParamCheck = (params) => {
  const p = params.block('embed_param');
  for (const field of ['num_output', 'input_dim'] as const) {
    const value = p.number(field, 0);
    if (value > 0) continue;
    return caffeSays(
      p.has(field) ? `${field} must be positive, not ${value}` : `${field} must be given`,
      `EmbedLayer ${field} must be positive.`,
      p.span(field) ?? params.blockName('embed_param'),
      'Embed',
    );
  }
  return undefined;
};

const memoryData: ParamCheck = (params) => {
  const p = params.block('memory_data_param');
  const missing = ['batch_size', 'channels', 'height', 'width'].find((f) => !(p.number(f, 0) > 0));
  if (missing === undefined) return undefined;
  return caffeSays(
    `${missing} must be given and positive`,
    'batch_size, channels, height, and width must be specified and positive in memory_data_param',
    p.span(missing) ?? params.blockName('memory_data_param'),
    'MemoryData',
  );
};

/** EltwiseLayer::LayerSetUp: one coeff per bottom, or none; and coeffs only for a sum (or max). */
const eltwise: ParamCheck = (params) => {
  const layer = params.layer;
  if (layer.format !== 'v0' && !layer.paramBlocks.has('eltwise_param')) return undefined;
  const p = params.block('eltwise_param');
  const coeffs = p.numbers('coeff').length;
  if (coeffs === 0) return undefined;
  const bottoms = layer.bottoms.length;
  if (coeffs !== bottoms)
    return caffeSays(
      `${coeffs} coeff value${coeffs === 1 ? '' : 's'} for ${bottoms} bottom${bottoms === 1 ? '' : 's'}: give one per bottom, or none`,
      'Eltwise Layer takes one coefficient per bottom blob.',
      p.span('coeff') ?? params.blockName('eltwise_param'),
      'Eltwise',
    );
  if (p.enumName('operation', 'SUM') !== 'PROD') return undefined;
  return caffeSays(
    'a product takes no coeff (they weigh the bottoms of a sum)',
    'Eltwise layer only takes coefficients for summation.',
    p.span('coeff') ?? params.blockName('eltwise_param'),
    'Eltwise',
  );
};

/** The DataTransformer of a data layer: its mean is a mean_file or mean_value(s), never both. */
function oneMean(type: string): ParamCheck {
  return (params) => {
    const layer = params.layer;
    if (layer.format === 'v0' || !layer.paramBlocks.has('transform_param')) return undefined;
    const p = params.block('transform_param');
    if (!p.has('mean_file') || !p.has('mean_value')) return undefined;
    return caffeSays(
      'give mean_file or mean_value, not both',
      'Cannot specify mean_file and mean_value at the same time',
      p.span('mean_value') ?? params.blockName('transform_param'),
      type,
    );
  };
}

/**
 * ImageDataLayer::DataLayerSetUp: the resize given whole (new_height and new_width) or not at all,
 * checked before the list of images is read; a positive batch size, checked once the first image is.
 */
const imageData: ParamCheck = (params) => {
  const p = params.block('image_data_param');
  const height = p.number('new_height', 0);
  const width = p.number('new_width', 0);
  if (height > 0 !== width > 0)
    return caffeSays(
      `new_height and new_width resize the images together: give ${height > 0 ? 'new_width' : 'new_height'} too, or neither`,
      'Current implementation requires new_height and new_width to be set at the same time.',
      p.span(height > 0 ? 'new_height' : 'new_width') ?? params.blockName('image_data_param'),
      'ImageData',
    );
  if (p.number('batch_size', 1) > 0) return undefined;
  return caffeSays(
    'batch_size must be positive',
    'Positive batch size required',
    p.span('batch_size') ?? params.blockName('image_data_param'),
    'ImageData',
  );
};

/** On the last `field` written in `block` (its name when it is a block itself), else on the block. */
function lastWritten(params: LayerParams, block: string, field: string): Span {
  const layer = params.layer;
  const written = layer.format === 'v0' ? undefined : layer.paramBlocks.get(block)?.fields;
  const last = written?.filter((f) => f.name === field).pop();
  if (last === undefined) return params.blockName(block);
  return last.value?.kind === 'message' ? last.nameSpan : (last.value ?? last.nameSpan);
}

/** InputLayer::LayerSetUp: a shape once, once per top, or none. */
const input: ParamCheck = (params) => {
  const shapes = params.block('input_param').messages('shape').length;
  const tops = params.layer.tops.length;
  if (shapes <= 1 || shapes === tops) return undefined;
  return caffeSays(
    `${shapes} shapes for ${tops} top${tops === 1 ? '' : 's'}: give one, or one per top`,
    `Must specify 'shape' once, once per top blob, or not at all: ${tops} tops vs. ${shapes} shapes.`,
    lastWritten(params, 'input_param', 'shape'),
    'Input',
  );
};

/** DummyDataLayer::LayerSetUp: fillers and shapes (or the legacy 4-D sizes) once, or once per top. */
const dummyData: ParamCheck = (params) => {
  const layer = params.layer;
  const p = params.block('dummy_data_param');
  const at = (field: string) => lastWritten(params, 'dummy_data_param', field);
  const tops = layer.tops.length;
  const fillers = p.messages('data_filler').length;
  if (fillers > 1 && fillers !== tops)
    return caffeSays(
      `${fillers} data_filler for ${tops} tops: give none, one, or one per top`,
      `Number of data fillers must be 0, 1 or equal to the number of tops: ${tops}; you specified ${fillers} data fillers.`,
      at('data_filler'),
      'DummyData',
    );
  const legacy = ['num', 'channels', 'height', 'width'];
  const shapes = p.messages('shape').length;
  if (legacy.some((f) => p.has(f))) {
    if (shapes > 0)
      return caffeSays(
        'give shape, or num, channels, height and width, not both',
        'Both shape and legacy fields were specified',
        at('shape'),
        'DummyData',
      );
    for (const field of legacy) {
      const n = p.numbers(field).length;
      if (n === 1 || n === tops) continue;
      return caffeSays(
        `${field} is given ${n} times for ${tops} tops: give it once, or once per top`,
        `Must specify '${field}' once, or once per top blob (${tops}); specified ${n}.`,
        at(field),
        'DummyData',
      );
    }
    return undefined;
  }
  if (shapes === 1 || shapes === tops) return undefined;
  return caffeSays(
    `${shapes} shape${shapes === 1 ? '' : 's'} for ${tops} tops: give one, or one per top`,
    `Must specify 'shape' once, or once per top blob (${tops}); specified ${shapes}.`,
    at('shape'),
    'DummyData',
  );
};

/** InfogainLossLayer::LayerSetUp: no deprecated `normalize`; its matrix from a file unless a bottom. */
const infogainLoss: ParamCheck = (params) => {
  const loss = params.block('loss_param');
  if (loss.has('normalize'))
    return caffeSays(
      'loss_param.normalize is replaced by normalization (VALID normalizes by the labels not ignored)',
      'normalize is deprecated. use "normalization"',
      loss.span('normalize') ?? params.blockName('loss_param'),
      'InfogainLoss',
    );
  if (params.layer.bottoms.length >= 3 || params.block('infogain_loss_param').has('source')) return undefined;
  return caffeSays(
    'the infogain matrix H is read from infogain_loss_param.source, or given as a third bottom',
    'Infogain matrix source must be specified.',
    params.layer.typeSpan ?? params.blockName('infogain_loss_param'),
    'InfogainLoss',
  );
};

export const SIMPLE_CHECKS: readonly [string, ParamCheck][] = [
  ...['AbsVal', 'Flatten', 'Reshape', 'Split'].map((t): [string, ParamCheck] => [t, notInPlace(t)]),
  ['Tile', tile],
  ['Exp', base('Exp', 'exp_param')],
  ['Log', base('Log', 'log_param')],
  ['HDF5Data', hdf5Data],
  ['ArgMax', argMax],
  ['Embed', embed],
  ['MemoryData', (params) => oneMean('MemoryData')(params) ?? memoryData(params)],
  ['Eltwise', eltwise],
  ['DummyData', dummyData],
  ['Input', input],
  ['InfogainLoss', infogainLoss],
  ...['Data', 'WindowData'].map((t): [string, ParamCheck] => [t, oneMean(t)]),
  ['ImageData', (params) => oneMean('ImageData')(params) ?? imageData(params)],
];
