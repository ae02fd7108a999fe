// Python layer tops learned by running reshape: the store, shape inference past the layer, and
// staleness (other bottoms, another phase, edited python_param) making the tops unknown again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { buildNet, type NetModel } from '../../../../../server/src/analysis/model/net';
import { inferNetShapes } from '../../../../../server/src/analysis/shapes/net-shapes';
import { DocumentShapes } from '../../../../../server/src/workspace/document-shapes';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import {
  parseLearnedShapes,
  PythonShapeStore,
  type LearnedLayerShapes,
} from '../../../../../server/src/analysis/shapes/known-tops';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';

const schema = loadBundledSchema();
const URI = 'file:///w/net.prototxt';

function net(batch = 2, paramStr = '4'): string {
  return `name: "n"
input: "data"
input_shape { dim: ${batch} dim: 3 dim: 8 dim: 8 }
layer { name: "py" type: "Python" bottom: "data" top: "feat"
  python_param { module: "m" layer: "Flat" param_str: "${paramStr}" } }
layer { name: "ip" type: "InnerProduct" bottom: "feat" top: "ip" inner_product_param { num_output: 10 } }
layer { name: "py2" type: "Python" bottom: "ip" top: "out" python_param { module: "m" layer: "Id" } }
layer { name: "relu" type: "ReLU" bottom: "out" top: "out" }
`;
}

function model(text: string): NetModel {
  return buildNet(parse(text), schema);
}

function learned(over: Partial<LearnedLayerShapes> = {}): LearnedLayerShapes {
  return {
    uri: URI,
    layerName: 'py',
    phase: 'TRAIN',
    bottomShapes: [[2, 3, 8, 8]],
    topShapes: [[2, 48]],
    module: 'm',
    layerClass: 'Flat',
    paramStr: '4',
    ...over,
  };
}

test('without learned tops, a Python layer and everything after it is unknown', () => {
  const r = inferShapes(model(net()), 'TRAIN', schema);
  assert.equal(r.blobs.get('feat'), null);
  assert.equal(r.blobs.get('ip'), null);
  assert.equal(r.layers.find((l) => l.layer.name === 'py')?.status, 'unknown-type');
});

test('learned tops flow past the Python layer, into the next Python layer and beyond', () => {
  const store = new PythonShapeStore();
  store.learn(learned({ params: 7 }));
  const pythonTops = store.lookupFor(URI);
  assert.ok(pythonTops);
  const r = inferShapes(model(net()), 'TRAIN', schema, undefined, { pythonTops });
  assert.deepEqual(r.blobs.get('feat'), [2, 48]);
  assert.deepEqual(r.blobs.get('ip'), [2, 10]);
  const py = r.layers.find((l) => l.layer.name === 'py');
  assert.equal(py?.status, 'learned');
  assert.equal(py?.params, 7);
  assert.equal(py?.macs, null);
  // The second Python layer is still unknown until its own reshape is run with bottoms [2, 10].
  assert.equal(r.blobs.get('out'), null);
  store.learn(
    learned({
      layerName: 'py2',
      bottomShapes: [[2, 10]],
      topShapes: [[2, 10]],
      layerClass: 'Id',
      paramStr: undefined,
    }),
  );
  const again = inferShapes(model(net()), 'TRAIN', schema, undefined, { pythonTops: store.lookupFor(URI) });
  assert.deepEqual(again.blobs.get('out'), [2, 10]);
});

test('changed bottoms, another phase, another document or an edited param_str: unknown again', () => {
  const store = new PythonShapeStore();
  store.learn(learned());
  const pythonTops = store.lookupFor(URI);
  const withTops = (text: string, phase: 'TRAIN' | 'TEST' = 'TRAIN') =>
    inferShapes(model(text), phase, schema, undefined, { pythonTops }).blobs.get('feat');
  assert.deepEqual(withTops(net()), [2, 48]);
  assert.equal(withTops(net(5)), null, 'batch 5 upstream: the run with batch 2 does not apply');
  assert.equal(withTops(net(), 'TEST'), null, 'learned in TRAIN only');
  assert.equal(withTops(net(2, '8')), null, 'param_str changed');
  assert.equal(store.lookupFor('file:///w/other.prototxt'), undefined);
  // Both runs are kept: going back to batch 2 finds the first again.
  store.learn(learned({ bottomShapes: [[5, 3, 8, 8]], topShapes: [[5, 48]] }));
  const both = store.lookupFor(URI);
  assert.deepEqual(
    inferShapes(model(net(5)), 'TRAIN', schema, undefined, { pythonTops: both }).blobs.get('feat'),
    [5, 48],
  );
  assert.deepEqual(
    inferShapes(model(net(2)), 'TRAIN', schema, undefined, { pythonTops: both }).blobs.get('feat'),
    [2, 48],
  );
});

test('a learned result with another number of tops than the layer has is not used', () => {
  const store = new PythonShapeStore();
  store.learn(learned({ topShapes: [[2, 48], [2]] }));
  const r = inferShapes(model(net()), 'TRAIN', schema, undefined, { pythonTops: store.lookupFor(URI) });
  assert.equal(r.blobs.get('feat'), null);
});

test('inferNetShapes infers each phase on its own with learned tops', () => {
  const store = new PythonShapeStore();
  store.learn(learned({ phase: 'TEST' }));
  const shapes = inferNetShapes(model(net()), schema, { pythonTops: store.lookupFor(URI) });
  assert.equal(shapes.TRAIN?.blobs.get('feat'), null);
  assert.deepEqual(shapes.TEST?.blobs.get('feat'), [2, 48]);
});

test('DocumentShapes: what is learned for its document is taken in, keyed by the learning generation', () => {
  const store = new PythonShapeStore();
  const text = net();
  const analysis = analyze(text, parse(text), { schema, schemaKind: 'bundled' });
  const shapes = new DocumentShapes(URI, analysis, schema, store);
  assert.equal(shapes.net, analysis.shapes, "nothing learned: the analysis's own shapes");
  assert.equal(shapes.net.TRAIN?.blobs.get('ip'), null);
  assert.equal(shapes.pythonTops, undefined);
  store.learn(learned());
  const after = shapes.net;
  assert.deepEqual(after.TRAIN?.blobs.get('ip'), [2, 10]);
  assert.equal(shapes.net, after, 'reused while nothing else is learned');
  assert.deepEqual(shapes.inPhase('TRAIN')?.blobs.get('ip'), [2, 10]);
  // Another document's learning does not touch this one's result.
  store.learn(learned({ uri: 'file:///w/other.prototxt' }));
  assert.equal(shapes.net, after);
  // Another document's shapes over the same analysis know nothing of what this one learned.
  assert.equal(new DocumentShapes('file:///w/other2.prototxt', analysis, schema, store).net, analysis.shapes);
  store.forget(URI);
  assert.equal(shapes.net.TRAIN?.blobs.get('ip'), null, 'forgotten');
  assert.equal(shapes.net, analysis.shapes);
});

test('parseLearnedShapes checks what a client sends', () => {
  const ok = parseLearnedShapes({ ...learned(), params: 3 });
  assert.ok(typeof ok !== 'string');
  assert.deepEqual(ok.topShapes, [[2, 48]]);
  assert.equal(ok.params, 3);
  const bad: [unknown, RegExp][] = [
    [null, /object/],
    [[], /object/],
    [{ ...learned(), uri: 3 }, /uri/],
    [{ ...learned(), layerName: '' }, /layerName/],
    [{ ...learned(), phase: 'VAL' }, /phase/],
    [{ ...learned(), bottomShapes: [[2, -1]] }, /bottomShapes.*#0/],
    [{ ...learned(), topShapes: [[2, 1.5]] }, /topShapes/],
    [{ ...learned(), topShapes: 'x' }, /topShapes/],
    [{ ...learned(), params: -1 }, /params/],
    [{ ...learned(), module: 1 }, /module/],
  ];
  for (const [value, message] of bad) {
    const r = parseLearnedShapes(value);
    assert.equal(typeof r, 'string', JSON.stringify(value));
    assert.match(r as string, message);
  }
});

test('a change to the layer module forgets what was learned from it, and nothing else', () => {
  const store = new PythonShapeStore();
  store.learn(learned({ module: 'pkg.flat' }));
  store.learn(learned({ layerName: 'py2', module: 'other', bottomShapes: [[2, 10]], topShapes: [[2, 10]] }));
  store.learn(learned({ uri: 'file:///w/b.prototxt', module: 'pkg' }));
  const before = store.generation(URI);
  assert.deepEqual(store.forgetModuleFiles(['/src/unrelated/flat.py', '/src/pkg/flat_helpers.py']), []);
  assert.deepEqual(store.forgetModuleFiles(['/src/pkg/flat.py']), [URI]);
  assert.ok(store.generation(URI) > before);
  const lookup = store.lookupFor(URI)!;
  const layer = (name: string, module: string) => ({ name, paramBlocks: pythonBlock(module) }) as never;
  assert.equal(lookup(layer('py', 'pkg.flat'), [[2, 3, 8, 8]], 'TRAIN'), undefined);
  assert.deepEqual(lookup(layer('py2', 'other'), [[2, 10]], 'TRAIN')?.tops, [[2, 10]]);
  // A package's module is its __init__.py.
  assert.deepEqual(store.forgetModuleFiles(['C:\\src\\pkg\\__init__.py']), ['file:///w/b.prototxt']);
});

/** The python_param block of a layer whose module is `module` (and class Flat / param_str 4). */
function pythonBlock(module: string): ReadonlyMap<string, unknown> {
  const text = `python_param { module: "${module}" layer: "Flat" param_str: "4" }`;
  return model(`layer { name: "x" type: "Python" ${text} }`).layers[0].paramBlocks;
}
