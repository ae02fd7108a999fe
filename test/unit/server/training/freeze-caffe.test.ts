// Freeze checked with real Caffe (pycaffe, when present): the frozen net is one Caffe builds (the param
// blocks Freeze adds match each type's blob count: a convolution without bias has one, a Scale with a
// bias two), and after a few SGD steps the frozen layers' blobs are unchanged while the later ones
// learned. A solver's files as Caffe meets them: a net file that does not exist and a snapshot folder
// that does not exist stop it, as the diagnostics say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { planFreeze } from '../../../../server/src/training/freeze';
import { solverFileProblems, solverPaths, DISK } from '../../../../server/src/training/solver-files';
import { applyEdits } from '../../../../server/src/training/text-edits';
import { findPycaffe, runWithPycaffe, skipUnlessPycaffe } from '../../../helpers/caffe-solver';

const pycaffe = findPycaffe();
const skip = skipUnlessPycaffe(pycaffe);
const schema = loadBundledSchema();

const NET = `name: "freeze"
layer {
  name: "data"
  type: "DummyData"
  top: "x"
  top: "y"
  dummy_data_param {
    shape { dim: 2 dim: 1 dim: 4 dim: 4 }
    shape { dim: 2 dim: 3 }
    data_filler { type: "gaussian" std: 1 }
    data_filler { type: "constant" value: 0.5 }
  }
}
layer {
  name: "conv"
  type: "Convolution"
  bottom: "x"
  top: "c"
  convolution_param { num_output: 2 kernel_size: 3 bias_term: false weight_filler { type: "gaussian" std: 0.1 } }
}
layer {
  name: "scale"
  type: "Scale"
  bottom: "c"
  top: "c"
  scale_param { bias_term: true }
}
layer {
  name: "ip"
  type: "InnerProduct"
  bottom: "c"
  top: "out"
  param { lr_mult: 1 }
  param { lr_mult: 2 decay_mult: 0 }
  inner_product_param { num_output: 3 weight_filler { type: "gaussian" std: 0.1 } }
}
layer { name: "loss" type: "EuclideanLoss" bottom: "out" bottom: "y" top: "loss" }
`;

const SOLVER = `net: "net.prototxt"
base_lr: 0.1
lr_policy: "fixed"
max_iter: 3
weight_decay: 0.01
snapshot_after_train: false
`;

/** Which parameter blobs of each layer changed over three SGD steps. */
const STEP = `
import sys, json, caffe
solver = caffe.SGDSolver(sys.argv[1])
before = {k: [b.data.copy() for b in v] for k, v in solver.net.params.items()}
solver.step(3)
print(json.dumps({k: [bool((b.data != before[k][i]).any()) for i, b in enumerate(v)]
                  for k, v in solver.net.params.items()}))
`;

function inScratch<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freeze-caffe-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a net frozen up to "ip" builds in Caffe and only "ip" learns', { skip }, () => {
  const ast = parse(NET);
  const outcome = planFreeze(
    { text: NET, ast, net: buildNet(ast, schema), schema, indent: '  ', eol: '\n' },
    3,
  );
  assert.ok(outcome && !('refused' in outcome));
  const frozen = applyEdits(NET, outcome.edits);
  const learned = (net: string) =>
    inScratch({ 'net.prototxt': net, 'solver.prototxt': SOLVER }, (dir) => {
      const run = runWithPycaffe(pycaffe.folder ?? '', STEP, ['solver.prototxt'], dir);
      assert.equal(run.status, 0, run.log.slice(-800));
      return JSON.parse(run.out) as Record<string, boolean[]>;
    });
  assert.deepEqual(learned(NET), { conv: [true], scale: [true, true], ip: [true, true] });
  assert.deepEqual(learned(frozen), { conv: [false], scale: [false, false], ip: [true, true] });
});

test('Caffe stops on a net file or a snapshot folder the diagnostics say does not exist', { skip }, () => {
  const cases: [string, RegExp][] = [
    [
      'net: "missing.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\nmax_iter: 1\n',
      /File not found: missing\.prototxt/,
    ],
    [
      'net: "net.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\nmax_iter: 1\nsnapshot: 1\nsnapshot_prefix: "nowhere/x"\n',
      /Cannot write to snapshot prefix 'nowhere\/x'/,
    ],
  ];
  for (const [solver, refusal] of cases) {
    inScratch({ 'net.prototxt': NET, 'solver.prototxt': solver }, (dir) => {
      const file = path.join(dir, 'solver.prototxt');
      const problems = solverFileProblems(solverPaths(parse(solver).fields, file, [], DISK));
      assert.equal(problems.length, 1, solver);
      const run = runWithPycaffe(
        pycaffe.folder ?? '',
        'import sys, caffe\ncaffe.SGDSolver(sys.argv[1])\n',
        ['solver.prototxt'],
        dir,
      );
      assert.notEqual(run.status, 0, solver);
      assert.match(run.log, refusal);
    });
  }
});
