import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { display } from '../../../../server/src/analysis/workspace-path';

const root = path.resolve('/ws');

test('paths are shown from the workspace root; a folder named ~ there is not the home folder', () => {
  assert.equal(display(path.join(root, 'lib', 'layer.py'), [root]), 'lib/layer.py');
  assert.equal(display(root, [root]), '.');
  assert.equal(display(path.resolve('/elsewhere/x.py'), [root]), path.resolve('/elsewhere/x.py'));
  // sys.path.append('~/caffe/python') run from the root: Python looks in <root>/~/caffe/python.
  assert.equal(display(path.join(root, '~', 'caffe', 'python'), [root]), './~/caffe/python');
  assert.equal(display(path.join(root, 'tools', '~', 'python'), [root]), 'tools/~/python');
});
