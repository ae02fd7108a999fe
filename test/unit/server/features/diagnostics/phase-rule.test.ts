// The phase rule: a net error of one phase only, while the other phase builds, is an error when a
// solver of the workspace builds the file in that phase, else a warning naming the phase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { DocumentStore } from '../../../../../server/src/documents';
import { prototxtDiagnostics } from '../../../../../server/src/features/diagnostics/gather';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { SolverUses } from '../../../../../server/src/workspace/solver-uses';
import { tempDir } from '../../../../helpers/temp-dir';

// A deploy net whose Reshape runs in TEST only: the TRAIN net lacks "r".
const DEPLOY = `name: "deploy"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 12 dim: 4 dim: 4 } } }
layer { name: "reshape" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 0 dim: 3 dim: -1 } }
  include { phase: TEST } }
layer { name: "prob" type: "Softmax" bottom: "r" top: "prob" }
`;

// A train net whose TRAIN-only layer makes "rois": the TEST net lacks it.
const TRAIN = `name: "train"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 8 dim: 8 } } }
layer { name: "proposals" type: "Input" top: "rois" input_param { shape { dim: 16 dim: 5 } }
  include { phase: TRAIN } }
layer { name: "pool" type: "ROIPooling" bottom: "data" bottom: "rois" top: "pool"
  roi_pooling_param { pooled_h: 2 pooled_w: 2 spatial_scale: 1 } }
`;

// Both phases lack "nothing": errors in both phases stay errors.
const BOTH = `name: "both"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 4 dim: 4 } } }
layer { name: "x" type: "ReLU" bottom: "nothing" top: "x" }
`;

// A shape error of the TEST phase only: 18 elements do not divide by 4.
const SHAPES = `name: "shapes"
layer { name: "a" type: "Input" top: "a" input_param { shape { dim: 4 dim: 6 } } include { phase: TRAIN } }
layer { name: "a" type: "Input" top: "a" input_param { shape { dim: 3 dim: 6 } } include { phase: TEST } }
layer { name: "r" type: "Reshape" bottom: "a" top: "r" reshape_param { shape { dim: 4 dim: -1 } } }
`;

function workspace(files: Record<string, string>) {
  const root = tempDir('phase-rule-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.configure(DEFAULT_SETTINGS, [root]);
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const solvers = new SolverUses();
  solvers.setRoots([root]);
  const diagnostics = (rel: string): Diagnostic[] => {
    const file = path.join(root, rel);
    const doc = documents.open(pathToFileURL(file).toString(), 'prototxt', 1, fs.readFileSync(file, 'utf8'));
    return prototxtDiagnostics(analyses.analyzedDoc(doc), python, solvers);
  };
  const check = (rel: string): Diagnostic[] =>
    diagnostics(rel).filter((d) =>
      ['undefined-bottom', 'duplicate-top', 'reshape-count', 'shape-invalid'].includes(String(d.code)),
    );
  return { root, check, diagnostics, python };
}

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.severity === 1 ? 'error' : 'warning'}`);

test('a deploy net no solver trains: the TRAIN-only missing bottom is a warning naming the phase', () => {
  const { check } = workspace({ 'deploy.prototxt': DEPLOY });
  const [d] = check('deploy.prototxt');
  assert.deepEqual(brief([d]), ['undefined-bottom warning']);
  assert.match(String(d.message), /only the TRAIN phase has this problem, the TEST phase builds/);
  assert.match(String(d.message), /no solver in the workspace builds this file in TRAIN/);
});

test('the same net named by a solver as `net` (or `train_net`) is built in TRAIN: an error', () => {
  for (const solver of ['net: "deploy.prototxt"\nbase_lr: 0.1\n', 'train_net: "m/deploy.prototxt"\n']) {
    const { check } = workspace({ 'm/deploy.prototxt': DEPLOY, 'm/solver.prototxt': solver });
    assert.deepEqual(brief(check('m/deploy.prototxt')), ['undefined-bottom error'], solver);
  }
});

test('a train net whose TEST phase lacks a TRAIN-only producer: a warning under train_net, an error under net with test_iter', () => {
  const trainOnly = workspace({
    'train.prototxt': TRAIN,
    'solver.prototxt': 'train_net: "train.prototxt"\n',
  });
  const [d] = trainOnly.check('train.prototxt');
  assert.deepEqual(brief([d]), ['undefined-bottom warning']);
  assert.match(
    String(d.message),
    /build this net only in TRAIN \(solver.prototxt: train_net\), where this problem does not occur/,
  );
  const tested = workspace({
    'train.prototxt': TRAIN,
    'solver.prototxt': 'net: "train.prototxt"\ntest_iter: 10\ntest_interval: 100\n',
  });
  assert.deepEqual(brief(tested.check('train.prototxt')), ['undefined-bottom error']);
  // `net` without test_iter: Caffe makes no test net from it.
  const untested = workspace({ 'train.prototxt': TRAIN, 'solver.prototxt': 'net: "train.prototxt"\n' });
  assert.deepEqual(brief(untested.check('train.prototxt')), ['undefined-bottom warning']);
});

test('errors in both phases stay errors', () => {
  const { check } = workspace({ 'both.prototxt': BOTH });
  assert.deepEqual(brief(check('both.prototxt')), ['undefined-bottom error']);
});

test('a shape error of one phase follows the same rule', () => {
  const alone = workspace({ 'shapes.prototxt': SHAPES });
  const [d] = alone.check('shapes.prototxt');
  assert.equal(d.severity, 2, String(d.message));
  assert.match(String(d.message), /TEST/);
  const tested = workspace({
    'shapes.prototxt': SHAPES,
    'solver.prototxt': 'test_net: "shapes.prototxt"\ntest_iter: 1\n',
  });
  assert.equal(tested.check('shapes.prototxt')[0].severity, 1);
});

// A net split by stage: the deploy head reads "feat", which only the val stage makes.
const STAGED = `name: "staged"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 4 dim: 4 } } }
layer { name: "val_only" type: "ReLU" bottom: "data" top: "feat" include { phase: TEST stage: "val" } }
layer { name: "head" type: "ReLU" bottom: "feat" top: "out" include { phase: TEST stage: "deploy" } }
`;

test('a problem only a stage brings: a warning without a solver, an error when a solver builds that stage', () => {
  const alone = workspace({ 'staged.prototxt': STAGED });
  const [d] = alone.check('staged.prototxt');
  assert.deepEqual(brief([d]), ['undefined-bottom warning']);
  assert.match(String(d.message), /with stage "deploy"/);
  assert.match(String(d.message), /only a stage brings this problem, and no solver in the workspace builds/);
  const solver = (state: string) =>
    workspace({
      'staged.prototxt': STAGED,
      'solver.prototxt': `test_net: "staged.prototxt"\ntest_iter: 1\n${state}\n`,
    }).check('staged.prototxt');
  assert.deepEqual(brief(solver('test_state { stage: "deploy" }')), ['undefined-bottom error']);
  const [val] = solver('test_state { stage: "val" }');
  assert.deepEqual(brief([val]), ['undefined-bottom warning']);
  assert.match(
    String(val.message),
    /build this net only in TEST with stage "val" \(solver.prototxt: test_net\), where this problem does not occur/,
  );
  // Both stages at once: the val layer makes "feat" for the deploy head, which builds.
  assert.deepEqual(brief(solver('test_state { stage: "val" stage: "deploy" }')), [
    'undefined-bottom warning',
  ]);
});

test("the net's own state is merged into the solver's, as Caffe merges it", () => {
  const own = STAGED.replace('name: "staged"', 'name: "staged"\nstate { stage: "deploy" }');
  const { check } = workspace({
    'n.prototxt': own,
    'solver.prototxt': 'test_net: "n.prototxt"\ntest_iter: 1\n',
  });
  assert.deepEqual(brief(check('n.prototxt')), ['undefined-bottom error']);
});

test("a stage added to the net's own state's stages is told with them", () => {
  // Two variants of one layer, each in its own stage; the file's state already sets one of them, so
  // asking for the other keeps both (Caffe adds a stage asked for to the file's own).
  const net = `name: "variants"
state { phase: TRAIN stage: "factored" }
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 6 } } }
layer { name: "lstm1" type: "ReLU" bottom: "data" top: "lstm1" include { stage: "unfactored" } }
layer { name: "lstm1" type: "ReLU" bottom: "data" top: "lstm1" include { stage: "factored" } }
`;
  const [d] = workspace({ 'v.prototxt': net }).check('v.prototxt');
  assert.deepEqual(brief([d]), ['duplicate-top warning']);
  assert.match(
    String(d.message),
    /in the TRAIN phase with stage "unfactored" \(added to the net's own state's stage "factored"\)/,
  );
  assert.match(
    String(d.message),
    /a net is built with only the stage its own state sets \("factored"\) unless another is asked for/,
  );
});

test("a problem of a state only a solver's stages or level make is reported as an error", () => {
  const net = `name: "n"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 6 } } }
layer { name: "ab" type: "ReLU" bottom: "missing" top: "y" include { stage: "a" stage: "b" } }
layer { name: "deep" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 5 dim: -1 } }
  include { min_level: 2 } }
`;
  assert.deepEqual(workspace({ 'n.prototxt': net }).check('n.prototxt'), []);
  const { check } = workspace({
    'n.prototxt': net,
    'solver.prototxt': 'train_net: "n.prototxt"\ntrain_state { stage: "a" stage: "b" level: 2 }\n',
  });
  const found = check('n.prototxt');
  assert.deepEqual(brief(found), ['undefined-bottom error', 'reshape-count error']);
  assert.match(String(found[0].message), /when built in TRAIN with stages "a", "b" at level 2/);
  assert.match(String(found[0].message), /Built so by solver.prototxt: train_net\.$/);
});

// A solver that embeds its net: "x" is made in TRAIN only, so the TEST net lacks it.
const EMBEDDED = (field: string, extra = '') => `${field} {
  name: "inline"
  layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 2 } } }
  layer { name: "t" type: "ReLU" bottom: "data" top: "x" include { phase: TRAIN } }
  layer { name: "u" type: "ReLU" bottom: "x" top: "y" }
}
base_lr: 0.1
${extra}
`;

test('a net a solver embeds is judged in the phases that solver builds it in', () => {
  const trainOnly = workspace({ 'solver.prototxt': EMBEDDED('train_net_param') });
  const [d] = trainOnly.check('solver.prototxt');
  assert.deepEqual(brief([d]), ['undefined-bottom warning']);
  assert.match(String(d.message), /only in TRAIN \(this solver: train_net_param\)/);
  const tested = workspace({ 'solver.prototxt': EMBEDDED('net_param', 'test_iter: 1\ntest_interval: 10') });
  assert.deepEqual(brief(tested.check('solver.prototxt')), ['undefined-bottom error']);
  const testNet = workspace({ 'solver.prototxt': EMBEDDED('test_net_param', 'test_iter: 1') });
  assert.deepEqual(brief(testNet.check('solver.prototxt')), ['undefined-bottom error']);
});

// A TRAIN-only Python layer whose class the module lacks: Caffe imports it only when building TRAIN.
const PY_NET = `name: "py"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }
layer { name: "proposal" type: "Python" bottom: "data" top: "rois"
  python_param { module: "my_layers" layer: "ProposalLayer2" }
  include { phase: TRAIN } }
`;
const PY_MODULE = `import caffe


class ProposalLayer(caffe.Layer):
    def setup(self, bottom, top):
        pass

    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        pass

    def backward(self, top, propagate_down, bottom):
        pass
`;

async function pythonCheck(files: Record<string, string>, rel: string): Promise<Diagnostic[]> {
  const { root, diagnostics, python } = workspace(files);
  await python.configure([root], DEFAULT_SETTINGS);
  return diagnostics(rel).filter((d) => d.code === 'python-class-not-found');
}

test('a Python layer only TRAIN keeps: its missing class is a warning unless TRAIN is built', async () => {
  const alone = await pythonCheck({ 'test.prototxt': PY_NET, 'my_layers.py': PY_MODULE }, 'test.prototxt');
  assert.deepEqual(brief(alone), ['python-class-not-found warning']);
  assert.match(String(alone[0].message), /has no class 'ProposalLayer2'/);
  assert.match(
    String(alone[0].message),
    /only the TRAIN phase has this layer, and no solver in the workspace builds this file in TRAIN/,
  );
  // Without the rule the layer is in every phase: an error.
  const everywhere = await pythonCheck(
    { 'net.prototxt': PY_NET.replace('  include { phase: TRAIN } ', ''), 'my_layers.py': PY_MODULE },
    'net.prototxt',
  );
  assert.deepEqual(brief(everywhere), ['python-class-not-found error']);
  // A solver that tests the file: TEST leaves the layer out.
  const tested = await pythonCheck(
    {
      'test.prototxt': PY_NET,
      'my_layers.py': PY_MODULE,
      'solver.prototxt':
        'train_net: "train.prototxt"\ntest_net: "test.prototxt"\ntest_iter: 1\ntest_interval: 10\nbase_lr: 0.1\nlr_policy: "fixed"\nmax_iter: 10\n',
      'train.prototxt': 'name: "t"\n',
    },
    'test.prototxt',
  );
  assert.deepEqual(brief(tested), ['python-class-not-found warning']);
  assert.match(
    String(tested[0].message),
    /build this net only in TEST \(solver\.prototxt: test_net\), which leave this layer out/,
  );
  // A solver that trains it: an error.
  const trained = await pythonCheck(
    {
      'test.prototxt': PY_NET,
      'my_layers.py': PY_MODULE,
      'solver.prototxt': 'net: "test.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\nmax_iter: 10\n',
    },
    'test.prototxt',
  );
  assert.deepEqual(brief(trained), ['python-class-not-found error']);
});

// A conv layer whose loss only the "captions" stage keeps: with no stage it learns without a gradient.
const CAPTIONS = `name: "captions"
layer { name: "data" type: "Input" top: "data" top: "label" input_param { shape { dim: 2 dim: 3 dim: 8 dim: 8 } shape { dim: 2 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "fc" type: "InnerProduct" bottom: "conv" top: "fc" inner_product_param { num_output: 5 }
  include { stage: "captions" } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" include { stage: "captions" } }
layer { name: "other" type: "InnerProduct" bottom: "data" top: "other" inner_product_param { num_output: 5 } }
layer { name: "loss2" type: "SoftmaxWithLoss" bottom: "other" bottom: "label" top: "loss2" }
`;

test('a layer without a gradient in a state no solver builds is not told; in a state one builds, it is', () => {
  const noGradient = (ws: ReturnType<typeof workspace>) =>
    ws.diagnostics('captions.prototxt').filter((d) => d.code === 'no-gradient');
  // No solver: the net is judged with no stage, where the conv layer reaches no loss.
  const [alone] = noGradient(workspace({ 'captions.prototxt': CAPTIONS }));
  assert.match(String(alone?.message), /^conv learns, but no loss depends on it/);
  // Every solver trains it with the stage that keeps its loss: nothing to tell.
  const staged = workspace({
    'captions.prototxt': CAPTIONS,
    'solver.prototxt': 'net: "captions.prototxt"\nbase_lr: 0.1\ntrain_state { stage: "captions" }\n',
  });
  assert.deepEqual(noGradient(staged), []);
  // A solver that trains it without the stage: told, as that build has it.
  const plain = workspace({
    'captions.prototxt': CAPTIONS,
    'solver.prototxt': 'net: "captions.prototxt"\nbase_lr: 0.1\n',
  });
  assert.equal(noGradient(plain).length, 1);
});
