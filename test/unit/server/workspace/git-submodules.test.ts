// A repository cloned without its Caffe submodule (py-faster-rcnn's caffe-fast-rcnn): its nets are
// checked against the bundled schemas, and one information says which submodule holds the caffe.proto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { missingCaffeSubmodules, parseGitmodules } from '../../../../server/src/workspace/git-submodules';
import { SchemaProvider } from '../../../../server/src/workspace/schema-provider';
import { schemaStatus } from '../../../../server/src/features/schemas/schemas';
import type { AnalyzedDocument } from '../../../../server/src/workspace/analyses';
import { runCliIn } from '../../../helpers/run-cli';
import { writeCheckout } from '../../../helpers/caffe-checkout';
import { tempDir } from '../../../helpers/temp-dir';

const GITMODULES = [
  '[submodule "caffe-fast-rcnn"]',
  '\tpath = caffe-fast-rcnn',
  '\turl = https://github.com/rbgirshick/caffe-fast-rcnn.git',
  '\tbranch = fast-rcnn',
  '[core]',
  '\tpath = not-a-submodule',
  '[submodule "lib/dense_flow"]',
  '  path = lib/dense_flow',
  '  url = git@github.com:yjxiong/dense_flow.git',
  '; a comment',
  '[submodule "external/my-caffe"]',
  '  path = "external/my-caffe"',
  '  url = ../my-caffe',
  '',
].join('\n');

test('.gitmodules: each submodule section, quoted values, other sections and comments left out', () => {
  assert.deepEqual(parseGitmodules(GITMODULES), [
    { path: 'caffe-fast-rcnn', url: 'https://github.com/rbgirshick/caffe-fast-rcnn.git' },
    { path: 'lib/dense_flow', url: 'git@github.com:yjxiong/dense_flow.git' },
    { path: 'external/my-caffe', url: '../my-caffe' },
  ]);
  assert.deepEqual(parseGitmodules('[submodule "a"]\npath = a\n'), []);
});

test('the Caffe submodules not checked out: a bundled fork by its repository, others by name', () => {
  const none = () => false;
  assert.deepEqual(missingCaffeSubmodules('/repo', GITMODULES, none), [
    {
      path: 'caffe-fast-rcnn',
      url: 'https://github.com/rbgirshick/caffe-fast-rcnn.git',
      fork: 'Fast/Faster R-CNN (rbgirshick/caffe-fast-rcnn)',
      forkName: 'fastrcnn',
    },
    { path: 'external/my-caffe', url: '../my-caffe', own: true },
  ]);
  // BVLC's own repository defines nothing the bundled BVLC schema lacks.
  assert.deepEqual(
    missingCaffeSubmodules(
      '/repo',
      '[submodule "caffe"]\n\tpath = caffe\n\turl = https://github.com/BVLC/caffe.git\n',
      none,
    ),
    [{ path: 'caffe', url: 'https://github.com/BVLC/caffe.git' }],
  );
  // DeepLab's Caffe by its own name (train-DeepLab's submodule `code`); a tool beside it is none.
  assert.deepEqual(
    missingCaffeSubmodules(
      '/repo',
      '[submodule "code"]\n\tpath = code\n\turl = https://bitbucket.org/martinkersner/deeplab.git\n' +
        '[submodule "densecrf"]\n\tpath = densecrf\n\turl = https://github.com/someone/densecrf.git\n',
      none,
    ).map((s) => s.path),
    ['code'],
  );
  // Checked out: its caffe.proto is at Caffe's place, and discovery finds it.
  const checkedOut = (file: string) => file.startsWith(path.join('/repo', 'caffe-fast-rcnn') + path.sep);
  assert.deepEqual(
    missingCaffeSubmodules('/repo', GITMODULES, checkedOut).map((s) => s.path),
    ['external/my-caffe'],
  );
});

test('check: one information at the first thing its Caffe decides, gone once the submodule is checked out', async () => {
  const dir = tempDir('git-submodules-');
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.gitmodules'), GITMODULES);
  fs.mkdirSync(path.join(dir, 'models'));
  const net = [
    'name: "n"',
    'layer { name: "d" type: "Convolution" top: "data" }',
    'layer { name: "p" type: "ROIPooling" bottom: "data" bottom: "data" top: "p" }',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'models', 'test.prototxt'), net);
  fs.writeFileSync(path.join(dir, 'models', 'plain.prototxt'), 'name: "plain"\ninput: "data"\n');
  const lines = async () =>
    (await runCliIn(dir, ['check', '--root', dir, 'models'])).out.split('\n').filter((l) => /\[/.test(l));
  const before = await lines();
  assert.deepEqual(
    before.filter((l) => l.includes('[caffe-submodule]')),
    [
      "models/test.prototxt:3:25: information: This repository's Caffe is the submodule caffe-fast-rcnn, " +
        'Fast/Faster R-CNN (rbgirshick/caffe-fast-rcnn), which is not checked out, so this file is checked ' +
        'against the bundled schemas. Check it out (git submodule update --init caffe-fast-rcnn) and its ' +
        'caffe.proto decides what is said here. [caffe-submodule]',
    ],
  );
  assert.ok(
    before.some((l) => l.includes('[unknown-layer-type]')),
    before.join('\n'),
  );
  // Checked out: its caffe.proto is the schema and its sources register the type; neither the note
  // nor the fork warning stays.
  writeCheckout(path.join(dir, 'caffe-fast-rcnn'), ['ROIPooling']);
  const after = await lines();
  assert.deepEqual(
    after.filter((l) => /\[(caffe-submodule|unknown-layer-type)\]/.test(l)),
    [],
  );
});

/** A repository (a folder with .git) whose one submodule, at `sub`, is not checked out. */
function repositoryWithSubmodule(prefix: string, sub: string, url: string): string {
  const dir = tempDir(prefix);
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.gitmodules'), `[submodule "${sub}"]\n\tpath = ${sub}\n\turl = ${url}\n`);
  return dir;
}

test("a shape only the submodule's Caffe takes is a warning, with the note (HeartSeg's 3-D pooling)", async () => {
  const dir = repositoryWithSubmodule(
    'git-submodules-shape-',
    '3D-Caffe',
    'https://github.com/yulequan/3D-Caffe',
  );
  fs.writeFileSync(
    path.join(dir, 'deploy.prototxt'),
    'input: "data"\ninput_shape { dim: 1 dim: 1 dim: 64 dim: 64 dim: 64 }\n' +
      'layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n',
  );
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'deploy.prototxt']);
  const found = out.split('\n').filter((l) => l.includes(': '));
  assert.deepEqual(
    found.map((l) => l.replace(/: (warning|information): .*\[/, ' $1 [')),
    ['deploy.prototxt:3:79 warning [shape-invalid]', 'deploy.prototxt:3:79 information [caffe-submodule]'],
  );
});

test('a Caffe submodule of no bundled fork is named by its URL', async () => {
  const dir = repositoryWithSubmodule('git-submodules-url-', 'caffe', 'https://github.com/Cysu/caffe');
  fs.writeFileSync(path.join(dir, 'net.prototxt'), 'name: "n"\nlayer { name: "p" type: "ROIPooling" }\n');
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'net.prototxt']);
  const [note] = out.split('\n').filter((l) => l.includes('[caffe-submodule]'));
  assert.match(
    note ?? '',
    /: information: This repository's Caffe is the submodule caffe \(from https:\/\/github\.com\/Cysu\/caffe\), which is not checked out, so this file is checked against the bundled schemas\. Check it out \(git submodule update --init caffe\)/,
  );
});

test("unknown fields are warnings while a Caffe of the repository's own is a submodule not checked out", async () => {
  const net =
    'input: "data"\ninput_shape { dim: 1 dim: 1 dim: 8 dim: 8 }\n' +
    'layer { name: "n" type: "MVN" bottom: "data" top: "n" mvn_param { axis: 1 } }\n';
  const severities = async (url: string) => {
    const dir = repositoryWithSubmodule('git-submodules-fields-', 'lib/my-very-deep-caffe', url);
    fs.writeFileSync(path.join(dir, 'net.prototxt'), net);
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'net.prototxt']);
    return out
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) => l.replace(/: (\w+): .*\[/, ' $1 ['));
  };
  // two-stream-fcan's my-very-deep-caffe gives MVN an axis.
  assert.deepEqual(await severities('https://github.com/antran89/my-very-deep-caffe'), [
    'net.prototxt:3:67 warning [unknown-field]',
    'net.prototxt:3:67 information [caffe-submodule]',
  ]);
  // BVLC's Caffe as the submodule: its caffe.proto is the bundled one, and the field is surely unknown.
  assert.deepEqual(await severities('https://github.com/BVLC/caffe.git'), [
    'net.prototxt:3:67 error [unknown-field]',
    'net.prototxt:3:67 information [caffe-submodule]',
  ]);
});

test("fork warnings advise checking out the repository's own Caffe, not a bundled fork sharing the name", async () => {
  const net =
    'name: "n"\nlayer { name: "d" type: "Data" top: "data" transform_param { crop_height: 8 crop_width: 8 } }\n' +
    'layer { name: "bn" type: "BN" bottom: "data" top: "bn" }\n';
  const messages = async (url: string) => {
    const dir = repositoryWithSubmodule('git-submodules-advice-', 'external/caffe', url);
    fs.writeFileSync(path.join(dir, 'net.prototxt'), net);
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'net.prototxt']);
    return out.split('\n').filter((l) => /\[(fork-field|unknown-layer-type)\]$/.test(l));
  };
  // Cysu/caffe (dgd_person_reid's) has both; PSPNet's and TSN's schemas share the names by chance.
  const own = await messages('https://github.com/Cysu/caffe');
  assert.equal(own.length, 2, own.join('\n'));
  for (const line of own) {
    assert.match(
      line,
      /: warning: Check out this repository's Caffe, the submodule external\/caffe \(git submodule update --init external\/caffe\): /,
    );
    assert.doesNotMatch(line, /Choose the/);
  }
  assert.match(own[0], /"crop_height" and "crop_width" of TransformationParameter are not in BVLC Caffe/);
  assert.match(own[1], /layer type "BN" is not in BVLC Caffe/);
  // A bundled fork's repository as the submodule: its schema is the advice.
  const bundled = await messages('https://github.com/BVLC/caffe.git');
  assert.equal(bundled.length, 2, bundled.join('\n'));
  for (const line of bundled) assert.match(line, /: warning: Choose the /);
});

test('a layer module found nowhere, layer after layer, in a repository whose own Caffe is not checked out: said once, naming the submodule', async () => {
  const dir = repositoryWithSubmodule(
    'git-submodules-module-',
    'caffe-enet',
    'https://github.com/TimoSaemann/caffe-enet.git',
  );
  const drop = (n: number) =>
    `layer { name: "d${n}" type: "Python" bottom: "data" top: "d${n}" python_param { module: "spatial_dropout" layer: "SpatialDropoutLayer" } }\n`;
  fs.writeFileSync(path.join(dir, 'net.prototxt'), `input: "data"\n${drop(1)}${drop(2)}${drop(3)}`);
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'net.prototxt']);
  const lines = out.split('\n').filter((l) => l.includes('[python-module-not-found]'));
  assert.equal(lines.length, 1, out);
  assert.match(
    lines[0],
    /^net\.prototxt:2:\d+: warning: Module 'spatial_dropout' was not found in the workspace\. .* This repository's Caffe, the submodule caffe-enet, is not checked out, and the module may be in it: check it out \(git submodule update --init caffe-enet\)\. The same holds at 2 more places in this file \(related locations\)\. \[python-module-not-found\]$/,
  );
});

test('a submodule named as its fork is not named twice', async () => {
  const dir = repositoryWithSubmodule('git-submodules-name-', 'PSPNet', 'https://github.com/hszhao/PSPNet');
  fs.writeFileSync(
    path.join(dir, 'net.prototxt'),
    'name: "n"\nlayer { name: "p" type: "Interp" interp_parm { } }\n',
  );
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'net.prototxt']);
  const [note] = out.split('\n').filter((l) => l.includes('[caffe-submodule]'));
  assert.match(
    note ?? '',
    /This repository's Caffe is the submodule PSPNet \(hszhao\/PSPNet\), which is not checked out, so this file is checked against the bundled copy of that fork's caffe\.proto, which may not be the commit the submodule pins\./,
  );
});

test("a missing submodule that is a bundled fork's repository: that fork's schema checks the nets (py-faster-rcnn)", async () => {
  const dir = repositoryWithSubmodule(
    'git-submodules-fork-',
    'caffe-fast-rcnn',
    'https://github.com/rbgirshick/caffe-fast-rcnn.git',
  );
  const net = [
    'name: "n"',
    'input: "data"',
    'input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }',
    'input: "rois"',
    'input_shape { dim: 4 dim: 5 }',
    'layer { name: "pool" type: "ROIPooling" bottom: "data" bottom: "rois" top: "pool"',
    '  roi_pooling_param { pooled_w: 7 pooled_h: 7 spatial_scale: 0.0625 } }',
    'layer { name: "bogus" type: "ReLU" bottom: "pool" top: "pool" relu_parm { } }',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'net.prototxt'), net);
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'net.prototxt']);
  const found = out
    .split('\n')
    .filter((l) => l.includes(': '))
    .map((l) => l.replace(/: (\w+): .*\[/, ' $1 ['));
  // The fork's layer and its block are known; what no Caffe has is an error, with the note.
  assert.deepEqual(found, [
    'net.prototxt:8:63 error [unknown-field]',
    'net.prototxt:8:63 information [caffe-submodule]',
  ]);
  // Told the schema in use: the bundled fork's.
  const shapes = await runCliIn(dir, ['shapes', 'net.prototxt']);
  assert.match(shapes.out, /pool\b.*4 ?[×x] ?3 ?[×x] ?7 ?[×x] ?7/);
});

test('the schema status names the bundled fork used for a submodule not checked out', () => {
  const dir = repositoryWithSubmodule(
    'git-submodules-status-',
    'PSPNet',
    'https://github.com/hszhao/PSPNet.git',
  );
  const file = path.join(dir, 'net.prototxt');
  const schema = new SchemaProvider({ paths: [], autoDiscover: true }, [dir]).schemaFor(file);
  assert.equal(schema.setting, 'bundled:pspnet');
  const status = schemaStatus({
    schema,
    doc: { uri: 'file:///net.prototxt' },
  } as unknown as AnalyzedDocument);
  assert.equal(status.kind, 'bundled');
  assert.equal(status.setting, 'bundled:pspnet');
  assert.match(status.label, /^PSPNet \(hszhao\/PSPNet\).* for the submodule PSPNet$/);
  // Two Caffe submodules missing: which one the nets are for is not known, so BVLC's is used.
  fs.appendFileSync(
    path.join(dir, '.gitmodules'),
    '[submodule "caffe"]\n\tpath = caffe\n\turl = https://github.com/BVLC/caffe.git\n',
  );
  const both = new SchemaProvider({ paths: [], autoDiscover: true }, [dir]).schemaFor(file);
  assert.equal(both.setting, undefined);
  assert.equal(both.submodules?.length, 2);
});

test("a learning rate policy BVLC lacks, while the repository's own Caffe is a submodule not checked out: a warning, with the note", async () => {
  // pycaffe-yolo: its Zehaos/caffe-yolo adds the "multifixed" policy with stagelr and stageiter.
  const dir = repositoryWithSubmodule(
    'git-submodules-policy-',
    'caffe-yolo',
    'https://github.com/Zehaos/caffe-yolo',
  );
  fs.writeFileSync(
    path.join(dir, 'solver.prototxt'),
    'base_lr: 0.001\nlr_policy: "multifixed"\nmax_iter: 100\n',
  );
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'solver.prototxt']);
  const found = out
    .split('\n')
    .filter((l) => l.includes(': '))
    .map((l) => l.replace(/: (\w+): .*\[/, ' $1 ['));
  assert.deepEqual(found, [
    'solver.prototxt:2:12 warning [lr-schedule]',
    'solver.prototxt:2:12 information [caffe-submodule]',
  ]);
});
