// A data reader without a `source` (or with an empty one). Each reader opens its source as Caffe sets
// it up and stops when there is nothing to open: Data opens its database as the layer is made
// (LevelDB unless `backend` says LMDB), ImageData reads an empty list of images, HDF5Data and
// WindowData cannot open their list. Told for each phase that keeps the layer (the phase rule grades
// it); the shapes are inferred as written, so a net whose source is still to be written keeps them.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer } from '../model/net';
import type { Schema } from '../../schema/schema';
import { LayerParams } from './params';
import { nonBvlcParam } from './readable-params';

/** Each reader type: its block, and what Caffe says when there is no source (by the block's settings). */
const READERS: ReadonlyMap<string, { block: string; caffe: (p: LayerParams) => string }> = new Map([
  [
    'Data',
    {
      block: 'data_param',
      caffe: (p: LayerParams) =>
        p.block('data_param').enumName('backend', 'LEVELDB') === 'LMDB'
          ? 'No such file or directory'
          : 'Failed to open leveldb',
    },
  ],
  ['ImageData', { block: 'image_data_param', caffe: () => 'File is empty' }],
  ['HDF5Data', { block: 'hdf5_data_param', caffe: () => 'Failed to open source file:' }],
  ['WindowData', { block: 'window_data_param', caffe: () => 'Failed to open window file' }],
]);

/** The error of a reader that has no source to open; undefined for any other layer. */
export function readerSourceProblem(
  layer: NetLayer,
  schema: Schema | undefined,
): AnalysisDiagnostic | undefined {
  // Readers take no bottom (one that does is refused for its count).
  if (layer.bottoms.length > 0) return undefined;
  const reader = READERS.get(layer.type);
  if (reader === undefined || nonBvlcParam(layer) !== undefined) return undefined;
  const params = new LayerParams(layer, schema);
  const block = params.block(reader.block);
  if ((block.string('source') ?? '') !== '') return undefined;
  const written = block.has('source');
  // On the source written, else on the block's name, else on the layer's.
  const own = layer.format === 'v0' ? undefined : layer.body?.fields.find((f) => f.name === reader.block);
  const at = block.span('source') ?? own?.nameSpan ?? params.where();
  return {
    severity: 'error',
    code: 'reader-source',
    message:
      `${layer.type}: ${written ? 'source is empty' : `${reader.block}.source is not given`}, and the ` +
      `layer reads its data from it: Caffe stops as it sets the layer up ("${reader.caffe(params)}").`,
    start: at.start,
    end: at.end,
  };
}
