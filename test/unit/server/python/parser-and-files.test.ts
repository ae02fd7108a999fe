import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createExcludeFilter, excludeGlob, isVirtualEnv } from '../../../../server/src/python/file-system';
import { createPythonParser } from '../../../../server/src/python/parser';
import { repoRoot } from '../../../helpers/paths';

test('parsers are independent instances; an explicit wasm folder is honoured', async () => {
  const [a, b] = await Promise.all([createPythonParser(), createPythonParser()]);
  assert.notEqual(a, b);
  const tree = a.parse('class A: pass\n');
  assert.equal(tree?.rootNode.namedChildren[0]?.type, 'class_definition');
  tree?.delete();
  b.dispose();
  const again = a.parse('x = 1\n');
  assert.equal(again?.rootNode.hasError, false, 'disposing one parser leaves the other working');
  again?.delete();
  await assert.rejects(
    createPythonParser(path.join(repoRoot, 'no-such-folder')),
    /Cannot find web-tree-sitter\.wasm in/,
  );
});

test('globs: ** across folders, * within a name, alternatives, names at any depth', () => {
  const m = (glob: string, p: string) => excludeGlob(glob)(p);
  assert.ok(m('third_party/**', 'third_party/x/y.py'));
  assert.ok(m('third_party/**', 'third_party/'));
  assert.ok(!m('third_party/**', 'src/third_party/x.py'));
  assert.ok(m('**/gen_*.py', 'a/b/gen_x.py'));
  assert.ok(m('**/gen_*.py', 'gen_x.py'));
  assert.ok(!m('**/gen_*.py', 'a/gen/x.py'));
  assert.ok(m('data', 'deep/down/data'), 'a bare name matches at any depth');
  assert.ok(m('data', 'data/inner.py'), 'and everything inside it');
  assert.ok(m('{docs,examples}/**', 'examples/a.py'));
  assert.ok(m('lib/?.py', 'lib/a.py'));
  assert.ok(!m('lib/?.py', 'lib/ab.py'));
  assert.ok(m('a.b/*.py', 'a.b/x.py'));
  assert.ok(!m('a.b/*.py', 'axb/x.py'), 'dots are literal');
});

test('virtualenv detection', () => {
  const dir = (...names: string[]) => names.map((n) => ({ name: n, isDirectory: !n.includes('.') }));
  assert.ok(isVirtualEnv('anything', [{ name: 'pyvenv.cfg', isDirectory: false }]));
  assert.ok(isVirtualEnv('miniconda', dir('conda-meta', 'lib')));
  assert.ok(isVirtualEnv('env', dir('lib', 'bin', 'include')));
  assert.ok(isVirtualEnv('env', dir('Lib', 'Scripts')));
  assert.ok(!isVirtualEnv('env', dir('configs', 'train.py')), 'a project folder named env');
  assert.ok(!isVirtualEnv('lib', dir('rpn', 'fast_rcnn')));
});

test('the exclude filter skips fixed names and user globs relative to its root', () => {
  const root = path.resolve('/ws');
  const f = createExcludeFilter(root, ['**/experiments/**', '']);
  for (const name of ['node_modules', '.git', 'build', '__pycache__', 'venv', '.venv', 'site-packages']) {
    assert.ok(f.skipDirectory(path.join(root, 'a', name), []), name);
  }
  assert.ok(f.skipDirectory(path.join(root, 'x/experiments'), []));
  assert.ok(!f.skipDirectory(path.join(root, 'lib'), []));
  assert.ok(f.skipFile(path.join(root, 'lib/readme.md')));
  assert.ok(!f.skipFile(path.join(root, 'lib/a.py')));
  assert.ok(f.skipFile(path.join(root, 'x/experiments/a.py')));
});
