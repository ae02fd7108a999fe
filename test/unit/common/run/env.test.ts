import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildEnv } from '../../../../common/run/run-layer';

test('layer runs get one BLAS thread unless the environment chooses, and PYTHONPATH first the module roots', () => {
  const env = buildEnv({ PATH: '/bin', PYTHONPATH: '/user', OMP_NUM_THREADS: '4' }, ['/roots/a']);
  assert.equal(env.OPENBLAS_NUM_THREADS, '1');
  assert.equal(env.MKL_NUM_THREADS, '1');
  assert.equal(env.OMP_NUM_THREADS, '4', "the user's own choice stays");
  assert.equal(env.PYTHONPATH, ['/roots/a', '/user'].join(path.delimiter));
  assert.equal(env.PYTHONDONTWRITEBYTECODE, '1');
  assert.equal(buildEnv({}, []).PYTHONPATH, undefined);
  // Caffe's information log is left out unless the user asks for it.
  assert.equal(env.GLOG_minloglevel, '1');
  assert.equal(buildEnv({ GLOG_minloglevel: '0' }, []).GLOG_minloglevel, '0');
});
