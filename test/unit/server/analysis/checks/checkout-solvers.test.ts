// The learning rate policies, solver types and regularizations a Caffe checkout's sources know decide
// a solver checked against that checkout's caffe.proto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCheckout, readCheckoutLayerTypes } from '../../../../../server/src/schema/checkout-layers';
import { LR_POLICIES } from '../../../../../common/training/lr-schedule';
import { SOLVER_TYPES } from '../../../../../server/src/analysis/checks/solver';
import { writeCheckout } from '../../../../helpers/caffe-checkout';
import { runCliIn } from '../../../../helpers/run-cli';
import { needs, pycaffePath } from '../../../../helpers/resources';

/** Enough of caffe.proto for a solver's schedule, type and regularization. */
const SOLVER_PROTO = `syntax = "proto2";
package caffe;
message NetParameter { optional string name = 1; }
message SolverParameter {
  optional string net = 24;
  optional float base_lr = 5;
  optional string lr_policy = 8;
  optional float gamma = 9;
  optional int32 stepsize = 13;
  optional int32 max_iter = 7;
  optional float weight_decay = 12;
  optional string regularization_type = 29 [default = "L2"];
  optional string type = 40 [default = "SGD"];
}
`;

/** The SGD solver source of a fork: BVLC's policies and one of its own, as Caffe compares them. */
const SGD_SOURCE = `// The rate at an iteration.
template <typename Dtype>
Dtype SGDSolver<Dtype>::GetLearningRate() {
  const string& lr_policy = this->param_.lr_policy();
  if (lr_policy == "fixed") { rate = base; }
  else if (lr_policy == "step") { rate = base * step; }
  else if (lr_policy ==  "plateau") { rate = plateau(); }
  // else if (lr_policy == "commented") {}
  else { LOG(FATAL) << "Unknown learning rate policy: " << lr_policy; }
}
void Regularize() {
  const string& regularization_type = this->param_.regularization_type();
  if (regularization_type == "L2") {} else if (regularization_type == "L1") {}
}
REGISTER_SOLVER_CLASS(SGD);
`;

/** The core types as an older Caffe registers them: by their V1 enum names. */
const ENUM_CORE = ['CONVOLUTION', 'INNER_PRODUCT', 'POOLING', 'RELU', 'SOFTMAX'];

function workspace(solverSources: boolean, core?: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-solvers-'));
  const root = path.join(dir, 'caffe');
  writeCheckout(root, [], core);
  fs.writeFileSync(path.join(root, 'src', 'caffe', 'proto', 'caffe.proto'), SOLVER_PROTO);
  if (solverSources) {
    fs.mkdirSync(path.join(root, 'src', 'caffe', 'solvers'));
    fs.writeFileSync(path.join(root, 'src', 'caffe', 'solvers', 'sgd_solver.cpp'), SGD_SOURCE);
    fs.writeFileSync(
      path.join(root, 'src', 'caffe', 'solvers', 'sag_solver.cpp'),
      '#define REGISTER_SOLVER_CLASS(type) x\nREGISTER_SOLVER_CLASS(SAG);\n',
    );
  }
  fs.mkdirSync(path.join(dir, 'models'));
  return dir;
}

async function check(dir: string, solver: string): Promise<string[]> {
  fs.writeFileSync(path.join(dir, 'models', 'solver.prototxt'), solver);
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'models/solver.prototxt']);
  return out.split('\n').filter((l) => /\[(lr-schedule|solver-type)\]$/.test(l));
}

const SOLVER = (policy: string, type: string, regularization: string) =>
  `base_lr: 0.1\nlr_policy: "${policy}"\nstepsize: 10\nmax_iter: 100\nweight_decay: 0.0005\n` +
  `regularization_type: "${regularization}"\ntype: "${type}"\n`;

test("a checkout's solver sources: the names compared against and registered, comments and macros left out", () => {
  const dir = workspace(true);
  try {
    const read = readCheckoutLayerTypes(path.join(dir, 'caffe'));
    assert.deepEqual([...(read?.solvers.lrPolicies ?? [])].sort(), ['fixed', 'plateau', 'step']);
    assert.deepEqual([...(read?.solvers.solverTypes ?? [])].sort(), ['SAG', 'SGD']);
    assert.deepEqual([...(read?.solvers.regularizations ?? [])].sort(), ['L1', 'L2']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a solver under a checkout is judged by the names the checkout's sources know", async () => {
  const dir = workspace(true);
  try {
    // The fork's own policy and solver are known; BVLC's are not all there.
    assert.deepEqual(await check(dir, SOLVER('plateau', 'SAG', 'L1')), []);
    const lines = await check(dir, SOLVER('Plateau', 'Adam', 'L3'));
    assert.deepEqual(lines, [
      'models/solver.prototxt:2:12: error: The Caffe checkout at caffe, whose caffe.proto this file is checked ' +
        'against, has no learning rate policy "Plateau"; did you mean "plateau"?: its solver stops at the first ' +
        'update ("Unknown learning rate policy: Plateau"). Its sources know "fixed", "step" and "plateau". [lr-schedule]',
      'models/solver.prototxt:6:22: error: The Caffe checkout at caffe has no regularization "L3": it knows "L2" or ' +
        '"L1"; Caffe stops at the first update ("Unknown regularization type: L3"). [solver-type]',
      'models/solver.prototxt:7:7: error: The Caffe checkout at caffe has no solver "Adam": it knows "SAG", "SGD"; ' +
        'Caffe stops before training ("Unknown solver type: Adam"). [solver-type]',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an older Caffe whose layer registry is keyed by enum values: its layer types unread, its solvers' names still judge", async () => {
  const dir = workspace(true, ENUM_CORE);
  try {
    const read = readCheckout(path.join(dir, 'caffe'));
    assert.equal(read.layerTypes, undefined);
    assert.deepEqual([...(read.solvers.lrPolicies ?? [])].sort(), ['fixed', 'plateau', 'step']);
    const lines = await check(dir, SOLVER('stepearly', 'SGD', 'L2'));
    assert.deepEqual(lines, [
      'models/solver.prototxt:2:12: error: The Caffe checkout at caffe, whose caffe.proto this file is checked ' +
        'against, has no learning rate policy "stepearly": its solver stops at the first update ("Unknown ' +
        'learning rate policy: stepearly"). Its sources know "fixed", "step" and "plateau". [lr-schedule]',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot folder missing under a checkout whose solver does not check it: training starts, the first snapshot fails', async () => {
  const dir = workspace(true);
  try {
    const solver = `${SOLVER('step', 'SGD', 'L2')}snapshot: 50\nsnapshot_prefix: "snaps/run"\n`;
    fs.writeFileSync(path.join(dir, 'models', 'solver.prototxt'), solver);
    const said = async () => {
      const { out } = await runCliIn(dir, ['check', '--root', dir, 'models/solver.prototxt']);
      return out.split('\n').filter((l) => l.includes('snapshot folder'));
    };
    const old = await said();
    assert.equal(old.length, 1, old.join('\n'));
    assert.match(
      old[0],
      /Caffe trains, then fails to write the first snapshot \(this checkout's solver does not check the folder before training\)/,
    );
    assert.equal(readCheckoutLayerTypes(path.join(dir, 'caffe'))?.solvers.snapshotChecked, false);
    // A solver that checks the prefix first (BVLC's since 2015) stops before training.
    const sgd = path.join(dir, 'caffe', 'src', 'caffe', 'solvers', 'sgd_solver.cpp');
    fs.writeFileSync(sgd, `${SGD_SOURCE}void Solver::Init() { CheckSnapshotWritePermissions(); }\n`);
    const checked = await said();
    assert.equal(checked.length, 1, checked.join('\n'));
    assert.match(checked[0], /Caffe stops before training \("Cannot write to snapshot prefix"\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lr under a checkout: a policy only its solver knows is said to be its, the rest computed', async () => {
  const dir = workspace(true);
  try {
    const file = path.join(dir, 'models', 'solver.prototxt');
    fs.writeFileSync(file, SOLVER('plateau', 'SGD', 'L2'));
    const fork = await runCliIn(dir, ['lr', 'models/solver.prototxt']);
    assert.equal(fork.code, 1);
    assert.equal(fork.out, '');
    assert.equal(
      fork.err,
      'models/solver.prototxt: lr_policy "plateau" is one the solver of the Caffe checkout at caffe knows, ' +
        'not BVLC Caffe\'s: its rates are not computed here (only "fixed", "step", "exp", "inv", "multistep", ' +
        '"poly", "sigmoid")\n',
    );
    // A misspelt policy is the check's error, in the checkout's words.
    fs.writeFileSync(file, SOLVER('Plateau', 'SGD', 'L2'));
    const misspelt = await runCliIn(dir, ['lr', 'models/solver.prototxt']);
    assert.equal(misspelt.code, 1);
    assert.match(
      misspelt.err,
      /:2:12: error: The Caffe checkout at caffe, .* has no learning rate policy "Plateau"; did you mean "plateau"\?/,
    );
    fs.writeFileSync(file, SOLVER('step', 'SGD', 'L2'));
    const step = await runCliIn(dir, ['lr', 'models/solver.prototxt', '--at', '5']);
    assert.equal(step.code, 0, step.err);
    assert.match(step.out, /^5 +0\.1$/m);
    // Under the bundled schema the checkout's sources do not count.
    fs.writeFileSync(file, SOLVER('plateau', 'SGD', 'L2'));
    const bundled = await runCliIn(dir, ['lr', '--schema', 'bundled:bvlc', 'models/solver.prototxt']);
    assert.equal(bundled.code, 1);
    assert.match(bundled.err, /warning: BVLC Caffe's SGD solver has no learning rate policy "plateau"/);
    assert.match(
      bundled.err,
      /\nmodels\/solver.prototxt: lr_policy "plateau" is not BVLC Caffe's: its rates are not computed/,
    );
    const missing = await runCliIn(dir, ['lr', '--schema', 'none.proto', 'models/solver.prototxt']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^caffe-prototxt lr: cannot use --schema none\.proto: /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkout whose sources name no solver: a name BVLC lacks is a warning, as a fork may add it', async () => {
  const dir = workspace(false);
  try {
    const read = readCheckoutLayerTypes(path.join(dir, 'caffe'));
    assert.deepEqual(read?.solvers, {});
    const lines = await check(dir, SOLVER('plateau', 'SAG', 'L2'));
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(
      lines[0],
      /:2:12: warning: BVLC Caffe's SGD solver has no learning rate policy "plateau"\. It knows .*A fork of Caffe may add it\. \[lr-schedule\]$/,
    );
    assert.match(
      lines[1],
      /:7:7: warning: Caffe has no solver "SAG": .*A fork of Caffe may add it\. \[solver-type\]$/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "BVLC's own sources know exactly the policies, solvers and regularizations the checks know",
  needs('pycaffe'),
  () => {
    const read = readCheckoutLayerTypes(path.dirname(pycaffePath() as string));
    assert.ok(read, 'the checkout is read');
    assert.deepEqual([...(read.solvers.lrPolicies ?? [])].sort(), [...LR_POLICIES].sort());
    assert.deepEqual([...(read.solvers.solverTypes ?? [])].sort(), [...SOLVER_TYPES].sort());
    assert.deepEqual([...(read.solvers.regularizations ?? [])].sort(), ['L1', 'L2']);
    assert.equal(read.solvers.snapshotChecked, true, 'BVLC checks the snapshot prefix before training');
  },
);
