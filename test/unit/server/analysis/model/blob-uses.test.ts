// Who writes and reads a blob in a phase, found from the net's blob numbers, is what a walk over every
// bottom and top of the phase's layers finds, on corpus nets (phase rules, in-place layers, inputs) for
// every blob name and for names no layer writes; and a layer's shapes are found by its index.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blobUses, type BlobNode } from '../../../../../server/src/analysis/model/net-blobs';
import { buildNet, type NetLayer, type NetModel } from '../../../../../server/src/analysis/model/net';
import { layersInPhase } from '../../../../../server/src/analysis/model/net-filter';
import { inferShapes, layerShapesAt } from '../../../../../server/src/analysis/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { corpusDir, needs } from '../../../../helpers/resources';

/** The walk the look-up replaces. */
function walkedUses(net: NetModel, layers: readonly NetLayer[], name: string): BlobNode | undefined {
  const found: BlobNode = { name, producers: [], consumers: [] };
  net.inputs.forEach((input, slot) => {
    if (input.name === name) found.producers.push({ layer: -1, slot, span: input.span });
  });
  for (const layer of layers) {
    layer.bottoms.forEach((b, slot) => {
      if (b.name === name) found.consumers.push({ layer: layer.index, slot, span: b.span });
    });
    layer.tops.forEach((t, slot) => {
      if (t.name === name) found.producers.push({ layer: layer.index, slot, span: t.span });
    });
  }
  return found.producers.length > 0 || found.consumers.length > 0 ? found : undefined;
}

function checkNet(text: string, where: string): number {
  const net = buildNet(parse(text));
  const names = new Set<string>(['no such blob', '']);
  for (const input of net.inputs) names.add(input.name);
  for (const layer of net.layers) for (const r of [...layer.bottoms, ...layer.tops]) names.add(r.name);
  let checked = 0;
  for (const phase of ['TRAIN', 'TEST'] as const) {
    const layers = layersInPhase(net, phase);
    for (const name of names) {
      assert.deepEqual(
        blobUses(net, layers, name),
        walkedUses(net, layers, name),
        `${where} ${phase} ${name}`,
      );
      checked++;
    }
    const shapes = inferShapes(net, phase);
    for (const layer of net.layers) {
      const expected = shapes.layers.find((l) => l.layer.index === layer.index);
      assert.equal(layerShapesAt(shapes, layer.index), expected, `${where} ${phase} layer ${layer.index}`);
    }
  }
  return checked;
}

test('blob uses by number agree with a walk, phase rules and in-place layers included', () => {
  const text = `input: "data"
input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
layer { name: "d" type: "Input" top: "label" include { phase: TRAIN } input_param { shape { dim: 1 } } }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 } }
layer { name: "r" type: "ReLU" bottom: "c" top: "c" }
layer { name: "acc" type: "Accuracy" bottom: "c" bottom: "label" top: "acc" include { phase: TEST } }
layer { name: "s" type: "Slice" bottom: "c" top: "a" top: "b" }
layer { name: "e" type: "Eltwise" bottom: "a" bottom: "b" bottom: "a" top: "e" exclude { phase: TRAIN } }
`;
  assert.ok(checkNet(text, 'inline') > 10);
});

test('blob uses by number agree with a walk on corpus nets', needs('corpus'), () => {
  const rows = readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  let checked = 0;
  for (const row of rows.filter((_, i) => i % 12 === 0)) {
    const rel = row.split('\t')[0];
    checked += checkNet(readFileSync(path.join(corpusDir, 'files', rel), 'utf8'), rel);
  }
  assert.ok(checked > 2_000, `checked ${checked}`);
});
