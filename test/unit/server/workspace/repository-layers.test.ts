// The layer types a repository's own C++ sources register, read once per repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RepositoryLayerTypes } from '../../../../server/src/workspace/repository-layers';
import { runCliIn } from '../../../helpers/run-cli';

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

test('registrations of the repository holding the file: not commented out, not in build output, not a neighbour', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-layers-'));
  try {
    const repo = path.join(root, 'layers');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    const shuffle = write(
      path.join(repo, 'src/caffe/layers/shuffle_channel_layer.cpp'),
      '#include "x.hpp"\n\nREGISTER_LAYER_CLASS(ShuffleChannel);\n// REGISTER_LAYER_CLASS(Commented);\n/* REGISTER_LAYER_CLASS(Blocked); */\n',
    );
    write(path.join(repo, 'build/src/caffe/layers/copy_layer.cpp'), 'REGISTER_LAYER_CLASS(BuildCopy);\n');
    write(path.join(root, 'other/.git/HEAD'), '');
    write(path.join(root, 'other/n_layer.cpp'), 'REGISTER_LAYER_CLASS(Neighbour);\n');
    const types = new RepositoryLayerTypes(() => [root]);
    const net = path.join(repo, 'models/net.prototxt');
    assert.deepEqual(types.registration(net, 'ShuffleChannel'), {
      type: 'ShuffleChannel',
      file: shuffle,
      line: 2,
    });
    for (const type of ['Commented', 'Blocked', 'BuildCopy', 'Neighbour'])
      assert.equal(types.registration(net, type), undefined, type);
    // A file outside every workspace root belongs to no repository here.
    assert.equal(types.registration('/elsewhere/net.prototxt', 'ShuffleChannel'), undefined);
    // Changes on disk: a new source counts; one that registers nothing any more is dropped.
    const added = write(path.join(repo, 'src/caffe/layers/gate_layer.cu'), 'REGISTER_LAYER_CLASS(Gate);\n');
    assert.equal(types.registration(net, 'Gate'), undefined, 'read once, until told of the change');
    assert.equal(types.sourcesChanged([added, path.join(repo, 'notes.txt')]), true);
    assert.equal(types.registration(net, 'Gate')?.file, added);
    assert.equal(types.sourcesChanged([added]), false, 'nothing new');
    fs.writeFileSync(shuffle, '// nothing registered\n');
    assert.equal(types.sourcesChanged([shuffle]), true);
    assert.equal(types.registration(net, 'ShuffleChannel'), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('check: a type the repository registers is not unknown; one it does not register still is', async () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-layers-cli-'));
  try {
    fs.mkdirSync(path.join(repo, '.git'));
    write(path.join(repo, 'layers/axpy_layer.cpp'), 'REGISTER_LAYER_CLASS(ChannelAxpy);\n');
    write(
      path.join(repo, 'net.prototxt'),
      'layer { name: "a" type: "ChannelAxpy" top: "a" }\nlayer { name: "b" type: "NotRegistered" bottom: "a" top: "b" }\n',
    );
    const run = await runCliIn(repo, ['check', 'net.prototxt']);
    assert.doesNotMatch(run.out, /ChannelAxpy/);
    assert.match(run.out, /net\.prototxt:2:25: warning: Unknown layer type "NotRegistered"/);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

test("check: a block beside a type the repository registers is that layer's addition to caffe.proto, a warning", async () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-layers-block-'));
  try {
    fs.mkdirSync(path.join(repo, '.git'));
    // arcface-caffe ships AdaCos's source and a snippet of the proto to add, not a whole Caffe.
    write(path.join(repo, 'AdaCos/adacos_layer.cpp'), 'REGISTER_LAYER_CLASS(AdaCosAddmScale);\n');
    write(
      path.join(repo, 'net.prototxt'),
      'layer { name: "a" type: "AdaCosAddmScale" top: "a" adacos_add_m_scale_param { m: 0.5 } }\n' +
        'layer { name: "b" type: "Convolution" bottom: "a" top: "b" adacos_add_m_scale_param { m: 0.5 } }\n',
    );
    const { out } = await runCliIn(repo, ['check', 'net.prototxt']);
    const lines = out.split('\n').filter((l) => l.includes('[unknown-field]'));
    assert.deepEqual(lines, [
      'net.prototxt:1:52: warning: Message type "caffe.LayerParameter" has no field named "adacos_add_m_scale_param": ' +
        'it goes with the layer\'s type "AdaCosAddmScale", which this repository\'s adacos_layer.cpp registers, so it ' +
        "is that layer's addition to caffe.proto, which the schema in use lacks. Add it to your Caffe's caffe.proto " +
        'and check the net against that (prototxt.schema.paths or --schema). [unknown-field]',
      // Beside one of Caffe's own types the block is the error it is.
      'net.prototxt:2:60: error: Message type "caffe.LayerParameter" has no field named "adacos_add_m_scale_param". [unknown-field]',
    ]);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

test("check: a filler the repository's own filler.hpp makes is known; another is still told", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-fillers-'));
  try {
    fs.mkdirSync(path.join(root, '.git'));
    // Unsupervised depth estimation's header, built into Caffe: GetFiller makes EdgeX and EdgeY too.
    write(
      path.join(root, 'include/caffe/filler.hpp'),
      'template <typename Dtype>\nFiller<Dtype>* GetFiller(const FillerParameter& param) {\n' +
        '  const std::string& type = param.type();\n  if (type == "constant") { return new ConstantFiller<Dtype>(param); }\n' +
        '  else if (type == "EdgeX") { return new EdgeXFiller<Dtype>(param); }\n' +
        '  // else if (type == "Commented") {}\n  else if (type == "EdgeY") { return new EdgeYFiller<Dtype>(param); }\n' +
        '  return (Filler<Dtype>*)(NULL);\n}\n',
    );
    const conv = (name: string, filler: string) =>
      `layer { name: "${name}" type: "Convolution" bottom: "data" top: "${name}" convolution_param { num_output: 1 kernel_size: 3 bias_term: false weight_filler { type: "${filler}" } } }\n`;
    write(
      path.join(root, 'models/net.prototxt'),
      'name: "n"\nlayer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }\n' +
        conv('gx', 'EdgeX') +
        conv('gy', 'EdgeY') +
        conv('c', 'Commented'),
    );
    const { out } = await runCliIn(root, ['check', '--root', root, 'models/net.prototxt']);
    const fillers = out.split('\n').filter((l) => l.includes('[filler-type]'));
    assert.equal(fillers.length, 1, out);
    assert.match(fillers[0], /^models\/net\.prototxt:5:\d+: warning: Caffe has no filler "Commented"/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
