import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonLayerDiagnostics } from '../../../../server/src/features/shared/python-layer-diagnostics';
import { inputAt, workspaceOf } from '../features/python-fixture';

const layer = (python: string, extra = '', type = 'Python') =>
  `layer {\n  name: "x"\n  type: "${type}"\n  top: "t"\n${extra}${python}}\n`;
const pp = (body: string) => `  python_param {\n${body}  }\n`;

async function check(ws: string, rel: string, text?: string) {
  const { root, python } = await workspaceOf(ws);
  const { input } = inputAt(root, rel, text === undefined ? undefined : `${text}<|>`);
  const ds = pythonLayerDiagnostics(input, python);
  return ds.map((d) => ({ ...d, text: input.doc.text.slice(d.start, d.end) }));
}

test('the fixture nets are clean (but for the yaml.load that PyYAML 6 refuses)', async () => {
  // The faster-rcnn fixture reads param_str as py-faster-rcnn does: yaml.load(self.param_str_).
  assert.deepEqual(
    (await check('faster-rcnn', 'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt')).map((d) => [
      d.code,
      d.text,
    ]),
    [
      ['python-yaml-load', "'RoIDataLayer'"],
      ['python-yaml-load', "'ProposalLayer'"],
    ],
  );
  assert.deepEqual(await check('fcn', 'voc-fcn32s/train.prototxt'), []);
  assert.deepEqual(await check('package', 'models/detectnet/deploy.prototxt'), []);
  assert.deepEqual(await check('beside', 'nets/my_net/train.prototxt'), []);
});

test('module not found: a warning that lists where it looked and names the setting', async () => {
  const ds = await check(
    'fcn',
    'voc-fcn32s/train.prototxt',
    layer(pp('    module: "no_such"\n    layer: "L"\n')),
  );
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'python-module-not-found');
  assert.equal(ds[0].severity, 'warning');
  assert.equal(ds[0].text, '"no_such"');
  assert.match(ds[0].message, /Looked in: .*voc-fcn32s/);
  assert.match(ds[0].message, /prototxt\.python\.extraPaths/);
});

test('a module the interpreter has installed: information, naming a workspace copy to check', async () => {
  const { root, python } = await workspaceOf('beside');
  python.installedModules = { names: new Set(['pylayers', 'star', 'nets']), label: '/usr/bin/python3' };
  const found = (module: string) => {
    const { input } = inputAt(
      root,
      'nets/my_net/train.prototxt',
      `${layer(pp(`    module: "${module}"\n    layer: "L"\n`))}<|>`,
    );
    return pythonLayerDiagnostics(input, python);
  };
  // Installed (SEC's `pip install pylayers/`): Caffe imports it, nothing is missing.
  const installed = found('pylayers');
  assert.deepEqual(
    installed.map((d) => [d.code, d.severity]),
    [['python-module-installed', 'information']],
  );
  assert.match(
    installed[0].message,
    /^Module 'pylayers' is not on the workspace's search path .*\/usr\/bin\/python3 imports it from its installed packages/,
  );
  // A copy in the workspace off the search path is named, to check it.
  assert.match(
    found('star')[0].message,
    /other\/star\.py is that module: to check that copy .* add other to the setting/,
  );
  // A name the interpreter lists because a searched folder holds it (its working folder is on its
  // path) is the workspace's, not an installed package: still not found.
  assert.deepEqual(
    found('nets').map((d) => [d.code, d.severity]),
    [['python-module-not-found', 'warning']],
  );
});

test('class not in module: an error with did-you-mean; a non-layer class: an error', async () => {
  const ds = await check(
    'package',
    'models/detectnet/deploy.prototxt',
    layer(pp('    module: "mypkg.layers.clustering"\n    layer: "ClusterDetection"\n')) +
      layer(pp('    module: "mypkg.layers.clustering"\n    layer: "NotALayer"\n')),
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity, d.text]),
    [
      ['python-class-not-found', 'error', '"ClusterDetection"'],
      ['python-class-not-layer', 'error', '"NotALayer"'],
    ],
  );
  assert.match(ds[0].message, /Did you mean "ClusterDetections"/);
  assert.deepEqual(ds[0].suggestions, ['ClusterDetections']);
});

test('type: "Python" without python_param, python_param without layer, python_param on another type', async () => {
  const ds = await check(
    'fcn',
    'voc-fcn32s/train.prototxt',
    layer('') +
      layer(pp('    module: "voc_layers"\n')) +
      layer(pp('    module: "voc_layers"\n    layer: "VOCSegDataLayer"\n'), '', 'ReLU'),
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.text]),
    [
      ['python-layer-incomplete', '"Python"'],
      ['python-layer-incomplete', 'python_param'],
      ['python-param-not-python', 'python_param'],
    ],
  );
});

test('param_str in the class format: eval -> Python literal; missing and unknown keys', async () => {
  const ds = await check(
    'fcn',
    'voc-fcn32s/train.prototxt',
    layer(
      pp(
        `    module: "voc_layers"\n    layer: "VOCSegDataLayer"\n    param_str: "{'voc_dir': 'd', 'splt': 'train', 'mean': (1, 2, 3)}"\n`,
      ),
    ),
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity, d.text]),
    [
      ['param-str-missing-key', 'error', `{'voc_dir': 'd', 'splt': 'train', 'mean': (1, 2, 3)}`],
      ['param-str-unknown-key', 'warning', "'splt'"],
    ],
  );
  assert.match(ds[0].message, /'split'/);
});

/** The diagnostics of py-faster-rcnn's ProposalLayer given `paramStr`. */
const proposalLayer = (paramStr: string) =>
  check(
    'faster-rcnn',
    'models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt',
    layer(pp(`    module: "rpn.proposal_layer"\n    layer: "ProposalLayer"\n    param_str: "${paramStr}"\n`)),
  );

test('param_str: yaml.load in faster-rcnn, JSON inherited from the package base class', async () => {
  const ds = await proposalLayer("{'feat_stride': [16}");
  assert.deepEqual(
    ds.map((d) => [d.code, d.text]),
    [
      ['python-yaml-load', '"ProposalLayer"'],
      ['param-str-syntax', '}'],
    ],
  );
  assert.match(ds[1].message, /YAML/);
  assert.match(ds[0].message, /The file's quick fixes give yaml\.safe_load\(\)\.$/);
  // A param_str with a !!python/ tag, which safe_load refuses: the fix to take is the full loader.
  const tagged = await proposalLayer("{'feat_stride': 16, 'scales': !!python/tuple [8, 16]}");
  assert.match(
    tagged.find((d) => d.code === 'python-yaml-load')?.message ?? '',
    /This param_str has a !!python\/ tag, which yaml\.safe_load\(\) refuses: the file's quick fix Loader=yaml\.FullLoader reads it\.$/,
  );
  const pkg = await check(
    'package',
    'models/detectnet/deploy.prototxt',
    layer(
      pp(
        `    module: "mypkg.layers.clustering"\n    layer: "ClusterDetections"\n    param_str: "{'threshold': 1}"\n`,
      ),
    ),
  );
  assert.deepEqual(
    pkg.map((d) => [d.code, d.text]),
    [['param-str-syntax', "'"]],
  );
  assert.match(pkg[0].message, /JSON/);
});

test('param_str read by float(): a number', async () => {
  const ds = await check(
    'beside',
    'nets/my_net/train.prototxt',
    layer(pp('    module: "my_layers"\n    layer: "ScaleLayer"\n    param_str: "half"\n')),
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.text]),
    [['param-str-syntax', 'half']],
  );
});
