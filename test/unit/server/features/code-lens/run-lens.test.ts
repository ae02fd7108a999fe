import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { provideCodeLenses } from '../../../../../server/src/features/code-lens/code-lens';
import { provideRunLenses } from '../../../../../server/src/features/code-lens/run-lens';
import { Commands } from '../../../../../common/protocol';
import type { LayerRunArgs } from '../../../../../common/run/args';
import type { CodeLens } from 'vscode-languageserver';

/** The Run layer / Check gradients / Debug layer lenses (the Infer top shapes ones are tested in python-shapes.test.ts). */
function runOnly(lenses: CodeLens[]): CodeLens[] {
  return lenses.filter((l) => l.command?.command !== Commands.inferPythonShapes);
}
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'layers');
const NET = path.join(fixtures, 'layers.prototxt');

test('three lenses above each Python layer of the fixture net, with their arguments', () => {
  const input = featureInputFor(readFileSync(NET, 'utf8'), { uri: pathToFileURL(NET).href });
  const lenses = runOnly(provideRunLenses(input, { roots: [repoRoot] }));
  assert.equal(lenses.length, 18);
  assert.deepEqual(
    lenses.slice(0, 3).map((l) => [l.command?.title, l.command?.command]),
    [
      ['Run layer', Commands.runLayer],
      ['Check gradients', Commands.checkGradients],
      ['Debug layer', Commands.debugLayer],
    ],
  );
  const lines = input.doc.text.split('\n');
  // Each lens sits on the `layer {` line of its layer.
  for (const lens of lenses) assert.match(lines[lens.range.start.line] ?? '', /^layer \{/);
  const args = lenses.map((l) => l.command?.arguments?.[0] as LayerRunArgs);
  assert.deepEqual(
    args.filter((_, i) => i % 3 === 0).map((a) => a.layerName),
    ['scale', 'shift', 'square', 'loss', 'fails', 'spin'],
  );
  const scale = args[0];
  assert.deepEqual(scale, {
    uri: pathToFileURL(NET).href,
    layerName: 'scale',
    module: 'scale_layer',
    layerClass: 'ChannelScale',
    paramStr: undefined,
    phase: 'TRAIN',
    bottomShapes: [[2, 3, 4, 5]],
    searchPaths: [fixtures],
    gradcheck: false,
    bottomNames: ['data'],
    topNames: ['scaled'],
  });
  assert.equal(args[1].gradcheck, true);
  // Debug layer runs exactly what Run layer runs.
  assert.deepEqual(args[2], scale);
  assert.equal(args[3].paramStr, '{shift: 0.5, factor: 2.0, train_only: true}');
  // `squared` comes from a Python layer: unknown; `label` from the Input layer.
  const loss = args[9];
  assert.deepEqual(loss.bottomShapes, [null, [2, 3, 4, 5]]);
  assert.match(lenses[9].command?.tooltip ?? '', /asks for bottom shapes/);
  assert.match(lenses[11].command?.tooltip ?? '', /under the debugger.*asks for bottom shapes/);
});

test('lenses keep shapes inferred through standard layers and the phase the layer is kept in', () => {
  const text = `
layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 32 dim: 32 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 8 kernel_size: 3 pad: 1 } }
layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer {
  name: "py"
  type: "Python"
  bottom: "pool"
  top: "out"
  include { phase: TEST }
  python_param { module: "nowhere" layer: "L" }
}`;
  const lenses = runOnly(provideRunLenses(featureInputFor(text), { fileExists: () => false }));
  assert.equal(lenses.length, 3);
  const args = lenses[0].command?.arguments?.[0] as LayerRunArgs;
  assert.deepEqual(args.bottomShapes, [[2, 8, 16, 16]]);
  assert.equal(args.phase, 'TEST');
  assert.deepEqual(args.searchPaths, []);
  assert.deepEqual(lenses[0].range.start, { line: 4, character: 0 });
});

test("the Python layers of a solver's net_param get Run, Check gradients and Debug lenses", () => {
  const solverFile = path.join(fixtures, 'embedded_solver.prototxt');
  const net = readFileSync(NET, 'utf8').replace(/^name: .*$/m, '');
  const text = `base_lr: 0.1\nlr_policy: "fixed"\nnet_param {\n${net}}\n`;
  const input = featureInputFor(text, { uri: pathToFileURL(solverFile).href });
  const lenses = provideRunLenses(input, { roots: [repoRoot] });
  assert.deepEqual(
    lenses.slice(0, 3).map((l) => l.command?.title),
    ['Run layer', 'Check gradients', 'Debug layer'],
  );
  assert.ok(!lenses.some((l) => l.command?.title === 'Infer top shapes'));
  const args = lenses.map((l) => l.command?.arguments?.[0] as LayerRunArgs);
  assert.deepEqual(
    args.filter((_, i) => i % 3 === 0).map((a) => a.layerName),
    ['scale', 'shift', 'square', 'loss', 'fails', 'spin'],
  );
  // Bottom shapes from the embedded Input layer, the module found beside the solver.
  assert.deepEqual(args[0].bottomShapes, [[2, 3, 4, 5]]);
  assert.deepEqual(args[0].searchPaths, [fixtures]);
  assert.equal(args[0].uri, pathToFileURL(solverFile).href);
  const lines = text.split('\n');
  for (const lens of lenses) assert.match(lines[lens.range.start.line] ?? '', /^layer \{/);
});

test('no lenses without Python layers, for incomplete python_param, or for non-net files', () => {
  assert.deepEqual(provideRunLenses(featureInputFor('layer { name: "r" type: "ReLU" }')), []);
  assert.deepEqual(
    provideRunLenses(featureInputFor('layer { name: "p" type: "Python" python_param { module: "m" } }')),
    [],
  );
  assert.deepEqual(provideRunLenses(featureInputFor('base_lr: 0.1\nmax_iter: 10\nnet: "x.prototxt"\n')), []);
  assert.deepEqual(provideRunLenses(featureInputFor('layer { name: "p" type: "Python" python_param {')), []);
});

test('the code-lens entry point gives the run lenses for prototxt documents', async () => {
  const input = featureInputFor('layer { name: "p" type: "Python" python_param { module: "m" layer: "L" } }');
  const params = { textDocument: { uri: input.doc.uri } };
  assert.equal(runOnly(await provideCodeLenses(input, params)).length, 3);
});
