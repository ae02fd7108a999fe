import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeLayerTypes } from '../../../../common/run/layer-types';
import { fakePycaffe } from '../../../helpers/fake-pycaffe';
import { needs, pycaffePath, SYSTEM_PYTHON } from '../../../helpers/resources';

const skip = process.platform === 'win32' ? { skip: 'POSIX paths' } : needs('python');
/** The environment without a PYTHONPATH of its own, so only the given folders are searched. */
const clean = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.PYTHONPATH;
  return env;
};

test(
  'probeLayerTypes reads layer_type_list() of the caffe on the given PYTHONPATH, sorted',
  skip,
  async () => {
    const fake = fakePycaffe(['Convolution', 'ReLU', 'Input', 'Interp']);
    try {
      const r = await probeLayerTypes({ python: SYSTEM_PYTHON, pythonPath: [fake.dir], env: clean() });
      assert.equal(r.ok, true, r.ok ? '' : r.message);
      if (!r.ok) return;
      assert.deepEqual(r.types, ['Convolution', 'Input', 'Interp', 'ReLU']);
      assert.match(r.caffe ?? '', /fake-pycaffe-.*caffe.__init__\.py$/);
      assert.match(r.executable, /python/);
      // The interpreter's major version: Python 2 code in layer modules is judged by it.
      assert.equal(r.major, 3);
    } finally {
      fake.dispose();
    }
  },
);

test('probeLayerTypes says why not: no caffe, no list, the interpreter missing', skip, async () => {
  const none = await probeLayerTypes({ python: SYSTEM_PYTHON, pythonPath: [], env: clean() });
  assert.equal(none.ok, false);
  if (!none.ok) {
    assert.equal(none.reason, 'no-caffe');
    assert.match(none.message, /caffe does not import under \/usr\/bin\/python3 \(ModuleNotFoundError/);
  }
  const bare = fakePycaffe([], 'VERSION = "0"\n');
  try {
    const r = await probeLayerTypes({ python: SYSTEM_PYTHON, pythonPath: [bare.dir], env: clean() });
    assert.equal(r.ok ? 'ok' : r.reason, 'no-list');
  } finally {
    bare.dispose();
  }
  const absent = await probeLayerTypes({ python: '/nonexistent/python3', env: clean() });
  assert.equal(absent.ok ? 'ok' : absent.reason, 'no-python');
});

test('probeLayerTypes gives up on an import that hangs', skip, async () => {
  const slow = fakePycaffe([], 'import time\ntime.sleep(60)\n');
  try {
    const r = await probeLayerTypes({
      python: SYSTEM_PYTHON,
      pythonPath: [slow.dir],
      env: clean(),
      timeoutMs: 500,
    });
    assert.equal(r.ok ? 'ok' : r.reason, 'timeout');
    if (!r.ok) assert.match(r.message, /did not answer .* while importing caffe/);
  } finally {
    slow.dispose();
  }
});

test('probeLayerTypes lists the real pycaffe, Python layer included', needs('pycaffe'), async () => {
  const r = await probeLayerTypes({
    python: SYSTEM_PYTHON,
    pythonPath: [pycaffePath() ?? ''],
    env: clean(),
  });
  assert.equal(r.ok, true, r.ok ? '' : r.message);
  if (!r.ok) return;
  assert.ok(r.types.includes('Python'), r.types.join(' '));
  assert.ok(r.types.includes('Convolution'));
  assert.ok(!r.types.includes('Interp'));
  // Built with USE_OPENCV := 0 (../shared/pycaffe/build.sh): the OpenCV layers are not compiled in,
  // which the layer-type check then explains (registered-types.ts).
  assert.ok(!r.types.includes('ImageData') && !r.types.includes('WindowData'));
  assert.deepEqual(r.types, [...r.types].sort());
});
