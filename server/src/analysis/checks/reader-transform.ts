// A data reader's transformation fields written in its own block (`data_param { crop_size mirror }`),
// where caffe.proto still has them, marked deprecated in comments: a current `layer { }` never reads
// them, its reader takes them from transform_param. Caffe's upgrade moves them there for a V1 net only
// (UpgradeNetDataTransformation), so the shape rules read them there for V1 layers (rules-data.ts).

import type { FieldNode, MessageNode } from '../../parser/ast';
import type { NetLayer } from '../model/net';
import type { Check } from './context';

export const READER_TRANSFORM_CODE = 'reader-transform';

/** Reader types, their own block, and the transformation fields that block has but they do not read. */
const READERS: ReadonlyMap<string, { block: string; message: string; fields: readonly string[] }> = new Map([
  [
    'Data',
    {
      block: 'data_param',
      message: 'caffe.DataParameter',
      fields: ['scale', 'mean_file', 'crop_size', 'mirror'],
    },
  ],
  [
    'ImageData',
    {
      block: 'image_data_param',
      message: 'caffe.ImageDataParameter',
      fields: ['scale', 'mean_file', 'crop_size', 'mirror'],
    },
  ],
  // WindowData reads its own `scale` still.
  [
    'WindowData',
    {
      block: 'window_data_param',
      message: 'caffe.WindowDataParameter',
      fields: ['mean_file', 'crop_size', 'mirror'],
    },
  ],
]);

/** The fields of a current reader layer's own block that it does not read, if any. */
export function unreadTransformFields(
  layer: NetLayer,
): { own: MessageNode; fields: FieldNode[]; transform: MessageNode | undefined } | undefined {
  const reader = layer.format === 'v2' ? READERS.get(layer.type) : undefined;
  const own = reader && layer.paramBlocks.get(reader.block);
  if (!reader || !own) return undefined;
  const fields = own.fields.filter((f) => reader.fields.includes(f.name) && f.value !== undefined);
  if (fields.length === 0) return undefined;
  return { own, fields, transform: layer.paramBlocks.get('transform_param') };
}

export const checkReaderTransform: Check = (ctx) => {
  for (const net of ctx.nets) {
    for (const layer of net.layers) {
      const found = unreadTransformFields(layer);
      if (!found) continue;
      const reader = READERS.get(layer.type);
      if (!reader) continue;
      for (const f of found.fields) {
        // A field the schema in use lacks is an unknown field already.
        if (ctx.schema.field(reader.message, f.name) === undefined) continue;
        const there = found.transform?.fields.find((t) => t.name === f.name && t.value !== undefined);
        const fix = there
          ? `transform_param sets ${f.name} already, and that is the value used.`
          : `Write it in transform_param.`;
        ctx.report({
          severity: 'warning',
          code: READER_TRANSFORM_CODE,
          message:
            `${f.name} in ${reader.block} is not read: the ${layer.type} layer takes it from transform_param ` +
            `(Caffe moves it there when it upgrades a V1 net, not in a layer { }). ${fix}`,
          start: f.nameSpan.start,
          end: f.nameSpan.end,
        });
      }
    }
  }
};
