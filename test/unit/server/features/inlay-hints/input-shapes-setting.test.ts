// `prototxt.shapes.inputShapes` states shapes no rule can tell; a `# input-shape:` line in the file wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { provideInlayHints } from '../../../../../server/src/features/inlay-hints/inlay-hints';
import { readSettings } from '../../../../../server/src/settings';
import { featureInputFor } from '../../../../helpers/analyzed-document';

const NET = `layer {
  name: "mnist"
  type: "Data"
  top: "data"
  top: "label"
  data_param { source: "train_lmdb" batch_size: 64 backend: LMDB }
}
layer {
  name: "ip"
  type: "InnerProduct"
  bottom: "data"
  top: "ip"
  inner_product_param { num_output: 10 }
}
`;

function hints(text: string, inputShapes: Record<string, number[]> = {}) {
  const input = featureInputFor(text, {
    settings: { shapes: { inputShapes: new Map(Object.entries(inputShapes)) } },
  });
  const end = input.doc.lines.positionAt(text.length);
  const range = { start: { line: 0, character: 0 }, end };
  return provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range }).map((h) =>
    String(h.label),
  );
}

test('the setting states a data layer top; the layers after it follow', () => {
  assert.ok(!hints(NET).includes('64×1×28×28'));
  const stated = hints(NET, { data: [64, 1, 28, 28] });
  assert.ok(stated.includes('64×1×28×28'), stated.join(' | '));
  assert.ok(stated.includes('64×10'), stated.join(' | '));
});

test("the file's own # input-shape: line wins over the setting", () => {
  const text = `# input-shape: data=8,3,32,32\n${NET}`;
  const stated = hints(text, { data: [64, 1, 28, 28] });
  assert.ok(stated.includes('8×3×32×32'), stated.join(' | '));
  assert.ok(!stated.includes('64×1×28×28'));
});

test('the setting is read strictly: entries that are not positive whole dims are left out', () => {
  const s = readSettings({
    shapes: { inputShapes: { data: [64, 3, 224, 224], bad: [0, 3], text: 'x', big: [1.5] } },
  });
  assert.deepEqual(s.shapes.inputShapes, new Map([['data', [64, 3, 224, 224]]]));
  assert.deepEqual(readSettings({}).shapes.inputShapes, new Map());
});
