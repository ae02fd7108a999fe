// Image sizes from a deploy net: a train/val net whose data layer reads an LMDB (or HDF5, or images
// with a mean file) says its batch and crop but not its channels or image size; the deploy net kept
// beside it (no data readers, an `input:` or an Input layer of the same blob name) does. Its C×H×W
// fills what the data layer leaves unknown; the data layer's own batch and crop stay.

import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';
import { buildNet, type NetModel } from '../model/net';
import { UNKNOWN_DIM } from './arith';
import { inferShapes } from './infer';
import type { StatedShape, StatedShapes } from './input-shapes';

/** Layers whose image size comes from the files they read at run time. */
const READERS: ReadonlySet<string> = new Set([
  'Data',
  'ImageData',
  'WindowData',
  'HDF5Data',
  'AnnotatedData',
]);

/** A deploy net's file name and the 4-D inputs it declares. */
export interface DeployNet {
  name: string;
  inputs: ReadonlyMap<string, readonly number[]>;
}

/** Whether the net reads its data from files (and may need a deploy net's image size). */
export function readsData(net: NetModel): boolean {
  return net.layers.some((l) => READERS.has(l.type));
}

/**
 * The 4-D inputs `text` declares when it is a deploy net: it parses cleanly, has no data readers and
 * declares at least one (legacy inputs and Input layers, as built in TEST); otherwise undefined.
 */
export function deployNetInputs(text: string, schema?: Schema): Map<string, readonly number[]> | undefined {
  const doc = parse(text);
  if (doc.errors.length > 0) return undefined;
  const net = buildNet(doc, schema);
  if (net.layers.length === 0 && net.inputs.length === 0) return undefined;
  if (readsData(net)) return undefined;
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
  return found.size > 0 ? found : undefined;
}

/**
 * What the deploy nets give, as shapes that fill unknown dims: for each input name the C×H×W the nets
 * declaring it agree on (nets that disagree, say models of two input sizes in one folder, give
 * nothing for that name); the batch is left to the data layer.
 */
export function deployFills(deploys: readonly DeployNet[]): StatedShapes {
  const found = new Map<string, { deploy: string; chw: readonly number[] } | null>();
  for (const deploy of deploys) {
    for (const [name, shape] of deploy.inputs) {
      const chw = shape.slice(1);
      const known = found.get(name);
      if (known === undefined) found.set(name, { deploy: deploy.name, chw });
      else if (known !== null && known.chw.some((d, i) => d !== chw[i])) found.set(name, null);
    }
  }
  const fills = new Map<string, StatedShape>();
  for (const [name, known] of found) {
    if (known === null) continue;
    const [c, h, w] = known.chw;
    fills.set(name, {
      shape: [UNKNOWN_DIM, c, h, w],
      source: `${known.deploy} beside it (its input ${name} is ${c}×${h}×${w})`,
      fill: true,
    });
  }
  return fills;
}
