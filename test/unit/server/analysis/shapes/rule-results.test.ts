// The next version's analysis takes over the shape rules' results of the layers an edit left as they
// were (same text, same bottom shapes), with their problems moved; anything else runs its rule again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../../../../server/src/analysis/analyze';
import { parse, parseAfterEdit } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';

const schema = loadBundledSchema();
const NET =
  'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\n' +
  'layer { name: "c1" type: "Convolution" bottom: "data" top: "c1" convolution_param { num_output: 4 kernel_size: 3 } }\n' +
  'layer { name: "p" type: "Pooling" bottom: "c1" top: "p" pooling_param { pool: MAX kernel_size: 7 stride: 1 } }\n' +
  'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n';

interface Version {
  text: string;
  analysis: Analysis;
}

/** `text` analysed, as the version after `previous` when given. */
function analysed(text: string, previous?: Version): Version {
  const ast = previous
    ? parseAfterEdit({ text: previous.text, ast: previous.analysis.ast }, text)
    : parse(text);
  const options = { schema, schemaKind: 'bundled' as const };
  return {
    text,
    analysis: analyze(text, ast, previous ? { ...options, previous: previous.analysis } : options),
  };
}

const afresh = (text: string) => analyze(text, parse(text), { schema, schemaKind: 'bundled' });

/** The shapes and shape problems the editor shows, without the layer objects. */
function shown(a: Analysis) {
  const train = a.shapes.TRAIN;
  return {
    problems: a.shapeDiagnostics,
    layers: train?.layers.map((l) => ({ ...l, layer: l.layer.name })),
  };
}

test('an edit above a layer moves its problems; an edit of a shape changes the layers after it', () => {
  const first = analysed(NET);
  // The pooling window (7) is larger than its 6×6 input: problems on the pooling layer.
  assert.ok(first.analysis.shapeDiagnostics.length > 0);
  const relu = first.analysis.shapes.TRAIN?.layers[2];

  // A longer name for the convolution: every layer after it moves by three characters.
  const second = analysed(NET.replace('"c1" type', '"c1xyz" type'), first);
  assert.deepEqual(shown(second.analysis), shown(afresh(second.text)));
  assert.deepEqual(
    second.analysis.shapeDiagnostics.map((d) => d.start),
    first.analysis.shapeDiagnostics.map((d) => d.start + 3),
  );
  // The ReLU's top was taken over, not made again.
  assert.equal(second.analysis.shapes.TRAIN?.layers[2].tops[0], relu?.tops[0]);

  // A convolution with a 1×1 kernel: its top is 8×8, and the pooling layer after it, its text
  // unchanged, runs its rule again on the new bottom (no problem then).
  const third = analysed(second.text.replace('kernel_size: 3', 'kernel_size: 1'), second);
  assert.deepEqual(shown(third.analysis), shown(afresh(third.text)));
  assert.deepEqual(third.analysis.shapes.TRAIN?.layers[1].bottoms[0], [1, 4, 8, 8]);
  assert.equal(third.analysis.shapeDiagnostics.length, 0);
});

test('a layer an edit left where it was keeps its whole result; its run is still there for a later move', () => {
  const first = analysed(NET);
  const [conv, pool] = first.analysis.shapes.TRAIN?.layers ?? [];
  assert.ok(pool && first.analysis.shapeDiagnostics.length > 0);

  // An edit of the last layer: the two before it are the same layer objects on the same bottoms.
  const second = analysed(NET.replace('name: "r"', 'name: "relu"'), first);
  assert.deepEqual(shown(second.analysis), shown(afresh(second.text)));
  const taken = second.analysis.shapes.TRAIN?.layers ?? [];
  assert.equal(taken[0], conv, 'the convolution result itself');
  assert.equal(taken[1], pool, "the pooling result itself, with the pooling window's problems");
  assert.deepEqual(second.analysis.shapeDiagnostics, first.analysis.shapeDiagnostics);
  assert.notEqual(taken[2], first.analysis.shapes.TRAIN?.layers[2], 'the edited layer is analysed again');

  // Now an edit above both: they move, so their results are made again, but the pooling layer's rule
  // run (kept through the version that took its result over) is taken over and not run again.
  const third = analysed(second.text.replace('"c1" type', '"c1xyz" type'), second);
  assert.deepEqual(shown(third.analysis), shown(afresh(third.text)));
  const moved = third.analysis.shapes.TRAIN?.layers ?? [];
  assert.notEqual(moved[1], pool);
  assert.equal(moved[1].tops[0], pool.tops[0], "the pooling layer's run, carried over two versions");

  // An edit of a shape above: the layers after it are on new bottoms and are inferred again.
  const fourth = analysed(third.text.replace('dim: 8 dim: 8', 'dim: 9 dim: 9'), third);
  assert.deepEqual(shown(fourth.analysis), shown(afresh(fourth.text)));
  assert.deepEqual(fourth.analysis.shapes.TRAIN?.layers[1].bottoms[0], [1, 4, 7, 7]);
});

test('a result made from a stated shape is not taken over once the statement is gone', () => {
  const text =
    'layer { name: "data" type: "Data" top: "data" data_param { source: "db" batch_size: 8 } }\n' +
    'layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 3 } }\n' +
    'layer { name: "r" type: "ReLU" bottom: "conv" top: "conv" }\n';
  const stated = new Map([['data', { shape: [8, 3, 32, 32], source: 'a setting' }]]);
  const options = { schema, schemaKind: 'bundled' as const };
  const first = analyze(text, parse(text), { ...options, inputShapes: stated });
  assert.deepEqual(first.shapes.TRAIN?.layers[1].tops[0], [8, 4, 30, 30]);
  // The next version, its edit after both layers, is analysed without the stated shape.
  const next = text.replace('name: "r"', 'name: "relu"');
  const ast = parseAfterEdit({ text, ast: first.ast }, next);
  const second = analyze(next, ast, { ...options, previous: first });
  assert.equal(second.net?.layers[0], first.net?.layers[0], 'the data layer is the same object');
  assert.deepEqual(shown(second), shown(afresh(next)));
  assert.deepEqual(second.shapes.TRAIN?.layers[0].tops[0], [8, NaN, NaN, NaN]);
});
