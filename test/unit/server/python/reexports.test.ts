// A package whose __init__.py imports its layers (`from .data_layers import *`, `from .x import A as B`):
// Caffe's getattr(module, layer) finds them there, so the net's module is the package and its classes
// are the ones it imports, checked, opened and completed in the files that define them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompletionItem, Location, MarkupContent } from 'vscode-languageserver';
import { Cursor } from '../../../../server/src/features/context';
import { pythonLayerCompletion } from '../../../../server/src/features/completion/python-layer';
import { pythonLayerDefinition } from '../../../../server/src/features/definition/python-layer';
import { pythonLayerHover } from '../../../../server/src/features/hover/python-layer';
import { pythonLayerDiagnostics } from '../../../../server/src/features/shared/python-layer-diagnostics';
import { inputAt, markIn, workspaceOf } from '../features/python-fixture';

const NET = 'nets/train.prototxt';

async function at(needle: string, shift = 1, text?: string) {
  const { root, python } = await workspaceOf('reexport');
  const marked = text ?? markIn(root, NET, needle, shift);
  const { input, position } = inputAt(root, NET, marked);
  return { root, python, input, cursor: new Cursor(input, position) };
}

const rel = (root: string, uri: string) => path.relative(root, fileURLToPath(uri)).split(path.sep).join('/');

test("the net's classes, imported by the package, are found: no diagnostics", async () => {
  const { root, python } = await workspaceOf('reexport');
  const { input } = inputAt(root, NET);
  assert.deepEqual(
    pythonLayerDiagnostics(input, python).map((d) => [d.code, d.message]),
    [],
  );
});

test('a class the package does not import: an error listing the layer classes it has, __all__ obeyed', async () => {
  const { root, python } = await workspaceOf('reexport');
  const text = markIn(root, NET, '"ImageData"').replace('<|>', '').replace('"ImageData"', '"Unlisted"');
  const { input } = inputAt(root, NET, `${text}<|>`);
  const found = pythonLayerDiagnostics(input, python);
  assert.deepEqual(
    found.map((d) => [d.code, d.message]),
    [
      [
        'python-class-not-found',
        "vision/layers/__init__.py has no class 'Unlisted'. Its layer classes: ImageData, RobustLoss.",
      ],
    ],
  );
});

test("param_str is checked against the imported class's reads", async () => {
  const { root, python } = await workspaceOf('reexport');
  const text = markIn(root, NET, 'batch_size').replace('<|>', '').replace('"batch_size": 8, ', '');
  const { input } = inputAt(root, NET, `${text}<|>`);
  const codes = pythonLayerDiagnostics(input, python).map((d) => d.code);
  assert.ok(codes.includes('param-str-missing-key'), codes.join(', '));
});

test('definition and hover on the layer name land on the class in the file that defines it', async () => {
  const data = await at('"ImageData"', 3);
  const targets = pythonLayerDefinition(data.cursor, data.python) as Location[];
  assert.deepEqual(
    targets.map((t) => `${rel(data.root, t.uri)}:${t.range.start.line}`),
    ['vision/layers/data_layers.py:7'],
  );
  const hover = pythonLayerHover(data.cursor, data.python);
  assert.match(
    (hover?.contents as MarkupContent).value,
    /vision\/layers\/data_layers\.py, imported by vision\/layers\/__init__\.py — a caffe\.Layer/,
  );
  // An `as` name: the class it stands for.
  const loss = await at('"RobustLoss"', 3);
  const lossTargets = pythonLayerDefinition(loss.cursor, loss.python) as Location[];
  assert.deepEqual(
    lossTargets.map((t) => `${rel(loss.root, t.uri)}:${t.range.start.line}`),
    ['vision/layers/loss_layers.py:3'],
  );
});

test('layer: completion offers the classes the package imports, under their names there', async () => {
  const { root } = await workspaceOf('reexport');
  const text = markIn(root, NET, '"ImageData"').replace('<|>"ImageData"', '<|>');
  const { cursor, python } = await at('', 0, text);
  const items = pythonLayerCompletion(cursor, python) as CompletionItem[];
  assert.deepEqual(items.map((i) => i.label).sort(), ['ImageData', 'RobustLoss']);
});

// Which of the two gets the other's class depends on which Python imports first; each is taken to have
// both (a class is not called missing when an import order exists that binds it).
test('modules that import each other with wildcards: each has the classes of both, and the walk ends', async () => {
  const { root, python } = await workspaceOf('reexport');
  const index = python.index!;
  const names = (rel: string) =>
    index
      .moduleClasses(path.join(root, rel))
      .map((c) => c.name)
      .sort();
  assert.deepEqual(names('vision/layers/cycle_a.py'), ['CycleA', 'CycleB']);
  assert.deepEqual(names('vision/layers/cycle_b.py'), ['CycleA', 'CycleB']);
});

/** The diagnostics of the net's first layer made to name `module` and `layer`. */
async function layerDiagnostics(module: string, layer: string) {
  const { root, python } = await workspaceOf('reexport');
  const text = markIn(root, NET, '"ImageData"')
    .replace('<|>', '')
    .replace('module: "vision.layers"\n    layer: "ImageData"', `module: "${module}"\n    layer: "${layer}"`)
    .replace(/param_str: '[^']*'/, '');
  assert.ok(text.includes(`layer: "${layer}"`));
  const { input } = inputAt(root, NET, `${text}<|>`);
  return pythonLayerDiagnostics(input, python).filter((d) => d.code?.toString().startsWith('python-class'));
}

test('an alias of a class (`Smooth = SmoothL1`) is that class, under its second name', async () => {
  const { root, python } = await workspaceOf('reexport');
  const smooth = python
    .index!.moduleClasses(path.join(root, 'vision/extras.py'))
    .find((c) => c.name === 'Smooth');
  assert.equal(
    smooth && path.relative(root, smooth.file).split(path.sep).join('/'),
    'vision/layers/loss_layers.py',
  );
  assert.equal(smooth?.cls.name, 'SmoothL1');
  assert.deepEqual(await layerDiagnostics('vision.extras', 'Smooth'), []);
});

test('a class bound where the workspace cannot see: information on where, not a "has no class" error', async () => {
  const unchecked = async (module: string, layer: string) =>
    (await layerDiagnostics(module, layer)).map((d) => [d.code, d.severity, d.message]);
  const add =
    ' To check it, add the folder of its sources to the setting prototxt.python.extraPaths (the CLI: --python-path DIR).';
  assert.deepEqual(await unchecked('vision.extras', 'FocalLoss'), [
    [
      'python-class-unchecked',
      'information',
      "vision/extras.py line 6 imports 'FocalLoss' from 'contrib.losses', which is not in the workspace, " +
        `so layer 'FocalLoss' is not checked here.${add}`,
    ],
  ]);
  assert.deepEqual(await unchecked('vision.extras', 'Scaled3'), [
    [
      'python-class-unchecked',
      'information',
      "vision/extras.py line 20 binds 'Scaled3' by an assignment, not a class statement, so layer 'Scaled3' is not checked here.",
    ],
  ]);
  // Through a module that gathers it, the trail is followed to where it goes dark.
  const wildcard =
    "No class 'Anything' is found, but vision/extras.py line 5 imports everything from 'vendor_layers', which " +
    `is not in the workspace and may define it, so layer 'Anything' is not checked here.${add}`;
  assert.deepEqual(await unchecked('vision.extras', 'Anything'), [
    ['python-class-unchecked', 'information', wildcard],
  ]);
  assert.deepEqual(await unchecked('vision.gather', 'Anything'), [
    ['python-class-unchecked', 'information', wildcard],
  ]);
  assert.deepEqual(await unchecked('vision.gather', 'Smooth'), []);
});

test('a module whose every import is in the workspace still gets the error for a class it lacks', async () => {
  const found = await layerDiagnostics('vision.layers.loss_layers', 'Focal');
  assert.deepEqual(
    found.map((d) => d.code),
    ['python-class-not-found'],
  );
});
