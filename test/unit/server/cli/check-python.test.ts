// `check` sees what the editor sees: Python layer problems (module resolution through the workspace's
// sys.path scripts, --python-path, PYTHONPATH), checks of Python layer files (never read as prototxt),
// and the schema of the checkout a file belongs to when the file is given alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { reportedCodes, runCliIn } from '../../../helpers/run-cli';
import { SchemaProvider } from '../../../../server/src/workspace/schema-provider';
import { repoRoot } from '../../../helpers/paths';
import { tempDir } from '../../../helpers/temp-dir';
import { writeCheckout } from '../../../helpers/caffe-checkout';
import { spawnSync } from 'node:child_process';
import { needs, SYSTEM_PYTHON } from '../../../helpers/resources';

const problems = path.join(repoRoot, 'test/fixtures/python-workspaces/problems');

const run = (cwd: string, ...argv: string[]) => runCliIn(cwd, argv);
const codes = reportedCodes;

test('Python layers: missing key, JSON syntax, missing class, no caffe.Layer; and the layer file', async () => {
  const { code, out, err } = await run(problems, 'check', '--root', '.', '.');
  assert.equal(
    err,
    'caffe-prototxt check: 2 files checked: 4 errors, 2 warnings and 1 note in all of them\n',
  );
  assert.equal(code, 1);
  assert.deepEqual(codes(out), [
    `${path.join('layers', 'data_layers.py')} python-backward-signature`,
    `${path.join('layers', 'data_layers.py')} python-layer-missing-method`,
    `${path.join('layers', 'data_layers.py')} python-eval-param-str`,
    `${path.join('nets', 'train.prototxt')} param-str-missing-key`,
    `${path.join('nets', 'train.prototxt')} param-str-syntax`,
    `${path.join('nets', 'train.prototxt')} python-class-not-found`,
    `${path.join('nets', 'train.prototxt')} python-class-not-layer`,
  ]);
});

test("a solver's embedded net: its Python layers are checked as a net file's are", async () => {
  const ws = tempDir('check-py-embedded-');
  fs.cpSync(problems, ws, { recursive: true });
  const net = fs.readFileSync(path.join(ws, 'nets/train.prototxt'), 'utf8');
  fs.rmSync(path.join(ws, 'nets/train.prototxt'));
  fs.writeFileSync(
    path.join(ws, 'nets/solver.prototxt'),
    `base_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 10\nnet_param {\n${net}}\n`,
  );
  const { code, out, err } = await run(ws, 'check', '--root', '.', 'nets/solver.prototxt');
  assert.equal(err, 'caffe-prototxt check: 1 file checked: 4 errors\n');
  assert.equal(code, 1);
  assert.deepEqual(codes(out), [
    `${path.join('nets', 'solver.prototxt')} param-str-missing-key`,
    `${path.join('nets', 'solver.prototxt')} param-str-syntax`,
    `${path.join('nets', 'solver.prototxt')} python-class-not-found`,
    `${path.join('nets', 'solver.prototxt')} python-class-not-layer`,
  ]);
});

test('a .py file given by name is checked as Python, never parsed as prototxt', async () => {
  const { out } = await run(
    problems,
    'check',
    '--root',
    '.',
    'layers/data_layers.py',
    'tools/_init_paths.py',
  );
  assert.deepEqual(codes(out), [
    `${path.join('layers', 'data_layers.py')} python-backward-signature`,
    `${path.join('layers', 'data_layers.py')} python-layer-missing-method`,
    `${path.join('layers', 'data_layers.py')} python-eval-param-str`,
  ]);
});

test('module folders: not found without the sys.path script, found with --python-path or PYTHONPATH', async () => {
  const ws = tempDir('check-py-');
  fs.cpSync(path.join(problems, 'layers'), path.join(ws, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'nets'));
  fs.copyFileSync(path.join(problems, 'nets/train.prototxt'), path.join(ws, 'nets/train.prototxt'));
  const alone = await run(ws, 'check', '--root', '.', 'nets/train.prototxt');
  // Off the search path, but in the workspace: the message names the file and the folder to add.
  assert.match(
    alone.out,
    new RegExp(
      "Module 'data_layers' is not on the search path \\(looked in: nets, \\./\\), but " +
        `${path.join('lib', 'data_layers.py').replace(/\\/g, '\\\\')} defines its class JsonDataLayer: ` +
        'add lib to the setting prototxt.python.extraPaths \\(the CLI: --python-path lib\\)',
    ),
  );
  const away = path.join(tempDir('check-py-away-'), 'lib');
  fs.renameSync(path.join(ws, 'lib'), away);
  const nowhere = await run(ws, 'check', '--root', '.', 'nets/train.prototxt');
  assert.match(nowhere.out, /Module 'data_layers' was not found in the workspace\. Looked in: /);
  // The root is named './', never a bare '.' that runs into the sentence's full stop.
  assert.match(nowhere.out, /Looked in: [^\n]*\.\/[,.] /);
  assert.doesNotMatch(nowhere.out, /Looked in: (\.|[^\n]*, \.)[,.] /);
  fs.renameSync(away, path.join(ws, 'lib'));
  const given = await run(ws, 'check', '--root', '.', '--python-path', 'lib', 'nets/train.prototxt');
  assert.doesNotMatch(given.out, /python-module-not-found/);
  assert.match(given.out, /python-class-not-layer/);
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = path.join(ws, 'lib');
  try {
    const env = await run(ws, 'check', '--root', '.', 'nets/train.prototxt');
    assert.doesNotMatch(env.out, /python-module-not-found/);
    assert.match(env.out, /python-class-not-layer/);
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
  }
});

test("a layer module inside Caffe's own package: where it comes from, and found once that package is on the path", async () => {
  // DIGITS' DetectNet nets name modules that NVIDIA Caffe ships in its caffe package.
  const ws = tempDir('check-py-caffe-');
  const layer = (module: string) =>
    `layer {\n  name: "c"\n  type: "Python"\n  top: "t"\n  python_param { module: "${module}" layer: "ClusterDetections" }\n}\n`;
  fs.writeFileSync(path.join(ws, 'detectnet.prototxt'), layer('caffe.layers.detectnet.clustering'));
  fs.writeFileSync(path.join(ws, 'own.prototxt'), layer('caffe.my_layers'));
  const out = (await run(ws, 'check', '--root', '.', 'detectnet.prototxt', 'own.prototxt')).out;
  assert.match(
    out,
    /detectnet\.prototxt:5:26: warning: Module 'caffe\.layers\.detectnet\.clustering' is part of Caffe's own Python package, which the workspace does not hold: it comes with the build of Caffe that runs the net, whose python folder must be on PYTHONPATH \(here, the setting prototxt\.python\.extraPaths; the CLI: --python-path\)\. NVIDIA Caffe's package has it \(python\/caffe\/layers\/detectnet, for DIGITS' DetectNet\); BVLC Caffe's has not\. \[python-module-not-found\]/,
  );
  assert.match(
    out,
    /own\.prototxt:5:26: warning: Module 'caffe\.my_layers' is part of .* BVLC Caffe's package has no such module: it is a fork's\./,
  );
  // That Caffe's python folder on the path: found (its class is checked as any other).
  const python = path.join(ws, 'nvcaffe', 'python');
  fs.mkdirSync(path.join(python, 'caffe', 'layers', 'detectnet'), { recursive: true });
  for (const init of ['caffe', 'caffe/layers', 'caffe/layers/detectnet'])
    fs.writeFileSync(path.join(python, init, '__init__.py'), '');
  fs.writeFileSync(
    path.join(python, 'caffe/layers/detectnet/clustering.py'),
    'import caffe\n\nclass ClusterDetections(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n    def reshape(self, bottom, top):\n        pass\n\n    def forward(self, bottom, top):\n        pass\n',
  );
  const found = await run(ws, 'check', '--root', '.', '--python-path', python, 'detectnet.prototxt');
  assert.doesNotMatch(found.out, /python-module-not-found/);
});

const FORK_PROTO = `syntax = "proto2";
package caffe;
message NetParameter { optional string name = 1; repeated LayerParameter layer = 100; }
message LayerParameter { optional string name = 1; optional string type = 2; repeated string top = 4; optional float fork_scale = 9000; }
`;

test("a file given alone, from outside its repository, is checked against its checkout's caffe.proto", async () => {
  const repo = tempDir('check-fork-');
  fs.mkdirSync(path.join(repo, '.git'));
  fs.mkdirSync(path.join(repo, 'src/caffe/proto'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'src/caffe/proto/caffe.proto'), FORK_PROTO);
  fs.mkdirSync(path.join(repo, 'models/x'), { recursive: true });
  const net = path.join(repo, 'models/x/train.prototxt');
  fs.writeFileSync(net, 'name: "n"\nlayer { name: "a" type: "Input" top: "a" fork_scale: 2 }\n');
  const outside = tempDir('elsewhere-');
  const alone = await run(outside, 'check', net);
  assert.equal(alone.out, '');
  assert.equal(alone.code, 0);
  const whole = await run(repo, 'check', '.');
  assert.equal(whole.out, '');
  // The proto of another repository never applies.
  const other = path.join(outside, 'net.prototxt');
  fs.writeFileSync(other, 'name: "n"\nlayer { name: "a" type: "Input" top: "a" fork_scale: 2 }\n');
  const mixed = await run(repo, 'check', '.', other);
  assert.match(mixed.out, /net\.prototxt:2:42: error: .*"fork_scale"/);
  assert.doesNotMatch(mixed.out, /train\.prototxt/);
});

test("this repository's own test fixture proto (not at Caffe's place) never becomes the schema of examples/", async () => {
  const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [repoRoot]);
  assert.ok(fs.existsSync(path.join(repoRoot, 'test/fixtures/check/proto/caffe.proto')));
  const choice = provider.schemaFor(path.join(repoRoot, 'examples/broken/broken.prototxt'));
  assert.equal(choice.origin, 'bundled');
  // It serves only the nets below its own folder.
  const fixture = path.join(repoRoot, 'test/fixtures/check/proto/caffe.proto');
  assert.equal(provider.schemaFor(path.join(repoRoot, 'test/fixtures/check/net.prototxt')).origin, 'bundled');
  assert.equal(provider.schemaFor(path.join(repoRoot, 'test/fixtures/check/proto/n.prototxt')).path, fixture);
  // The CLI with its default root (the repository, found by its .git) agrees.
  const { out } = await run(repoRoot, 'check', 'examples');
  assert.doesNotMatch(out, /has no field named "name"/);
  assert.match(out, /num_ouput/);
});

test('folders checked from outside: each is a root, a solver in each; the module message names a few of them', async () => {
  // Outside the current folder every checked folder is a workspace root of its own; who builds each
  // net (a solver in every folder) and where a module was looked for are worked out over all roots.
  const base = tempDir('check-roots-');
  const folders = Array.from({ length: 12 }, (_, i) => path.join(base, `m${i}`));
  const net =
    'layer {\n  name: "p"\n  type: "Python"\n  top: "t"\n  python_param { module: "nowhere" layer: "L" }\n}\n';
  for (const dir of folders) {
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'train.prototxt'), net);
    fs.writeFileSync(path.join(dir, 'solver.prototxt'), 'net: "train.prototxt"\nbase_lr: 0.1\n');
  }
  const cwd = tempDir('check-cwd-');
  const { out } = await run(cwd, 'check', ...folders);
  const missing = out.split('\n').filter((l) => l.endsWith('[python-module-not-found]'));
  assert.equal(missing.length, folders.length);
  // The net's own folder first, then (with its root among others) absolute paths, at most eight.
  assert.match(missing[0], /Looked in: (\/|[A-Z]:\\).*, \d+ more folders\. /);
  assert.equal(missing[0].split('Looked in: ')[1].split('. ')[0].split(', ').length, 9);
  assert.doesNotMatch(missing[0], /Looked in: \.,/);
});

/** A folder with a layer module (`head` after its `import caffe`, `setup`'s one line) and a net using it. */
function layerWorkspace(prefix: string, module: string, cls: string, head: string, setup: string): string {
  const ws = tempDir(prefix);
  fs.writeFileSync(
    path.join(ws, `${module}.py`),
    `import caffe\n${head}\nclass ${cls}(caffe.Layer):\n    def setup(self, bottom, top):\n        ${setup}\n\n` +
      '    def reshape(self, bottom, top):\n        pass\n\n    def forward(self, bottom, top):\n        pass\n',
  );
  fs.writeFileSync(
    path.join(ws, 'net.prototxt'),
    `layer {\n  name: "l"\n  type: "Python"\n  top: "t"\n  python_param { module: "${module}" layer: "${cls}" }\n}\n`,
  );
  return ws;
}

test('a Python 2 layer module: warned in the file and on the net, not when --python names a python2', async () => {
  const ws = layerWorkspace('check-py2-', 'old_layer', 'Old', '', "print 'up'");
  const warned = await run(ws, 'check', '--root', '.', '.');
  assert.deepEqual(codes(warned.out), ['net.prototxt python-module-python2', 'old_layer.py python2-syntax']);
  assert.equal(warned.code, 0);
  assert.match(warned.out, /old_layer\.py:5:9: warning: Python 2 only: a print statement\./);
  // An interpreter named python2 (this one answers the layer-type question as pycaffe would).
  const bin = path.join(ws, 'bin');
  fs.mkdirSync(bin);
  const python2 = path.join(bin, 'python2');
  fs.writeFileSync(
    python2,
    `#!/bin/sh\necho '@@caffe-layer-types {"types": ["Python"], "caffe": "/x/caffe/__init__.py", "executable": "${python2}"}'\n`,
    { mode: 0o755 },
  );
  // A project kept on Python 2 can also leave the codes out, as it can any other.
  const ignored = await run(
    ws,
    'check',
    '--root',
    '.',
    '--ignore',
    'python2-syntax',
    '--ignore=python-module-python2',
    '.',
  );
  assert.deepEqual([ignored.code, codes(ignored.out)], [0, []]);
  const badCode = await run(ws, 'check', '--ignore', 'Python 2', '.');
  assert.equal(badCode.code, 2);
  assert.match(badCode.err, /--ignore: "Python 2" is no diagnostic code/);
  const quiet = await run(ws, 'check', '--root', '.', '--python', python2, '.');
  assert.equal(quiet.err, '');
  assert.deepEqual(codes(quiet.out), []);
  // The version the interpreter gives wins over its name: a plain `python` that is a Python 2, and
  // one named python2 that says it is a Python 3.
  const answering = (file: string, major: number) =>
    fs.writeFileSync(
      file,
      `#!/bin/sh\necho '@@caffe-layer-types {"types": ["Python"], "executable": "${file}", "major": ${major}}'\n`,
      { mode: 0o755 },
    );
  const plain = path.join(bin, 'python');
  answering(plain, 2);
  assert.deepEqual(codes((await run(ws, 'check', '--root', '.', '--python', plain, '.')).out), []);
  answering(python2, 3);
  assert.deepEqual(codes((await run(ws, 'check', '--root', '.', '--python', python2, '.')).out), [
    'net.prototxt python-module-python2',
    'old_layer.py python2-syntax',
  ]);
});

test('a layer module whose import runs Python 2 code (a helper it imports): check finds it too', async () => {
  const ws = layerWorkspace(
    'check-py2-import-',
    'new_layer',
    'New',
    'from helpers.show import show',
    'show(1)',
  );
  fs.mkdirSync(path.join(ws, 'helpers'));
  fs.writeFileSync(path.join(ws, 'helpers', '__init__.py'), '');
  fs.writeFileSync(path.join(ws, 'helpers', 'show.py'), 'def show(x):\n    print x\n');
  // The helper's own lines: when it is named (a file found in a folder is checked for layer classes).
  fs.appendFileSync(path.join(ws, 'helpers', 'show.py'), '# Layer helpers\n');
  const walked = await run(ws, 'check', '--root', '.', '.');
  assert.deepEqual(codes(walked.out), ['net.prototxt python-module-python2']);
  const named = await run(ws, 'check', '--root', '.', 'helpers/show.py');
  assert.match(
    named.out,
    /show\.py:2:5: warning: Python 2 only: a print statement\. Python 3 cannot compile this file, so importing it stops/,
  );
  const { out } = await run(ws, 'check', '--root', '.', 'net.prototxt');
  assert.deepEqual(codes(out), ['net.prototxt python-module-python2']);
  assert.match(
    out,
    /Module 'new_layer' runs Python 2 code when imported: helpers\/show\.py line 2 has a print statement, reached through new_layer\.py -> helpers\/show\.py\./,
  );
});

test(
  "a package's module importing a sibling by its bare name: only Python 2 finds it, as real Python 3 shows",
  needs('python'),
  async () => {
    const ws = tempDir('check-py-relative-');
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
    };
    write('lib/rpn/__init__.py', '');
    write('lib/rpn/generate_anchors.py', 'def generate_anchors():\n    return []\n');
    write(
      'lib/rpn/anchor_layer.py',
      'from generate_anchors import generate_anchors\nimport caffe\n\n\nclass AnchorLayer(caffe.Layer):\n' +
        '    def setup(self, bottom, top):\n        pass\n\n    def reshape(self, bottom, top):\n' +
        '        top[0].reshape(1)\n\n    def forward(self, bottom, top):\n        pass\n',
    );
    const net = (module: string) =>
      `layer {\n  name: "a"\n  type: "Python"\n  top: "a"\n  python_param {\n    module: "${module}"\n    layer: "AnchorLayer"\n  }\n}\n`;
    write('nets/train.prototxt', net('rpn.anchor_layer'));
    write('nets/flat.prototxt', net('anchor_layer'));
    const found = async (...extra: string[]) => {
      const { out } = await run(ws, 'check', '--root', '.', '--python-path', 'lib', ...extra, 'nets');
      return out.split('\n').filter((l) => l.includes('[python2-relative-import]'));
    };
    assert.deepEqual(await found(), [
      "nets/train.prototxt:6:13: warning: Module 'rpn.anchor_layer' cannot be imported by Python 3: " +
        "lib/rpn/anchor_layer.py line 1 imports 'generate_anchors', which is lib/rpn/generate_anchors.py only as " +
        "Python 2 reads it (relative to the module's own package); Python 3 looks for a top-level " +
        "'generate_anchors' and stops: No module named 'generate_anchors'. Write from .generate_anchors import " +
        'generate_anchors, which both read. [python2-relative-import]',
    ]);
    // With the package's folder on the path too, the bare name is a top-level module for Python 3 as well.
    assert.deepEqual(await found('--python-path', 'lib/rpn'), []);
    // Python 3 itself: the package's module stops at that import.
    const py = spawnSync(SYSTEM_PYTHON, ['-c', 'import rpn.anchor_layer'], {
      cwd: ws,
      env: { ...process.env, PYTHONPATH: path.join(ws, 'lib') },
      encoding: 'utf8',
    });
    assert.match(py.stderr, /ModuleNotFoundError: No module named 'generate_anchors'/);
  },
);

test('a layer reading self.param_str_ under a checkout whose Python layers get self.param_str: AttributeError told', async () => {
  const ws = tempDir('check-py-attribute-');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  writeCheckout(path.join(ws, 'caffe'));
  const header = (attribute: string) =>
    `class PythonLayer {\n  virtual void LayerSetUp() {\n    self_.attr("${attribute}") = bp::str(\n` +
    '        this->layer_param_.python_param().param_str());\n  }\n};\n';
  write('caffe/include/caffe/layers/python_layer.hpp', header('param_str'));
  // py-faster-rcnn's way: param_str_, as its caffe-fast-rcnn sets it.
  write(
    'lib/layers.py',
    'import caffe\n\n\nclass Proposal(caffe.Layer):\n    def setup(self, bottom, top):\n' +
      '        self.stride = int(self.param_str_)\n\n    def reshape(self, bottom, top):\n' +
      '        top[0].reshape(1)\n\n    def forward(self, bottom, top):\n        pass\n',
  );
  write(
    'models/net.prototxt',
    'name: "n"\nlayer {\n  name: "p"\n  type: "Python"\n  top: "p"\n  python_param {\n    module: "layers"\n' +
      '    layer: "Proposal"\n    param_str: "16"\n  }\n}\n',
  );
  const found = async () => {
    const { out } = await run(ws, 'check', '--root', '.', '--python-path', 'lib', 'models/net.prototxt');
    return out.split('\n').filter((l) => l.includes('[python-param-str-attribute]'));
  };
  assert.deepEqual(await found(), [
    'models/net.prototxt:8:12: warning: Proposal reads self.param_str_ (lib/layers.py line 6), but the Caffe ' +
      'checkout at caffe, whose caffe.proto this file is checked against, gives Python layers self.param_str ' +
      "(its python_layer.hpp): the read stops with AttributeError ('Proposal' object has no attribute " +
      "'param_str_') when Caffe sets the layer up. Read self.param_str. [python-param-str-attribute]",
  ]);
  // Under caffe-fast-rcnn's header, which sets param_str_, the read is right.
  write('caffe/include/caffe/layers/python_layer.hpp', header('param_str_'));
  assert.deepEqual(await found(), []);
});

test('a layer handing its parsed param_str to a loader: keys only an unseen loader reads are not called unknown', async () => {
  const ws = tempDir('check-py-handed-');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  const layer = (loader: string, hand: string) =>
    `import caffe\n${loader}\n\n` +
    'class SegData(caffe.Layer):\n    def setup(self, bottom, top):\n        params = eval(self.param_str)\n' +
    `        self.batch = params["batch_size"]\n${hand}\n\n    def reshape(self, bottom, top):\n` +
    '        top[0].reshape(self.batch)\n\n    def forward(self, bottom, top):\n        pass\n';
  const loaderClass =
    '\n\nclass Loader(object):\n    def __init__(self, params):\n        self.root = params["root"]\n';
  const net = (paramStr: string) =>
    `layer {\n  name: "data"\n  type: "Python"\n  top: "data"\n  python_param {\n    module: "seg_layers"\n` +
    `    layer: "SegData"\n    param_str: "${paramStr}"\n  }\n}\n`;
  write('loaders.py', loaderClass);
  write('seg_layers.py', layer('from loaders import Loader', '        self.loader = Loader(params)'));
  write('train.prototxt', net("{'batch_size': 4, 'root': 'data/voc', 'mirror': True}"));
  write('bad.prototxt', net("{'shuffle': 1}"));
  const keyCodes = async () => {
    const { out } = await run(ws, 'check', '--root', '.', 'train.prototxt', 'bad.prototxt');
    return out.split('\n').filter((l) => l.includes('[param-str-'));
  };
  // The keys the class reads itself are still checked: a missing one is an error.
  assert.deepEqual(await keyCodes(), [
    "bad.prototxt:8:17: error: param_str lacks the key 'batch_size', which SegData reads without a default. [param-str-missing-key]",
  ]);
  // A loader of the layer's own module is followed: its keys count, and other keys are told.
  write('seg_layers.py', layer(loaderClass, '        self.loader = Loader(params)'));
  assert.deepEqual(await keyCodes(), [
    "train.prototxt:8:55: warning: SegData never reads the key 'mirror'. [param-str-unknown-key]",
    "bad.prototxt:8:17: error: param_str lacks the keys 'root', 'batch_size', which SegData reads without a default. [param-str-missing-key]",
    "bad.prototxt:8:18: warning: SegData never reads the key 'shuffle'. [param-str-unknown-key]",
  ]);
  // Called on some paths only, the loader's keys are known but not required.
  write(
    'seg_layers.py',
    layer(loaderClass, '        if self.phase == 0:\n            self.loader = Loader(params)'),
  );
  assert.deepEqual(await keyCodes(), [
    "train.prototxt:8:55: warning: SegData never reads the key 'mirror'. [param-str-unknown-key]",
    "bad.prototxt:8:17: error: param_str lacks the key 'batch_size', which SegData reads without a default. [param-str-missing-key]",
    "bad.prototxt:8:18: warning: SegData never reads the key 'shuffle'. [param-str-unknown-key]",
  ]);
});

test("a layer module beside the script that runs Caffe is found there: the script's folder is first on sys.path", async () => {
  const ws = tempDir('check-py-script-folder-');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  write(
    'python/MultitaskLoss.py',
    'import caffe\n\n\nclass MultitaskLoss(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n\n' +
      '    def reshape(self, bottom, top):\n        top[0].reshape(1)\n\n    def forward(self, bottom, top):\n        pass\n',
  );
  write(
    'zoo/train.prototxt',
    'layer {\n  name: "loss"\n  type: "Python"\n  top: "loss"\n  python_param {\n    module: "MultitaskLoss"\n' +
      '    layer: "MultitaskLoss"\n  }\n}\n',
  );
  const codes = async () => {
    const { out } = await run(ws, 'check', '--root', '.', 'zoo/train.prototxt');
    return out.split('\n').filter((l) => l.includes('[python-module-not-found]')).length;
  };
  assert.equal(await codes(), 1);
  // A module that only builds a solver in a function others call is imported, not run: no folder.
  write('python/train_lib.py', 'import caffe\n\n\ndef train(path):\n    return caffe.SGDSolver(path)\n');
  assert.equal(await codes(), 1);
  // The facial-landmarks repository's python/Train.py: os.chdir, then caffe.get_solver.
  write(
    'python/Train.py',
    "import os\nimport caffe\nos.chdir('../zoo')\nsolver = caffe.get_solver(solver_path)\nsolver.solve()\n",
  );
  assert.equal(await codes(), 0);
});

test("each project's own module wins over another project's script folder (WebVision's alexnet/ and resnet152-v2/)", async () => {
  const ws = tempDir('check-py-script-projects-');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  const layers = (key: string) =>
    'import caffe\n\n\nclass customDataLayer(caffe.Layer):\n    def setup(self, bottom, top):\n' +
    `        params = eval(self.param_str)\n        self.v = params['${key}']\n\n` +
    '    def reshape(self, bottom, top):\n        top[0].reshape(1)\n\n    def forward(self, bottom, top):\n        pass\n';
  const net = (key: string) =>
    'layer {\n  name: "data"\n  type: "Python"\n  top: "data"\n  python_param {\n    module: "layers"\n' +
    `    layer: "customDataLayer"\n    param_str: "{'${key}': 1}"\n  }\n}\n`;
  for (const [project, key] of [
    ['alexnet', 'rotate'],
    ['resnet152-v2', 'rotate_prob'],
  ]) {
    write(`${project}/layers.py`, layers(key));
    write(`${project}/prototxt/train.prototxt`, net(key));
    write(
      `${project}/train.py`,
      "import caffe\nsolver = caffe.get_solver('prototxt/solver.prototxt')\nsolver.solve()\n",
    );
  }
  const { out } = await run(
    ws,
    'check',
    '--root',
    '.',
    'alexnet/prototxt/train.prototxt',
    'resnet152-v2/prototxt/train.prototxt',
  );
  assert.deepEqual(
    out.split('\n').filter((l) => l.includes('[param-str-') || l.includes('[python-')),
    [],
  );
});

test('a dotted module found nowhere, whose class a file of its last name defines: the file and the name to write', async () => {
  const ws = tempDir('check-py-last-');
  fs.mkdirSync(path.join(ws, 'train'));
  // face-landmark's net writes python.NormlizedMSE; the repository has train/NormlizedMSE.py.
  fs.writeFileSync(
    path.join(ws, 'train', 'NormlizedMSE.py'),
    'import caffe\n\nclass NormlizedMSE(caffe.Layer):\n    def setup(self, bottom, top):\n        pass\n',
  );
  const net = (module: string) =>
    `layer { name: "loss" type: "Python" bottom: "a" bottom: "b" top: "loss" python_param { module: "${module}" layer: "NormlizedMSE" } }\n`;
  fs.writeFileSync(path.join(ws, 'train', 'net.prototxt'), net('python.NormlizedMSE'));
  const { out } = await run(ws, 'check', '--root', '.', 'train/net.prototxt');
  const [line] = out.split('\n').filter((l) => l.includes('[python-module-not-found]'));
  assert.match(
    line ?? '',
    new RegExp(
      "Module 'python\\.NormlizedMSE' was not found in the workspace\\. Looked in: train, \\./\\. " +
        `${path.join('train', 'NormlizedMSE.py').replace(/\\/g, '\\\\')} defines its class NormlizedMSE, but as ` +
        "module 'NormlizedMSE': 'python\\.NormlizedMSE' is imported from a package folder \\(python/\\) on the " +
        "search path, which the workspace does not have\\. Write the module as 'NormlizedMSE' if that file is the one meant\\.",
    ),
  );
  // Another class of that name elsewhere: nothing to point at.
  fs.writeFileSync(path.join(ws, 'train', 'net.prototxt'), net('python.Other'));
  const other = await run(ws, 'check', '--root', '.', 'train/net.prototxt');
  assert.match(other.out, /was not found in the workspace\. Looked in: train, \.\/\. If it lives elsewhere/);
});

test('a module off the search path in two Caffe copies: the copy nearest to the net is the folder to add', async () => {
  const ws = tempDir('check-py-near-');
  // Deformable-ConvNets-caffe: caffe/ and deformable_conv_faster-rcnn/caffe-fast-rcnn/ both have examples/pycaffe/layers/pyloss.py.
  const layers = (root: string) => path.join(ws, root, 'examples', 'pycaffe', 'layers');
  for (const root of ['caffe', path.join('frcnn', 'caffe-fast-rcnn')]) {
    fs.mkdirSync(layers(root), { recursive: true });
    fs.writeFileSync(
      path.join(layers(root), 'pyloss.py'),
      'import caffe\n\nclass EuclideanLossLayer(caffe.Layer):\n    pass\n',
    );
  }
  const net = path.join('frcnn', 'caffe-fast-rcnn', 'examples', 'pycaffe', 'linreg.prototxt');
  fs.writeFileSync(
    path.join(ws, net),
    'layer { name: "loss" type: "Python" bottom: "a" bottom: "b" top: "loss" python_param { module: "pyloss" layer: "EuclideanLossLayer" } }\n',
  );
  const { out } = await run(ws, 'check', '--root', '.', net);
  const [line] = out.split('\n').filter((l) => l.includes('[python-module-not-found]'));
  const near = path.join('frcnn', 'caffe-fast-rcnn', 'examples', 'pycaffe', 'layers');
  assert.ok(line?.includes(`but ${path.join(near, 'pyloss.py')} defines its class`), line);
  assert.ok(line?.includes(`--python-path ${near}`), line);
});

test("a layer module beside a checkout's pycaffe package is found: that folder is on PYTHONPATH wherever a layer runs", async () => {
  const ws = tempDir('check-py-pycaffe-');
  // appearance-flow: caffe/python/python_layers.py beside caffe/python/caffe/, the nets in models/.
  fs.mkdirSync(path.join(ws, 'caffe', 'python', 'caffe'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'models'));
  fs.writeFileSync(
    path.join(ws, 'caffe', 'python', 'python_layers.py'),
    'import caffe\n\nclass Meshgrid(caffe.Layer):\n    pass\n',
  );
  fs.writeFileSync(path.join(ws, 'caffe', 'python', 'caffe', '__init__.py'), 'from .pycaffe import Net\n');
  const net = path.join('models', 'deploy.prototxt');
  fs.writeFileSync(
    path.join(ws, net),
    'layer { name: "m" type: "Python" top: "m" python_param { module: "python_layers" layer: "Meshgrid" } }\n',
  );
  const notFound = async () =>
    (await run(ws, 'check', '--root', '.', net)).out
      .split('\n')
      .filter((l) => l.includes('[python-module-not-found]'));
  // Without pycaffe's own module the folder is no pycaffe package: nothing puts it on the path.
  assert.equal((await notFound()).length, 1);
  fs.writeFileSync(path.join(ws, 'caffe', 'python', 'caffe', 'pycaffe.py'), 'class Net:\n    pass\n');
  assert.deepEqual(await notFound(), []);
});
