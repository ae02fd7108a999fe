// V0 nets (`layers { layer { type: "conv" num_output: 96 } bottom: "data" top: "conv1" }`) to the
// V1 layout with a V2 type string: the inner layer is flattened and its fields move into the
// parameter block of the layer's type, as Caffe's UpgradeV0LayerParameter maps them. `padding`
// layers are folded into the conv/pool layer they feed (UpgradeV0PaddingLayers). Comments move
// with their fields; the comments of the inner `layer { }` stay inside the new layer.

import { pushAll } from '../../../../common/arrays';
import { ownEntry } from '../../../../common/tables';
import { layerTypeFromV0, V0_TYPE_NAMES } from '../model/net-legacy';
import {
  block,
  layoutField,
  scalar,
  type LayoutComment,
  type LayoutField,
  type LayoutMessage,
} from './format-tree';

/** V0 field -> [V0 type, parameter block, field name there] (first matching type wins). */
const V0_FIELDS: Readonly<Record<string, readonly (readonly [string, string, string])[]>> = {
  num_output: [
    ['conv', 'convolution_param', 'num_output'],
    ['innerproduct', 'inner_product_param', 'num_output'],
  ],
  biasterm: [
    ['conv', 'convolution_param', 'bias_term'],
    ['innerproduct', 'inner_product_param', 'bias_term'],
  ],
  weight_filler: [
    ['conv', 'convolution_param', 'weight_filler'],
    ['innerproduct', 'inner_product_param', 'weight_filler'],
  ],
  bias_filler: [
    ['conv', 'convolution_param', 'bias_filler'],
    ['innerproduct', 'inner_product_param', 'bias_filler'],
  ],
  pad: [
    ['conv', 'convolution_param', 'pad'],
    ['pool', 'pooling_param', 'pad'],
  ],
  kernelsize: [
    ['conv', 'convolution_param', 'kernel_size'],
    ['pool', 'pooling_param', 'kernel_size'],
  ],
  group: [['conv', 'convolution_param', 'group']],
  stride: [
    ['conv', 'convolution_param', 'stride'],
    ['pool', 'pooling_param', 'stride'],
  ],
  pool: [['pool', 'pooling_param', 'pool']],
  dropout_ratio: [['dropout', 'dropout_param', 'dropout_ratio']],
  local_size: [['lrn', 'lrn_param', 'local_size']],
  alpha: [['lrn', 'lrn_param', 'alpha']],
  beta: [['lrn', 'lrn_param', 'beta']],
  k: [['lrn', 'lrn_param', 'k']],
  source: [
    ['data', 'data_param', 'source'],
    ['hdf5_data', 'hdf5_data_param', 'source'],
    ['images', 'image_data_param', 'source'],
    ['window_data', 'window_data_param', 'source'],
    ['infogain_loss', 'infogain_loss_param', 'source'],
  ],
  scale: [['*', 'transform_param', 'scale']],
  meanfile: [['*', 'transform_param', 'mean_file']],
  cropsize: [['*', 'transform_param', 'crop_size']],
  mirror: [['*', 'transform_param', 'mirror']],
  batchsize: [
    ['data', 'data_param', 'batch_size'],
    ['hdf5_data', 'hdf5_data_param', 'batch_size'],
    ['images', 'image_data_param', 'batch_size'],
    ['window_data', 'window_data_param', 'batch_size'],
  ],
  rand_skip: [
    ['data', 'data_param', 'rand_skip'],
    ['images', 'image_data_param', 'rand_skip'],
  ],
  shuffle_images: [['images', 'image_data_param', 'shuffle']],
  new_height: [['images', 'image_data_param', 'new_height']],
  new_width: [['images', 'image_data_param', 'new_width']],
  concat_dim: [['concat', 'concat_param', 'concat_dim']],
  det_fg_threshold: [['window_data', 'window_data_param', 'fg_threshold']],
  det_bg_threshold: [['window_data', 'window_data_param', 'bg_threshold']],
  det_fg_fraction: [['window_data', 'window_data_param', 'fg_fraction']],
  det_context_pad: [['window_data', 'window_data_param', 'context_pad']],
  det_crop_mode: [['window_data', 'window_data_param', 'crop_mode']],
};

/** V0 fields that V1 layers keep under the same name (the V1 step turns them into `param { }`). */
const KEPT = new Set(['blobs_lr', 'weight_decay', 'blobs']);

/** Whether a top-level field is a V0 layer (`layers { layer { ... } }`). */
export function isV0Layer(field: LayoutField): boolean {
  return (
    field.name === 'layers' &&
    field.value.kind === 'message' &&
    field.value.fields.some((f) => f.name === 'layer' && f.value.kind === 'message')
  );
}

/** Unquoted text of a string scalar (first literal), for type names and blob names. */
function stringOf(field: LayoutField | undefined): string | undefined {
  if (field?.value.kind !== 'scalar') return undefined;
  const m = /^(["'])(.*)\1/.exec(field.value.text);
  return m ? m[2] : undefined;
}

interface V0Layer {
  field: LayoutField;
  outer: LayoutMessage;
  inner: LayoutField;
  type: string;
}

/**
 * Rewrites the V0 layers of `fields` (top-level fields) in place into V1-layout layers with V2
 * type strings; `problems` receives what Caffe could not map either (those fields are kept).
 */
export function upgradeV0Layers(fields: LayoutField[], problems: string[]): LayoutComment[] {
  const lastProducer = new Map<string, V0Layer>();
  const carried: LayoutComment[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (!isV0Layer(field) || field.value.kind !== 'message') continue;
    const outer = field.value;
    const inner = outer.fields.find((f) => f.name === 'layer' && f.value.kind === 'message') as LayoutField;
    const innerBody = inner.value as LayoutMessage;
    const layer: V0Layer = {
      field,
      outer,
      inner,
      type: stringOf(innerBody.fields.find((f) => f.name === 'type')) ?? '',
    };
    foldPadding(layer, lastProducer, problems);
    for (const top of outer.fields.filter((f) => f.name === 'top')) {
      const name = stringOf(top);
      if (name !== undefined) lastProducer.set(name, layer);
    }
    if (layer.type === 'padding') {
      // Folded into its consumers; its comments go before the next layer.
      pushAll(pushAll(carried, field.leading), commentsOf(field));
      fields.splice(i--, 1);
      continue;
    }
    fields[i] = { ...flattenV0(layer, problems), leading: [...carried, ...field.leading] };
    carried.length = 0;
  }
  return carried;
}

/** A bottom produced by a padding layer: read the padding layer's input and take its `pad`. */
function foldPadding(layer: V0Layer, lastProducer: Map<string, V0Layer>, problems: string[]): void {
  for (const bottom of layer.outer.fields.filter((f) => f.name === 'bottom')) {
    const source = lastProducer.get(stringOf(bottom) ?? '');
    if (!source || source.type !== 'padding') continue;
    if (layer.type !== 'conv' && layer.type !== 'pool') {
      problems.push(
        `A padding layer feeds a "${layer.type}" layer; Caffe folds padding only into conv and pool layers.`,
      );
      continue;
    }
    const sourceBottom = source.outer.fields.find((f) => f.name === 'bottom');
    const pad = (source.inner.value as LayoutMessage).fields.find((f) => f.name === 'pad');
    if (sourceBottom) bottom.value = sourceBottom.value;
    if (pad) (layer.inner.value as LayoutMessage).fields.push(layoutField('pad', pad.value));
  }
}

/** One V0 layer as a V1-layout layer: name, type, bottoms, tops, kept fields, parameter blocks. */
function flattenV0(layer: V0Layer, problems: string[]): LayoutField {
  const body = layer.inner.value as LayoutMessage;
  const out: LayoutField[] = [];
  const blocks = new Map<string, LayoutMessage>();
  const head: LayoutField[] = [];
  for (const f of body.fields) {
    if (f.name === 'name') head[0] = f;
    else if (f.name === 'type') {
      head[1] = { ...f, value: scalar(JSON.stringify(layerTypeFromV0(layer.type))) };
      if (!V0_TYPE_NAMES.includes(layer.type))
        problems.push(
          `Caffe's upgrade has no name for the V0 type "${layer.type}" and stops there ("Unknown layer name: ${layer.type}"): it is written as "${layer.type}".`,
        );
    }
  }
  const rest = layer.outer.fields.filter((f) => f !== layer.inner);
  const flows = rest.filter((f) => f.name === 'bottom' || f.name === 'top');
  pushAll(pushAll(out, head.filter(Boolean)), flows);
  for (const f of body.fields) {
    if (f.name === 'name' || f.name === 'type') continue;
    if (KEPT.has(f.name)) {
      out.push(f);
      continue;
    }
    const rule = ownEntry(V0_FIELDS, f.name)?.find(([type]) => type === '*' || type === layer.type);
    const target = rule
      ? rule[1]
      : f.name === 'hdf5_output_param' && layer.type === 'hdf5_output'
        ? f.name
        : undefined;
    if (!target) {
      problems.push(
        `Layer "${stringOf(head[0]) ?? '?'}": Caffe has no place for "${f.name}" in a "${layer.type}" layer; it was kept as written.`,
      );
      out.push(f);
      continue;
    }
    if (target === f.name) {
      out.push(f);
      continue;
    }
    let param = blocks.get(target);
    if (!param) {
      param = block([]);
      blocks.set(target, param);
      out.push(layoutField(target, param));
    }
    param.fields.push({ ...f, name: rule?.[2] ?? f.name });
  }
  pushAll(
    out,
    rest.filter((f) => f.name !== 'bottom' && f.name !== 'top'),
  );
  const inner: LayoutComment[] = [
    ...layer.inner.leading,
    ...(layer.inner.value.kind === 'message' && body.openTrailing
      ? [{ text: body.openTrailing, blankBefore: false }]
      : []),
  ];
  if (out[0] && inner.length > 0) out[0] = { ...out[0], leading: [...inner, ...out[0].leading] };
  const closing = [
    ...body.closing,
    ...(layer.inner.trailing ? [{ text: layer.inner.trailing, blankBefore: false }] : []),
    ...layer.outer.closing,
  ];
  return {
    ...layer.field,
    value: {
      kind: 'message',
      fields: out,
      closing,
      oneLine: false,
      ...(layer.outer.openTrailing ? { openTrailing: layer.outer.openTrailing } : {}),
    },
  };
}

/** Every comment inside a field (for fields that are removed). */
function commentsOf(field: LayoutField): LayoutComment[] {
  const out: LayoutComment[] = [];
  const own = (text: string | undefined) => {
    if (text) out.push({ text, blankBefore: false });
  };
  const visit = (f: LayoutField) => {
    pushAll(out, f.leading);
    if (f.value.kind === 'message') {
      own(f.value.openTrailing);
      f.value.fields.forEach(visit);
      pushAll(out, f.value.closing);
    }
    own(f.trailing);
  };
  if (field.value.kind === 'message') {
    own(field.value.openTrailing);
    field.value.fields.forEach(visit);
    pushAll(out, field.value.closing);
  }
  own(field.trailing);
  return out;
}
