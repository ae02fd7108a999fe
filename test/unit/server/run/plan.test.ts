import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as path from 'node:path';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { parse } from '../../../../server/src/parser/parse';
import { completeShapes, parseShape, parseShapeList, runRequestFor } from '../../../../common/run/args';
import {
  findPythonLayer,
  importRoot,
  planLayer,
  runArgsFor,
  type LayerPlan,
} from '../../../../server/src/run/plan';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';

const schema = loadBundledSchema();

function plan(text: string, name = 'py', phase?: 'TRAIN' | 'TEST'): LayerPlan {
  const net = buildNet(parse(text), schema);
  const layer = findPythonLayer(net, name);
  assert.ok(typeof layer !== 'string', String(layer));
  const p = planLayer(net, layer, { schema, phase });
  assert.ok(typeof p !== 'string', String(p));
  return p;
}

const PY = (bottoms: string[], extra = '') => `
layer {
  name: "py" type: "Python"
  ${bottoms.map((b) => `bottom: "${b}"`).join(' ')}
  top: "out"
  python_param { module: "pkg.mod" layer: "MyLayer" param_str: "{'a': 1}\\n" }
  ${extra}
}`;

test('bottom shapes from an Input layer, module, class, decoded param_str, blob names', () => {
  const p = plan(
    `layer { name: "in" type: "Input" top: "data" top: "label"
       input_param { shape { dim: 2 dim: 3 dim: 32 dim: 32 } shape { dim: 2 } } }` + PY(['data', 'label']),
  );
  assert.deepEqual(p.bottomShapes, [[2, 3, 32, 32], [2]]);
  assert.equal(p.module, 'pkg.mod');
  assert.equal(p.layerClass, 'MyLayer');
  assert.equal(p.paramStr, "{'a': 1}\n");
  assert.equal(p.phase, 'TRAIN');
  assert.deepEqual(p.bottomNames, ['data', 'label']);
  assert.deepEqual(p.topNames, ['out']);
});

test('bottom shapes from legacy input/input_shape and input_dim', () => {
  const a = plan(`input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }` + PY(['data']));
  assert.deepEqual(a.bottomShapes, [[1, 3, 8, 8]]);
  const b = plan(`input: "data" input_dim: 4 input_dim: 1 input_dim: 5 input_dim: 6` + PY(['data']));
  assert.deepEqual(b.bottomShapes, [[4, 1, 5, 6]]);
});

test('bottom shapes from DummyData', () => {
  const p = plan(
    `layer { name: "d" type: "DummyData" top: "x" dummy_data_param { shape { dim: 5 dim: 7 } } }` + PY(['x']),
  );
  assert.deepEqual(p.bottomShapes, [[5, 7]]);
});

test('bottom shapes through Convolution and Pooling before the Python layer', () => {
  const p = plan(
    `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 32 dim: 32 } } }
     layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
       convolution_param { num_output: 8 kernel_size: 3 pad: 1 } }
     layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
     layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool"
       pooling_param { pool: MAX kernel_size: 3 stride: 2 } }` + PY(['pool']),
  );
  // Caffe's ceil rounding: (32 - 3) / 2 -> 14.5 -> 15 + 1 = 16.
  assert.deepEqual(p.bottomShapes, [[2, 8, 16, 16]]);
});

test('a bottom after another Python layer (or from nowhere) is unknown', () => {
  const p = plan(
    `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }
     layer { name: "first" type: "Python" bottom: "data" top: "mid" python_param { module: "m" layer: "L" } }` +
      PY(['mid', 'data', 'nowhere']),
  );
  assert.deepEqual(p.bottomShapes, [null, [2, 3], null]);
  // Why each unknown one is unknown, for the question that asks for it (and carried by the lens).
  assert.deepEqual(p.bottomNotes, [
    'unknown from the Python layer "first" (m.L) on: its tops are known once it runs',
    null,
    'no earlier layer produces "nowhere" in this phase',
  ]);
  assert.deepEqual(runArgsFor('file:///n.prototxt', p, false).bottomNotes, p.bottomNotes);
});

test('an unknown bottom is traced through the layers after where its shape was lost', () => {
  const p = plan(
    `input: "im" input_dim: 1 input_dim: 3
     layer { name: "warp" type: "MaskPooling" bottom: "im" top: "pooled" }
     layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }
     layer { name: "relu" type: "ReLU" bottom: "pooled" top: "act" }` + PY(['act', 'im', 'data']),
  );
  assert.deepEqual(p.bottomNotes, [
    'the net input "im" is declared without a full shape',
    'the net input "im" is declared without a full shape',
    null,
  ]);
  const known = plan(
    `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }
     layer { name: "warp" type: "MaskPooling" bottom: "data" top: "pooled" }
     layer { name: "relu" type: "ReLU" bottom: "pooled" top: "act" }` + PY(['act', 'data']),
  );
  assert.deepEqual(known.bottomNotes, [
    'unknown from layer "warp" (MaskPooling) on: shape inference has no rule for that type',
    null,
  ]);
  // Every bottom known: no notes, and none in the lens's arguments.
  const all = plan(
    `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 } } }` + PY(['data']),
  );
  assert.equal(all.bottomNotes, undefined);
  assert.ok(!('bottomNotes' in runArgsFor('file:///n.prototxt', all, false)));
});

test("the phase: the layer's own include rule, else TRAIN; shapes follow the phase", () => {
  const text = `layer { name: "a" type: "Input" top: "data" include { phase: TRAIN } input_param { shape { dim: 8 dim: 3 } } }
     layer { name: "b" type: "Input" top: "data" include { phase: TEST } input_param { shape { dim: 1 dim: 3 } } }`;
  assert.equal(plan(text + PY(['data'])).phase, 'TRAIN');
  assert.deepEqual(plan(text + PY(['data'])).bottomShapes, [[8, 3]]);
  const testOnly = plan(text + PY(['data'], 'include { phase: TEST }'));
  assert.equal(testOnly.phase, 'TEST');
  assert.deepEqual(testOnly.bottomShapes, [[1, 3]]);
  assert.deepEqual(plan(text + PY(['data']), 'py', 'TEST').bottomShapes, [[1, 3]]);
});

test('what cannot be planned is said precisely', () => {
  const net = buildNet(
    parse(`layer { name: "py" type: "Python" python_param { layer: "L" } }
    layer { name: "q" type: "Python" python_param { module: "m" } }
    layer { name: "c" type: "ReLU" }`),
  );
  const layerNamed = (n: string) => net.layers.find((l) => l.name === n)!;
  assert.match(
    String(planLayer(net, layerNamed('py'))),
    /layer "py" has no python_param \{ module: \.\.\. \}/,
  );
  assert.match(String(planLayer(net, layerNamed('q'))), /layer "q" has no python_param \{ layer: \.\.\. \}/);
  assert.match(String(planLayer(net, layerNamed('c'))), /not a Python layer/);
  assert.equal(findPythonLayer(net, 'zz'), 'no layer named "zz"; the Python layers are "py", "q"');
  assert.equal(findPythonLayer(net, 'c'), 'layer "c" has type ReLU, not Python');
});

test('a name used once per phase: the layer of the phase asked for', () => {
  const text = fs.readFileSync(path.join('test', 'fixtures', 'layers', 'two-phases.prototxt'), 'utf8');
  const net = buildNet(parse(text), schema);
  const top = (phase?: 'TRAIN' | 'TEST') => {
    const layer = findPythonLayer(net, 'proposal', phase);
    assert.ok(typeof layer !== 'string', String(layer));
    return layer.tops[0].name;
  };
  assert.equal(top('TRAIN'), 'train_out');
  assert.equal(top('TEST'), 'test_out');
  // Without a phase, the first (run in TRAIN, where the net keeps it).
  assert.equal(top(), 'train_out');
  // The TEST one's bottom is known in TEST (DummyData), the TRAIN one's is not (a Python data layer).
  const testLayer = findPythonLayer(net, 'proposal', 'TEST');
  assert.ok(typeof testLayer !== 'string');
  const p = planLayer(net, testLayer, { schema, phase: 'TEST' });
  assert.ok(typeof p !== 'string', String(p));
  assert.deepEqual(p.bottomShapes, [[2, 3]]);
  assert.equal(
    findPythonLayer(net, 'target', 'TEST'),
    'layer "target" is not in the TEST phase (its include/exclude rules leave it out): run it with --phase TRAIN, or without --phase',
  );
});

test('search paths: the folder the dotted module imports from', () => {
  const files = new Set(['/ws/lib/pkg/mod.py', '/ws/lib/pkg/__init__.py']);
  const net = buildNet(parse(PY([])));
  const layer = net.layers[0];
  const found = planLayer(net, layer, {
    resolution: {
      context: {
        prototxtDir: '/ws/models',
        workspaceRoots: ['/ws'],
        extraPaths: ['/ws/lib'],
        sysPathFolders: [],
      },
      fileExists: (f) => files.has(f),
    },
  });
  assert.ok(typeof found !== 'string');
  assert.equal(found.moduleFile, '/ws/lib/pkg/mod.py');
  assert.deepEqual(found.searchPaths, ['/ws/lib']);
  const missing = planLayer(net, layer, {
    resolution: {
      context: { prototxtDir: '/ws/models', workspaceRoots: ['/ws'], extraPaths: [], sysPathFolders: [] },
      fileExists: () => false,
    },
  });
  assert.ok(typeof missing !== 'string');
  assert.deepEqual(missing.searchPaths, []);
  assert.match(missing.moduleProblem ?? '', /module "pkg\.mod" was not found in \/ws\/models, \/ws/);
  assert.equal(importRoot('a.b', path.join('/x', 'a', 'b', '__init__.py')), '/x');
  assert.equal(importRoot('a', path.join('/x', 'a.py')), '/x');
});

test('completing shapes: all given, the unknown ones given, or a precise problem', () => {
  assert.deepEqual(completeShapes([[2, 3], null], [[4]]), [[2, 3], [4]]);
  assert.deepEqual(completeShapes([[2, 3], null], [[1], [4]]), [[1], [4]]);
  assert.deepEqual(completeShapes([[2, 3]]), [[2, 3]]);
  assert.deepEqual(completeShapes([]), []);
  assert.equal(completeShapes([[2], null]), 'the shape of bottom #1 is unknown; give it (e.g. 2,3,32,32)');
  assert.equal(
    completeShapes([[2], null, null], [[1], [2], [3], [4]]),
    '4 shapes given; the layer has 3 bottoms, 2 of unknown shape',
  );
});

test('parsing shapes as typed in the input box or on the command line', () => {
  assert.deepEqual(parseShapeList('2,3,32,32; 2'), [[2, 3, 32, 32], [2]]);
  assert.deepEqual(parseShapeList(' [2, 3] ;(4x5); 6 7 ;'), [
    [2, 3],
    [4, 5],
    [6, 7],
  ]);
  assert.deepEqual(parseShape('1×64×112×112'), [1, 64, 112, 112]);
  assert.equal(parseShapeList(''), 'no shape given');
  assert.equal(parseShapeList('2,3;;4'), 'an empty shape');
  assert.equal(parseShape('2,-1'), '"-1" in "2,-1" is not a positive whole number');
  assert.equal(parseShape('2.5'), '"2.5" in "2.5" is not a positive whole number');
});

test('the run request carries names, shapes, phase, param_str and search paths', () => {
  const p = plan(`input: "data" input_shape { dim: 2 dim: 3 }` + PY(['data']));
  const args = runArgsFor('file:///n.prototxt', { ...p, searchPaths: ['/ws'] }, true);
  assert.equal(args.gradcheck, true);
  const request = runRequestFor(args, [[2, 3]]);
  assert.deepEqual(request, {
    module: 'pkg.mod',
    layer: 'MyLayer',
    layerName: 'py',
    paramStr: "{'a': 1}\n",
    phase: 'TRAIN',
    bottoms: [{ shape: [2, 3], name: 'data' }],
    tops: ['out'],
    gradcheck: true,
    pycaffe: undefined,
    searchPaths: ['/ws'],
  });
  // An in-place layer (top = bottom) gets the harness's default names, with the top count kept.
  const inPlace = runRequestFor({ ...args, topNames: ['data'] }, [[2, 3]], { gradcheck: false });
  assert.deepEqual(inPlace.bottoms, [{ shape: [2, 3] }]);
  assert.equal(inPlace.tops, 1);
  assert.equal(inPlace.gradcheck, false);
});
