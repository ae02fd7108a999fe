import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findProtoFiles, nearestProto, projectOfItsOwn } from '../../../../server/src/schema/discovery';
import { toolCheckouts } from '../../../../server/src/schema/checkout-scripts';
import { SchemaProvider } from '../../../../server/src/workspace/schema-provider';
import { writeCheckout } from '../../../helpers/caffe-checkout';

test('nearestProto prefers the Caffe checkout inside the same project', () => {
  const frcnn = '/w/py-faster-rcnn/caffe-fast-rcnn/src/caffe/proto/caffe.proto';
  const other = '/w/caffe/src/caffe/proto/caffe.proto';
  const ssd = '/w/ssd/caffe/src/caffe/proto/caffe.proto';
  const protos = [other, frcnn, ssd];
  assert.equal(nearestProto('/w/py-faster-rcnn/models/pascal_voc/VGG16/train.prototxt', protos), frcnn);
  assert.equal(nearestProto('/w/ssd/caffe/models/x/deploy.prototxt', protos), ssd);
  assert.equal(nearestProto('/w/caffe/examples/mnist/lenet.prototxt', protos), other);
  assert.equal(nearestProto('/w/y.prototxt', []), undefined);
});

test("only Caffe's own place counts, the checkout the file is in before a sibling one, never another root", () => {
  const stray = '/w/a/proto/caffe.proto';
  assert.equal(nearestProto('/w/a/models/n.prototxt', [stray]), undefined);
  const inside = '/w/a/src/caffe/proto/caffe.proto';
  const sibling = '/w/a/models/caffe-x/src/caffe/proto/caffe.proto';
  // models/ is the file's folder: caffe-x is a direct child of it, nearer than the checkout a/ holding it.
  assert.equal(nearestProto('/w/a/models/n.prototxt', [inside, sibling]), sibling);
  assert.equal(nearestProto('/w/a/tools/n.prototxt', [inside, sibling]), inside);
  // A checkout two levels below one of the file's folders is no sibling.
  assert.equal(nearestProto('/w/n.prototxt', ['/w/x/y/src/caffe/proto/caffe.proto']), undefined);
  // The workspace root bounds the search: nothing above it, nothing from outside it.
  assert.equal(
    nearestProto('/w/a/models/n.prototxt', ['/w/b/src/caffe/proto/caffe.proto'], '/w/a'),
    undefined,
  );
  assert.equal(nearestProto('/other/n.prototxt', [inside], '/w'), undefined);
  assert.equal(
    nearestProto('/w/a/models/n.prototxt', ['/w/b/src/caffe/proto/caffe.proto'], '/w'),
    '/w/b/src/caffe/proto/caffe.proto',
  );
});

test('a checkout beside the prototxt counts only inside its own repository', () => {
  const hed = '/clones/hed/src/caffe/proto/caffe.proto';
  const frcnn = '/clones/py-faster-rcnn/caffe-fast-rcnn/src/caffe/proto/caffe.proto';
  const repos = new Set(['/clones/hed', '/clones/senet', '/clones/py-faster-rcnn']);
  const isRepo = (dir: string) => repos.has(dir);
  // senet/ is its own clone: hed/ beside it is a neighbour's Caffe, not its schema.
  assert.equal(nearestProto('/clones/senet/models/se.prototxt', [hed], '/clones', isRepo), undefined);
  assert.equal(nearestProto('/clones/senet/models/se.prototxt', [hed], '/clones'), hed);
  // The submodule beside models/ is inside py-faster-rcnn's repository: it still counts.
  assert.equal(
    nearestProto('/clones/py-faster-rcnn/models/train.prototxt', [hed, frcnn], '/clones', isRepo),
    frcnn,
  );
  // A checkout the prototxt is inside counts whatever repositories lie between.
  repos.add('/clones/hed/examples/nested');
  assert.equal(nearestProto('/clones/hed/examples/nested/net.prototxt', [hed], '/clones', isRepo), hed);
  // A file at the top of the folder of clones is in no repository: a clone beside it still counts.
  assert.equal(nearestProto('/clones/net.prototxt', [hed], '/clones', isRepo), hed);
});

test("inside the prototxt's repository a checkout deeper down counts, the nearest first", () => {
  const repos = new Set(['/w/R-FCN']);
  const isRepo = (dir: string) => repos.has(dir);
  const external = '/w/R-FCN/external/caffe/src/caffe/proto/caffe.proto';
  const net = '/w/R-FCN/models/rfcn_prototxts/ResNet-101L/train_val.prototxt';
  assert.equal(nearestProto(net, [external], '/w', isRepo), external);
  // Without a repository around the prototxt the rule is not used.
  assert.equal(nearestProto(net, [external], '/w'), undefined);
  // A checkout sharing a nearer folder with the prototxt wins; at the same folder, the shallower.
  const models = '/w/R-FCN/models/caffe/src/caffe/proto/caffe.proto';
  const deeper = '/w/R-FCN/third_party/old/caffe/src/caffe/proto/caffe.proto';
  assert.equal(nearestProto(net, [external, models, deeper], '/w', isRepo), models);
  assert.equal(nearestProto(net, [deeper, external], '/w', isRepo), external);
  // Nothing from another repository, however near.
  assert.equal(nearestProto(net, ['/w/other/x/caffe/src/caffe/proto/caffe.proto'], '/w', isRepo), undefined);
});

test('a checkout nested in another project of a monorepo is not the schema of the nets beside that project', () => {
  const repos = new Set(['/w/mono']);
  const isRepo = (dir: string) => repos.has(dir);
  // rcnn-optimize: ristretto_rfcn/ holds its own models/ beside its caffe/; net_modle_optimize/ is another project.
  const ristretto = '/w/mono/ristretto_rfcn/caffe/src/caffe/proto/caffe.proto';
  const projects = new Set(['/w/mono/ristretto_rfcn']);
  const holdsNets = (folder: string, checkout: string) => {
    assert.equal(checkout, '/w/mono/ristretto_rfcn/caffe');
    return projects.has(folder);
  };
  const other = '/w/mono/net_modle_optimize/zf/plate.prototxt';
  assert.equal(nearestProto(other, [ristretto], '/w', isRepo, holdsNets), undefined);
  // The project's own nets keep their Caffe.
  const own = '/w/mono/ristretto_rfcn/models/train.prototxt';
  assert.equal(nearestProto(own, [ristretto], '/w', isRepo, holdsNets), ristretto);
  // A folder that only holds a Caffe (R-FCN's external/) is no project.
  projects.clear();
  assert.equal(nearestProto(other, [ristretto], '/w', isRepo, holdsNets), ristretto);
});

test('projectOfItsOwn: nets beside the checkout make a project; nets inside the checkout do not', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
  try {
    const checkout = path.join(root, 'proj', 'caffe');
    fs.mkdirSync(path.join(checkout, 'examples'), { recursive: true });
    fs.writeFileSync(path.join(checkout, 'examples', 'lenet.prototxt'), 'name: "l"\n');
    assert.equal(projectOfItsOwn(path.join(root, 'proj'), checkout), false);
    fs.mkdirSync(path.join(root, 'proj', 'models', 'zf'), { recursive: true });
    fs.writeFileSync(path.join(root, 'proj', 'models', 'zf', 'train.prototxt'), 'name: "t"\n');
    assert.equal(projectOfItsOwn(path.join(root, 'proj'), checkout), true);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('findProtoFiles walks folders and skips build folders and the excluded ones (node_modules, .git)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'protos-'));
  try {
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), 'package caffe;');
    };
    write('proj/caffe-fast-rcnn/src/caffe/proto/caffe.proto');
    write('caffe/src/caffe/proto/caffe.proto');
    write('node_modules/x/caffe.proto');
    write('.git/caffe.proto');
    write('caffe/build/src/caffe/proto/caffe.proto');
    write('proj/other.proto');
    // Not at Caffe's place: listed too (nearestProto says which nets it serves).
    write('proj/models/caffe.proto');
    assert.deepEqual(findProtoFiles(root, { exclude: ['node_modules', '.git'] }), [
      path.join(root, 'caffe/src/caffe/proto/caffe.proto'),
      path.join(root, 'proj/caffe-fast-rcnn/src/caffe/proto/caffe.proto'),
      path.join(root, 'proj/models/caffe.proto'),
    ]);
    assert.deepEqual(findProtoFiles(root, { maxDepth: 2, exclude: ['node_modules', '.git'] }), [
      path.join(root, 'proj/models/caffe.proto'),
    ]);
    assert.deepEqual(findProtoFiles(path.join(root, 'missing')), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('toolCheckouts: the tool paths of the scripts beside a net, each read from the script folder, then up', () => {
  const scripts = [
    // SCNN's finetuning.sh, run from its own folder.
    'rm -R snapshot\nGLOG_logtostderr=1 ../../../C3D-v1.1/C3D_overlap_loss/build/tools/caffe train --solver=solver_r2.prototxt\n',
    // Caffe's own examples, run from the checkout's root, through a variable.
    'TOOLS=./build/tools\n$TOOLS/caffe train --solver=examples/cifar10/solver.prototxt\n',
    // A variable set elsewhere, or a home folder: nothing to go by.
    '$CAFFE_ROOT/build/tools/caffe train\n~/caffe/build/tools/caffe test\n',
  ];
  const found = toolCheckouts('/w/scnn/experiments/a/net', '/w', () => scripts);
  assert.deepEqual(found, [
    [
      '/w/scnn/C3D-v1.1/C3D_overlap_loss',
      '/w/C3D-v1.1/C3D_overlap_loss',
      '/C3D-v1.1/C3D_overlap_loss',
      '/C3D-v1.1/C3D_overlap_loss',
      '/C3D-v1.1/C3D_overlap_loss',
    ],
    ['/w/scnn/experiments/a/net', '/w/scnn/experiments/a', '/w/scnn/experiments', '/w/scnn', '/w'],
  ]);
});

test('nearestProto: the checkout whose tools the scripts beside the net run, over the nearest one', () => {
  const v10 = '/w/scnn/C3D-v1.0/C3D_overlap_loss/src/caffe/proto/caffe.proto';
  const v11 = '/w/scnn/C3D-v1.1/C3D_overlap_loss/src/caffe/proto/caffe.proto';
  const net = '/w/scnn/experiments/Res3D/localization/train.prototxt';
  const isRepo = (dir: string) => dir === '/w/scnn';
  // Both checkouts are as near: path order picks v1.0.
  assert.equal(nearestProto(net, [v10, v11], '/w', isRepo), v10);
  const runs = (folder: string, top: string | undefined) =>
    toolCheckouts(folder, top, () => ['../../../C3D-v1.1/C3D_overlap_loss/build/tools/caffe train\n']);
  assert.equal(nearestProto(net, [v10, v11], '/w', isRepo, undefined, runs), v11);
  // Scripts that run two different checkouts say nothing.
  const both = (folder: string, top: string | undefined) =>
    toolCheckouts(folder, top, () => [
      '../../../C3D-v1.1/C3D_overlap_loss/build/tools/caffe train\n',
      '../../../C3D-v1.0/C3D_overlap_loss/build/tools/finetune_net.bin solver.prototxt\n',
    ]);
  assert.equal(nearestProto(net, [v10, v11], '/w', isRepo, undefined, both), v10);
});

test('the schema of a net is the caffe.proto of the checkout its finetuning.sh runs (SCNN)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-tools-'));
  try {
    fs.mkdirSync(path.join(dir, '.git'));
    for (const v of ['C3D-v1.0', 'C3D-v1.1']) writeCheckout(path.join(dir, v, 'C3D_overlap_loss'));
    const folder = path.join(dir, 'experiments', 'Res3D', 'localization');
    fs.mkdirSync(folder, { recursive: true });
    const net = path.join(folder, 'train.prototxt');
    fs.writeFileSync(net, 'name: "n"\n');
    const chosen = () =>
      new SchemaProvider({ paths: [], autoDiscover: true }, [dir]).schemaFor(net).path?.slice(dir.length + 1);
    assert.equal(chosen(), path.join('C3D-v1.0', 'C3D_overlap_loss', 'src', 'caffe', 'proto', 'caffe.proto'));
    fs.writeFileSync(
      path.join(folder, 'finetuning.sh'),
      'GLOG_logtostderr=1 ../../../C3D-v1.1/C3D_overlap_loss/build/tools/caffe train --solver=solver_r2.prototxt\n',
    );
    assert.equal(chosen(), path.join('C3D-v1.1', 'C3D_overlap_loss', 'src', 'caffe', 'proto', 'caffe.proto'));
    // In the editor one provider lives on: a changed script is read again once the watcher says so.
    const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [dir]);
    const inUse = () =>
      provider
        .schemaFor(net)
        .path?.slice(dir.length + 1)
        .split(path.sep)[0];
    assert.equal(inUse(), 'C3D-v1.1');
    const script = path.join(folder, 'finetuning.sh');
    fs.writeFileSync(
      script,
      '../../../C3D-v1.0/C3D_overlap_loss/build/tools/finetune_net.bin solver.prototxt\n',
    );
    assert.equal(inUse(), 'C3D-v1.1');
    assert.equal(provider.scriptsChanged([path.join(folder, 'notes.txt')]), false);
    assert.equal(provider.scriptsChanged([script]), true);
    assert.equal(inUse(), 'C3D-v1.0');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
