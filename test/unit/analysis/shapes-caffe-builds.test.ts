// What Caffe builds beyond what the file writes, and what shape inference must show for it: the top a
// loss layer gets without `top:`, ... (each checked against real Caffe by real-caffe-shapes.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet, type Phase } from '../../../server/src/analysis/net';
import { inferShapes, type ShapeResult } from '../../../server/src/analysis/shapes';
import { shapesJson } from '../../../server/src/cli/commands/shapes';
import { parse } from '../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../server/src/schema/bundled';

const schema = loadBundledSchema();

function infer(text: string, phase: Phase = 'TEST'): ShapeResult {
  return inferShapes(buildNet(parse(text), schema), phase, schema);
}

const INPUTS = `layer { name: "in" type: "Input" top: "x" top: "label"
  input_param { shape { dim: 8 dim: 10 } shape { dim: 8 } } }
`;

test('a loss layer without top: gets the scalar top Caffe adds, named (automatic)', () => {
  const r = infer(`${INPUTS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "label" }`);
  const loss = r.layers.find((l) => l.layer.name === 'loss');
  assert.deepEqual(loss?.automaticTops, [[]]);
  assert.deepEqual(r.blobs.get('(automatic)'), []);
  const json = shapesJson(r).layers.find((l) => l.name === 'loss');
  assert.deepEqual(json?.tops, [{ name: '(automatic)', shape: [] }]);
  // A written top, and a layer that is not a loss, get none.
  const named = infer(
    `${INPUTS}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "x" bottom: "label" top: "l" }`,
  );
  assert.deepEqual(named.layers.at(-1)?.automaticTops, []);
  const silence = infer(`${INPUTS}layer { name: "s" type: "Silence" bottom: "x" }`);
  assert.deepEqual(silence.layers.at(-1)?.automaticTops, []);
  assert.equal(silence.blobs.has('(automatic)'), false);
});
