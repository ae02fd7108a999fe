// Which param_str name a layer reads: BVLC pycaffe sets `param_str`, older builds and forks (e.g.
// caffe-fast-rcnn) set only `param_str_`. The stand-in sets both and notes a layer that reads only the
// old name; under pycaffe the AttributeError says which name this build sets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runLayer } from '../../../../common/run/run-layer';
import type { RunResult } from '../../../../common/run/types';
import { has, needs, pycaffeEnv } from '../../../helpers/resources';
import { fixtures, lineOf, repoRoot, SYSTEM_PYTHON } from './helpers';

const OLD = {
  module: 'old_param_name',
  layer: 'OldParamName',
  paramStr: '2.5',
  bottoms: [{ shape: [2, 3] }],
};

function run(request: typeof OLD, pycaffe: 'always' | 'never', env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return runLayer(
    { ...request, pycaffe },
    { python: SYSTEM_PYTHON, pythonPath: [fixtures], env, timeoutMs: 60_000 },
  );
}

test(
  'the stand-in runs a layer reading param_str_ and notes that BVLC pycaffe would not set it',
  needs('python'),
  async () => {
    const r = await run(OLD, 'never');
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.ok(Math.abs((r.tops[0]?.mean ?? NaN) - 2.5 * (r.bottoms[0]?.mean ?? NaN)) < 1e-6);
    assert.equal(r.notes?.length, 1);
    assert.match(r.notes?.[0] ?? '', /reads self\.param_str_.*BVLC pycaffe sets only self\.param_str/);
    // A layer that reads param_str (BVLC's name) gets no note.
    const bvlcName = await run(
      { ...OLD, module: 'literal_param', layer: 'LiteralAffine', paramStr: "{'scale': 2}" },
      'never',
    );
    assert.equal(bvlcName.ok, true, JSON.stringify(bvlcName.error));
    assert.equal(bvlcName.notes, undefined);
  },
);

test('a build that sets only param_str_: reading param_str is explained', needs('python'), () => {
  const harness = path.join(repoRoot, 'client', 'python');
  const script = [
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(harness)})`,
    'from caffe_prototxt_harness import param_names',
    'param_names.names_set_by = lambda caffe: ("param_str_",)',
    'class Fork: __file__ = "/opt/fork/python/caffe/__init__.py"',
    `print(param_names.pycaffe_hint(Fork, AttributeError("'L' object has no attribute 'param_str'")))`,
    `print(param_names.pycaffe_hint(Fork, AttributeError("'L' object has no attribute 'param_str_'")))`,
    `print(param_names.pycaffe_hint(Fork, AttributeError("'L' object has no attribute 'other'")))`,
  ].join('\n');
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [reads, same, other] = r.stdout.trim().split('\n');
  assert.match(
    reads,
    /reads self\.param_str, but this pycaffe \(\/opt\/fork\/python\/caffe\) sets only self\.param_str_/,
  );
  assert.equal(same, 'None');
  assert.equal(other, 'None');
});

test('real pycaffe (sets param_str): a layer reading param_str_ fails on its line, and the error says why', async (t) => {
  if (!has(t, 'pycaffe')) return;
  const r = await run(OLD, 'always', pycaffeEnv());
  assert.equal(r.usedPycaffe, true);
  assert.equal(r.error?.type, 'AttributeError');
  assert.equal(r.error?.phase, 'setup');
  assert.equal(r.error?.location?.line, lineOf(path.join(fixtures, 'old_param_name.py'), 'READS_PARAM_STR_'));
  assert.match(
    r.error?.message ?? '',
    /reads self\.param_str_, but this pycaffe \(.*\) sets only self\.param_str /,
  );
});
