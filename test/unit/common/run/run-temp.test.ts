// A run killed at its timeout leaves no temporary folder: the harness's temporary files (pycaffe's
// net file written during caffe.Net()) live in a folder the parent makes and removes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runLayer } from '../../../../common/run/run-layer';
import { fixtures, SYSTEM_PYTHON } from './helpers';
import { needs } from '../../../helpers/resources';

test(
  'a run killed at the timeout while holding a temporary folder leaves none behind',
  needs('python'),
  async () => {
    const r = await runLayer(
      {
        module: 'loops_forever',
        layer: 'LoopsForever',
        paramStr: 'temp_folder',
        bottoms: [{ shape: [2, 3] }],
        pycaffe: 'never',
      },
      { python: SYSTEM_PYTHON, pythonPath: [fixtures], timeoutMs: 1500 },
    );
    assert.equal(r.error?.type, 'Timeout');
    const folder = /temp folder (\S+)/.exec(r.output)?.[1];
    assert.ok(folder, r.output);
    assert.match(path.basename(folder), /^caffe-prototxt-run-/);
    // Inside the run's own folder, which went with the run.
    assert.match(
      path.dirname(folder),
      new RegExp(`^${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/caffe-prototxt-run-`),
    );
    assert.equal(existsSync(folder), false);
    assert.equal(existsSync(path.dirname(folder)), false);
  },
);
