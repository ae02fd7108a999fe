import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  checkModuleName,
  moduleNamesFor,
  modulesElsewhere,
  resolveModule,
  searchFolders,
  type ModuleResolutionContext,
} from '../../../../server/src/python/resolve-module';

const R = (p: string) => path.resolve('/ws', p);
const exists = (files: string[]) => {
  const set = new Set(files.map(R));
  return (f: string) => set.has(f);
};

const ctx = (over: Partial<ModuleResolutionContext> = {}): ModuleResolutionContext => ({
  prototxtDir: R('models/vgg/e2e'),
  workspaceRoots: [R('.')],
  extraPaths: [],
  sysPathFolders: [],
  ...over,
});

test('search order: extraPaths, prototxt folder, sys.path folders, parents, roots', () => {
  const folders = searchFolders(
    ctx({ extraPaths: [R('../shared/py')], sysPathFolders: [R('lib'), R('../shared/py')] }),
  );
  assert.deepEqual(folders, [
    R('../shared/py'),
    R('models/vgg/e2e'),
    R('lib'),
    R('models/vgg'),
    R('models'),
    R('.'),
  ]);
});

test("a module beside the net wins over a folder another net's script puts on sys.path", () => {
  // MTCNN: the data scripts append ../12net; 24net/train24.prototxt means 24net/pythonLayer.py.
  const files = ['12net/pythonLayer.py', '24net/pythonLayer.py'];
  const r = resolveModule(
    'pythonLayer',
    ctx({ prototxtDir: R('24net'), sysPathFolders: [R('12net')] }),
    exists(files),
  );
  assert.equal(r.file, R('24net/pythonLayer.py'));
  assert.deepEqual(r.others, [R('12net/pythonLayer.py')]);
});

test('a prototxt outside every root searches only its own folder and the roots', () => {
  const folders = searchFolders(ctx({ prototxtDir: path.resolve('/elsewhere/nets') }));
  assert.deepEqual(folders, [path.resolve('/elsewhere/nets'), R('.')]);
});

test('the nearest match wins and the others are listed', () => {
  const files = ['lib/rpn/proposal_layer.py', 'models/vgg/rpn/proposal_layer.py', 'rpn/proposal_layer.py'];
  const r = resolveModule('rpn.proposal_layer', ctx({ sysPathFolders: [R('lib')] }), exists(files));
  assert.equal(r.file, R('lib/rpn/proposal_layer.py'));
  assert.deepEqual(r.others, [R('models/vgg/rpn/proposal_layer.py'), R('rpn/proposal_layer.py')]);
  const noLib = resolveModule('rpn.proposal_layer', ctx(), exists(files));
  assert.equal(
    noLib.file,
    R('models/vgg/rpn/proposal_layer.py'),
    'the prototxt parents come before the root',
  );
});

test('a package beats a module of the same name in the same folder', () => {
  const r = resolveModule('layers', ctx(), exists(['layers.py', 'layers/__init__.py']));
  assert.equal(r.file, R('layers/__init__.py'));
  assert.deepEqual(r.others, [R('layers.py')]);
});

test('not found: every searched folder is reported', () => {
  const r = resolveModule('missing.mod', ctx({ extraPaths: [R('x')] }), exists([]));
  assert.equal(r.file, undefined);
  assert.deepEqual(r.others, []);
  assert.deepEqual(r.searched, [R('x'), R('models/vgg/e2e'), R('models/vgg'), R('models'), R('.')]);
});

test('invalid module names are reported, not searched', () => {
  for (const name of ['', '.rel', 'a..b', 'a.b.py', 'a.', 'layers/data', 'layers\\data']) {
    const r = resolveModule(name, ctx(), () => true);
    assert.equal(r.file, undefined, name);
    assert.ok(r.problem, name);
    assert.deepEqual(r.searched, [], name);
  }
  assert.equal(checkModuleName(' rpn.proposal_layer '), undefined);
  // Python's __import__, which Caffe calls, takes any name a file may have.
  for (const name of ['12net_data_layer', 'my-layers.loss'])
    assert.equal(checkModuleName(name), undefined, name);
  assert.equal(
    resolveModule('12net_data_layer', ctx(), (f) => f === R('12net_data_layer.py')).file,
    R('12net_data_layer.py'),
  );
  assert.match(checkModuleName('a.b.py') ?? '', /without '\.py'/);
});

test('module names of a file relative to the search folders', () => {
  const folders = [R('lib'), R('.')];
  assert.deepEqual(moduleNamesFor(R('lib/rpn/proposal_layer.py'), folders), [
    'rpn.proposal_layer',
    'lib.rpn.proposal_layer',
  ]);
  assert.deepEqual(moduleNamesFor(R('mypkg/layers/__init__.py'), folders), ['mypkg.layers']);
  assert.deepEqual(moduleNamesFor(R('voc-fcn32s/net.py'), folders), []);
  // A module file named otherwise (Caffe imports it by that name); not a file with a dot in its name.
  assert.deepEqual(moduleNamesFor(R('lib/12net_data_layer.py'), folders), [
    '12net_data_layer',
    'lib.12net_data_layer',
  ]);
  assert.deepEqual(moduleNamesFor(R('lib/layers.v2.py'), folders), []);
});

test('a module off the search path is found with the folder that would import it', () => {
  const files = [
    'examples/pycaffe/layers/pyloss.py',
    'external/caffe/examples/pycaffe/layers/pyloss.py',
    'lib/rpn/proposal_layer.py',
    'tools/my_pyloss.py',
    'pkg/rpn/__init__.py',
  ].map(R);
  assert.deepEqual(modulesElsewhere('pyloss', files), [
    { file: R('examples/pycaffe/layers/pyloss.py'), folder: R('examples/pycaffe/layers') },
    {
      file: R('external/caffe/examples/pycaffe/layers/pyloss.py'),
      folder: R('external/caffe/examples/pycaffe/layers'),
    },
  ]);
  assert.deepEqual(modulesElsewhere('rpn.proposal_layer', files), [
    { file: R('lib/rpn/proposal_layer.py'), folder: R('lib') },
  ]);
  assert.deepEqual(modulesElsewhere('rpn', files), [{ file: R('pkg/rpn/__init__.py'), folder: R('pkg') }]);
  // Only whole names: 'proposal_layer' is not 'rpn.proposal_layer' from lib/rpn.
  assert.deepEqual(modulesElsewhere('layer', files), []);
  assert.deepEqual(modulesElsewhere('bad name', files), []);
});
