// Input shapes for `shapes`: the --input-shape options, and for a data layer whose image size the file
// cannot say (an LMDB without crop_size, a mean_file instead of mean values, HDF5), the deploy net
// beside it: a net in the same folder without data layers that declares an input of the same name
// (`input:` or an Input layer). Its C×H×W is taken with the data layer's own batch size (and crop).

import fs from 'node:fs';
import path from 'node:path';
import { buildNet, layersInPhase, type NetLayer, type NetModel, type Phase } from '../../analysis/model/net';
import type { ShapeResult } from '../../analysis/shapes';
import type { StatedShape } from '../../analysis/shapes/input-shapes';
import { inferShapes, isComplete } from '../../analysis/shapes';
import { LayerParams } from '../../analysis/shapes/params';
import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';

const READERS: Readonly<Record<string, string>> = {
  Data: 'data_param',
  ImageData: 'image_data_param',
  WindowData: 'window_data_param',
  HDF5Data: 'hdf5_data_param',
};

/** Nets looked at beside a file at most, and the largest file read (deploy nets are small). */
const MAX_SIBLINGS = 50;
const MAX_BYTES = 2 << 20;

/** The 4-D input shapes a net declares: legacy inputs and the tops of its Input layers in TEST. */
function declaredInputs(net: NetModel, schema?: Schema): Map<string, readonly number[]> {
  const found = new Map<string, readonly number[]>();
  const result = inferShapes(net, 'TEST', schema);
  for (const i of result.inputs) if (i.shape?.length === 4) found.set(i.name, i.shape);
  for (const l of result.layers) {
    if (l.layer.type !== 'Input') continue;
    l.layer.tops.forEach((t, k) => {
      const s = l.tops[k];
      if (s?.length === 4) found.set(t.name, s);
    });
  }
  return found;
}

/** Deploy nets in `dir` (other than `file`): nets without data readers, with the inputs they declare. */
function deployNetsBeside(
  file: string,
  schema?: Schema,
): { name: string; inputs: Map<string, readonly number[]> }[] {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /\.(prototxt|pt)$/.test(n) && n !== path.basename(file));
  } catch {
    return [];
  }
  const nets: { name: string; inputs: Map<string, readonly number[]> }[] = [];
  for (const name of names.sort().slice(0, MAX_SIBLINGS)) {
    try {
      const full = path.join(dir, name);
      if (fs.statSync(full).size > MAX_BYTES) continue;
      const doc = parse(fs.readFileSync(full, 'utf8'));
      if (doc.errors.length > 0) continue;
      const net = buildNet(doc, schema);
      if (net.layers.some((l) => Object.hasOwn(READERS, l.type))) continue;
      const inputs = declaredInputs(net, schema);
      if (inputs.size > 0) nets.push({ name, inputs });
    } catch {
      // an unreadable neighbour says nothing
    }
  }
  return nets;
}

function batchOf(layer: NetLayer, schema?: Schema): number | undefined {
  const block = READERS[layer.type];
  const n = block ? new LayerParams(layer, schema).block(block).number('batch_size', 0) : 0;
  return n > 0 ? n : undefined;
}

/**
 * Shapes for the data tops `result` leaves unknown, from a deploy net beside `file`; empty when there
 * is nothing to fill or no such net.
 */
export function shapesFromDeployBeside(
  file: string,
  net: NetModel,
  phase: Phase,
  result: ShapeResult,
  schema?: Schema,
): Map<string, StatedShape> {
  const stated = new Map<string, StatedShape>();
  const open = result.layers.filter((l) => Object.hasOwn(READERS, l.layer.type) && !isComplete(l.tops[0]));
  if (open.length === 0 || !layersInPhase(net, phase).length) return stated;
  const deploys = deployNetsBeside(file, schema);
  for (const l of open) {
    const top = l.layer.tops[0]?.name;
    const batch = batchOf(l.layer, schema);
    const deploy = deploys.find((d) => top !== undefined && d.inputs.has(top));
    if (top === undefined || batch === undefined || !deploy) continue;
    const [, c, h, w] = deploy.inputs.get(top) as readonly number[];
    const crop = new LayerParams(l.layer, schema).block('transform_param').number('crop_size', 0);
    const shape = crop > 0 ? [batch, c, crop, crop] : [batch, c, h, w];
    stated.set(top, { shape, source: `${deploy.name} beside it (its input ${top} is ${c}×${h}×${w})` });
  }
  return stated;
}

/** The --input-shape options, then for data layers still unknown, a deploy net beside the file. */
export function statedInputs(
  net: NetModel,
  phase: Phase,
  schema: Schema | undefined,
  file: string,
  given: Map<string, StatedShape>,
): Map<string, StatedShape> {
  const first = inferShapes(net, phase, schema, undefined, { inputShapes: given });
  return new Map([...shapesFromDeployBeside(file, net, phase, first, schema), ...given]);
}
