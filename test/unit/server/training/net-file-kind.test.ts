import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { parse } from '../../../../server/src/parser/parse';
import { fileTopMessage } from '../../../../server/src/training/net-file-kind';
import { DISK, solverFileProblems, solverPaths } from '../../../../server/src/training/solver-files';

const NET = 'name: "n"\nlayer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n';

function inFolder(files: Record<string, string | Buffer>, body: (dir: string) => Promise<void> | void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'net-file-kind-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return Promise.resolve(body(dir)).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

test('what a file holds, from its start; re-read when it changes', () =>
  inFolder(
    {
      'net.prototxt': NET,
      'solver.prototxt': 'net: "net.prototxt"\nbase_lr: 0.1\n',
      'labels.prototxt': 'item { name: "none" label: 0 }\n',
      'empty.prototxt': '# nothing\n',
      'weights.caffemodel': Buffer.from([8, 0, 1, 2, 0, 3]),
      // A net much longer than what is read of it: its first layers tell.
      'long.prototxt': `name: "long"\n${'layer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n'.repeat(5000)}`,
    },
    (dir) => {
      const top = (name: string) => fileTopMessage(path.join(dir, name));
      assert.equal(top('net.prototxt'), 'caffe.NetParameter');
      assert.equal(top('long.prototxt'), 'caffe.NetParameter');
      assert.equal(top('solver.prototxt'), 'caffe.SolverParameter');
      assert.equal(top('labels.prototxt'), 'caffe.LabelMap');
      assert.equal(top('empty.prototxt'), undefined);
      assert.equal(top('weights.caffemodel'), undefined);
      assert.equal(top('absent.prototxt'), undefined);
      assert.equal(fileTopMessage(dir), undefined);
      // Rewritten as a solver (another size): read again.
      fs.writeFileSync(path.join(dir, 'net.prototxt'), 'base_lr: 0.01\nmax_iter: 1000\nnet: "x.prototxt"\n');
      assert.equal(top('net.prototxt'), 'caffe.SolverParameter');
    },
  ));

test('a net file that holds a solver or a label map is an error at its path; a net is not', () =>
  inFolder(
    {
      'net.prototxt': NET,
      'other_solver.prototxt': 'net: "net.prototxt"\nbase_lr: 0.1\n',
      'labels.prototxt': 'item { name: "none" label: 0 }\n',
    },
    (dir) => {
      const solver =
        'train_net: "other_solver.prototxt"\ntest_net: "labels.prototxt"\ntest_net: "net.prototxt"\n';
      const file = path.join(dir, 'solver.prototxt');
      const problems = solverFileProblems(
        solverPaths(parse(solver).fields, file, [dir], DISK),
        undefined,
        fileTopMessage,
      );
      assert.deepEqual(
        problems.map((p) => [p.severity, solver.slice(p.start, p.end), p.message.split(':')[0]]),
        [
          [
            'error',
            '"other_solver.prototxt"',
            '"other_solver.prototxt" (train_net) holds a solver, not a net',
          ],
          ['error', '"labels.prototxt"', '"labels.prototxt" (test_net) holds a label map, not a net'],
        ],
      );
      assert.match(problems[0].message, /Caffe reads the file as a NetParameter and stops/);
    },
  ));

test('check: a solver naming itself as its net', () =>
  inFolder(
    { 'solver.prototxt': 'net: "solver.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\n' },
    async (dir) => {
      let out = '';
      const code = await runCli(['check', 'solver.prototxt'], {
        stdout: (t) => void (out += t),
        stderr: () => undefined,
        cwd: dir,
      });
      assert.equal(code, 1);
      assert.match(out, /solver\.prototxt:1:6: error: "solver\.prototxt" \(net\) holds a solver, not a net/);
    },
  ));
