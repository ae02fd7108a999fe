// The workspace's solvers: found by content, their net paths resolved from the solver's folder and
// the workspace roots, the phase and state of each use, and kept up to date with the disk and the
// open documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readSolver, SolverUses } from '../../../../server/src/workspace/solver-uses';
import { tempDir } from '../../../helpers/temp-dir';

function workspace(files: Record<string, string>): string {
  const root = tempDir('solver-uses-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const brief = (uses: ReturnType<SolverUses['usesOf']>, root: string) =>
  uses.map(
    (u) =>
      `${path.relative(root, u.solver)} ${u.field} ${u.phase}${u.stages.length ? ` [${u.stages.join(',')}]` : ''}${u.level ? ` level ${u.level}` : ''}`,
  );

test('net -> TRAIN and TEST (one per test net), train_net -> TRAIN, test_net -> TEST', () => {
  const root = workspace({
    'models/a/solver.prototxt':
      'net: "train_val.prototxt"\ntest_iter: 10\ntest_interval: 100\nbase_lr: 0.01\n',
    'models/a/train_val.prototxt': 'layer { name: "d" type: "Input" top: "x" }\n',
    'models/b/solver':
      'train_net: "models/b/train.prototxt"\ntest_net: "models/b/test.prototxt"\ntest_iter: 5\n',
    'models/b/train.prototxt': 'name: "t"\n',
    'models/b/test.prototxt': 'name: "v"\n',
    'models/c/deploy.prototxt': 'name: "deploy"\n',
    'README.md': 'net: "models/c/deploy.prototxt"\n',
  });
  const uses = new SolverUses();
  uses.setRoots([root]);
  assert.deepEqual(brief(uses.usesOf(path.join(root, 'models/a/train_val.prototxt')), root), [
    `${path.join('models', 'a', 'solver.prototxt')} net TRAIN`,
    `${path.join('models', 'a', 'solver.prototxt')} net TEST`,
  ]);
  // Relative to the workspace root (where Caffe is usually started), from a solver without extension.
  assert.deepEqual(brief(uses.usesOf(path.join(root, 'models/b/train.prototxt')), root), [
    `${path.join('models', 'b', 'solver')} train_net TRAIN`,
  ]);
  assert.deepEqual(brief(uses.usesOf(path.join(root, 'models/b/test.prototxt')), root), [
    `${path.join('models', 'b', 'solver')} test_net TEST`,
  ]);
  assert.deepEqual(uses.usesOf(path.join(root, 'models/c/deploy.prototxt')), []);
  assert.deepEqual(
    uses.solvers().map((s) => path.relative(root, s)),
    [path.join('models', 'a', 'solver.prototxt'), path.join('models', 'b', 'solver')],
  );
});

test('a net without test_iter is only trained; train_state and test_state give the stages and level', () => {
  assert.deepEqual(
    readSolver('net: "n.prototxt"\nbase_lr: 1\n')?.nets.map((n) => n.phase),
    ['TRAIN'],
  );
  const entry = readSolver(
    [
      'net: "n.prototxt"',
      'test_iter: 1',
      'test_iter: 1',
      'train_state { stage: "a" stage: "b" level: 2 }',
      'test_state { stage: "x" }',
      'test_state { stage: ["y", "z"] }',
    ].join('\n'),
  );
  assert.deepEqual(
    entry?.nets.map((n) => `${n.phase} ${n.stages.join(',')} ${n.level ?? 'unset'}`),
    ['TRAIN a,b 2', 'TEST x unset', 'TEST y,z unset'],
  );
  // Nets and other texts are no solvers.
  assert.equal(readSolver('name: "n"\nlayer { name: "net" type: "Input" top: "x" }\n'), undefined);
  assert.equal(readSolver('base_lr: 0.1\nnet_param { name: "inline" }\n'), undefined);
});

test('found by content whatever the name; changes on disk and open documents are followed', () => {
  const root = workspace({
    'exp/config.prototxt': 'base_lr: 0.1\ntrain_net: "net.prototxt"\n',
    'exp/net.prototxt': 'name: "n"\n',
  });
  const net = path.join(root, 'exp/net.prototxt');
  const open = new Map<string, string>();
  const uses = new SolverUses({ openText: (f) => open.get(f), openFiles: () => [...open.keys()] });
  uses.setRoots([root]);
  assert.deepEqual(brief(uses.usesOf(net), root), [`${path.join('exp', 'config.prototxt')} train_net TRAIN`]);

  // Edited on disk: read again (mtime and size differ).
  fs.writeFileSync(
    path.join(root, 'exp/config.prototxt'),
    'base_lr: 0.1\ntest_net: "net.prototxt"\ntest_iter: 3\n',
  );
  uses.fileChanged(path.join(root, 'exp/config.prototxt'), 'changed');
  assert.deepEqual(brief(uses.usesOf(net), root), [`${path.join('exp', 'config.prototxt')} test_net TEST`]);

  // An open document is newer than the disk, and an unsaved new solver counts.
  open.set(path.join(root, 'exp/config.prototxt'), 'name: "now a net"\nlayer { name: "x" }\n');
  open.set(path.join(root, 'exp/solver_new.prototxt'), 'net: "net.prototxt"\n');
  assert.deepEqual(brief(uses.usesOf(net), root), [`${path.join('exp', 'solver_new.prototxt')} net TRAIN`]);
  open.clear();

  // A new solver on disk appears once its creation is reported.
  fs.writeFileSync(path.join(root, 'exp/other_solver.prototxt'), 'train_net: "exp/net.prototxt"\n');
  assert.equal(brief(uses.usesOf(net), root).length, 1);
  uses.fileChanged(path.join(root, 'exp/other_solver.prototxt'), 'created');
  assert.deepEqual(brief(uses.usesOf(net), root), [
    `${path.join('exp', 'config.prototxt')} test_net TEST`,
    `${path.join('exp', 'other_solver.prototxt')} train_net TRAIN`,
  ]);
});

test('a path that exists beside the solver and under the root: both are uses of their own file', () => {
  const root = workspace({
    'a/solver.prototxt': 'train_net: "net.prototxt"\n',
    'a/net.prototxt': 'name: "beside"\n',
    'net.prototxt': 'name: "root"\n',
  });
  const uses = new SolverUses();
  uses.setRoots([root]);
  // Caffe started in a/ or at the root reads a different file: either may be the one trained.
  assert.equal(uses.usesOf(path.join(root, 'a/net.prototxt')).length, 1);
  assert.equal(uses.usesOf(path.join(root, 'net.prototxt')).length, 1);
  assert.deepEqual(uses.usesOf(path.join(root, 'a/solver.prototxt')), []);
});

test('the nets whose uses change when a solver is opened, edited or closed, and none for other edits', () => {
  const root = workspace({
    's/solver.prototxt': 'test_net: "a.prototxt"\ntest_iter: 1\ntest_state { stage: "val" }\n',
    's/a.prototxt': 'name: "a"\n',
    's/b.prototxt': 'name: "b"\n',
  });
  const solver = path.join(root, 's/solver.prototxt');
  const [a, b] = ['s/a.prototxt', 's/b.prototxt'].map((f) => path.join(root, f));
  const open = new Map<string, string>();
  const uses = new SolverUses({ openText: (f) => open.get(f), openFiles: () => [...open.keys()] });
  uses.setRoots([root]);
  const changed = () => uses.netFilesChanged(solver).filter((f) => f === a || f === b);

  // Opened as it is on disk: nothing changes.
  open.set(solver, fs.readFileSync(solver, 'utf8'));
  assert.deepEqual(changed(), []);
  assert.equal(uses.wasSolver(solver), true);
  // An edit that leaves the nets alone.
  open.set(solver, `${open.get(solver)}base_lr: 0.5\n`);
  assert.deepEqual(changed(), []);
  // Another stage for the test net: its file.
  open.set(solver, open.get(solver)!.replace('"val"', '"deploy"'));
  assert.deepEqual(changed(), [a]);
  // Another file: the one it named and the one it names now.
  open.set(solver, open.get(solver)!.replace('a.prototxt', 'b.prototxt'));
  assert.deepEqual(changed().sort(), [a, b].sort());
  assert.equal(uses.usesOf(a).length, 0);
  // Closed without saving: the disk's text names a again.
  open.delete(solver);
  assert.deepEqual(changed().sort(), [a, b].sort());
  assert.equal(uses.wasSolver(solver), false);
  assert.equal(uses.usesOf(a).length, 1);
  // A text that is no solver at all: its former nets.
  open.set(solver, 'name: "now a net"\n');
  assert.deepEqual(changed(), [a]);
});

test('source files named after solvers are never read as solvers; plain-text solver files are', () => {
  const net = 'net: "net.prototxt"\ntest_iter: 1\ntest_interval: 10\n';
  const root = workspace({
    'net.prototxt': 'name: "n"\n',
    'src/solver.cpp': `// ${net}`,
    'python/test_solver.py': `s = """${net}"""`,
    lenet_solver: net,
    'solver_adam.txt': net,
  });
  const uses = new SolverUses();
  uses.setRoots([root]);
  assert.deepEqual(
    uses.usesOf(path.join(root, 'net.prototxt')).map((u) => `${path.relative(root, u.solver)} ${u.phase}`),
    ['lenet_solver TRAIN', 'lenet_solver TEST', 'solver_adam.txt TRAIN', 'solver_adam.txt TEST'],
  );
});

test('with a fixed disk, each net has the uses it has when every look-up goes to the disk', () => {
  // Several roots, as `check` has for files outside the current folder, and nets named from the
  // solver's folder, a folder above it, a root, or nowhere that exists.
  const root = workspace({
    'a/solver.prototxt': 'net: "train_val.prototxt"\ntest_iter: 1\ntest_interval: 1\n',
    'a/train_val.prototxt': 'name: "a"\n',
    'b/deep/solver.prototxt': 'train_net: "b/net.prototxt"\ntest_net: "deep/net.prototxt"\ntest_iter: 1\n',
    'b/net.prototxt': 'name: "b"\n',
    'b/deep/net.prototxt': 'name: "deep"\n',
    'c/solver.prototxt': 'net: "missing.prototxt"\n',
    'c/net.prototxt': 'name: "c"\n',
  });
  const roots = [
    root,
    path.join(root, 'a'),
    path.join(root, 'b'),
    path.join(root, 'b', 'deep'),
    path.join(root, 'c'),
  ];
  const nets = [
    'a/train_val.prototxt',
    'b/net.prototxt',
    'b/deep/net.prototxt',
    'c/net.prototxt',
    'c/missing.prototxt',
  ];
  const live = new SolverUses();
  const fixed = new SolverUses({ fixedDisk: true });
  for (const uses of [live, fixed]) uses.setRoots(roots);
  for (const net of nets) {
    const file = path.join(root, net);
    const expected = brief(live.usesOf(file), root);
    // Asked twice: the second answer comes from what the first resolved.
    assert.deepEqual(brief(fixed.usesOf(file), root), expected, net);
    assert.deepEqual(brief(fixed.usesOf(file), root), expected, net);
  }
  assert.ok(brief(live.usesOf(path.join(root, 'b/deep/net.prototxt')), root).length > 0);
  assert.deepEqual(brief(live.usesOf(path.join(root, 'c/missing.prototxt')), root), [
    `${path.join('c', 'solver.prototxt')} net TRAIN`,
  ]);
});

test('a fixed disk is looked at again after a change is reported', () => {
  const root = workspace({ 's/solver.prototxt': 'net: "net.prototxt"\n' });
  const uses = new SolverUses({ fixedDisk: true });
  uses.setRoots([root]);
  const other = path.join(root, 'net.prototxt');
  // Neither exists: the solver names every candidate, the root's among them.
  assert.equal(uses.usesOf(other).length, 1);
  fs.writeFileSync(path.join(root, 's', 'net.prototxt'), 'name: "n"\n');
  uses.fileChanged(path.join(root, 's', 'net.prototxt'), 'created');
  // Now the one beside the solver exists, and the root's is no longer named.
  assert.equal(uses.usesOf(other).length, 0);
  assert.equal(uses.usesOf(path.join(root, 's', 'net.prototxt')).length, 1);
});
