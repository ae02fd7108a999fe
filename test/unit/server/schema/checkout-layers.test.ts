// The layer types a Caffe checkout registers, read from its C++ sources, and what a check says with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { spawnSync } from 'node:child_process';
import {
  classDeclarationsIn,
  declaredCounts,
  paramsReadIn,
  readCheckoutLayerTypes,
  registrationsIn,
  setUpDefinitionsIn,
} from '../../../../server/src/schema/checkout-layers';
import { BVLC_LAYER_TYPES } from '../../../../server/src/schema/layer-types';
import { SchemaProvider } from '../../../../server/src/workspace/schema-provider';
import { CORE_TYPES, layersProto, writeCheckout } from '../../../helpers/caffe-checkout';
import { needs, pycaffeEnv, pycaffePath, SYSTEM_PYTHON } from '../../../helpers/resources';

test('registrations: both macros, any spacing; comments and macro definitions are no registration', () => {
  const source = [
    '#include "caffe/layer_factory.hpp"',
    '#define REGISTER_LAYER_CLASS(type) something(type)',
    '// REGISTER_LAYER_CLASS(Commented);',
    '/* REGISTER_LAYER_CLASS(Blocked);',
    '   REGISTER_LAYER_CLASS(StillBlocked); */',
    'INSTANTIATE_CLASS(CenterLossLayer);',
    'REGISTER_LAYER_CLASS(CenterLoss);',
    'REGISTER_LAYER_CREATOR( Convolution , GetConvolutionLayer);',
    '  REGISTER_LAYER_CLASS_R(Fork);',
  ].join('\n');
  assert.deepEqual(registrationsIn(source), [
    { type: 'CenterLoss', line: 6 },
    { type: 'Convolution', line: 7 },
    { type: 'Fork', line: 8 },
  ]);
  assert.deepEqual(registrationsIn('int main() {}'), []);
});

const CORE = CORE_TYPES;

/** A folder with a Caffe checkout (`caffe/`: its proto and layer sources) and a net beside it. */
function workspace(layers: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-layers-'));
  writeCheckout(
    path.join(dir, 'caffe'),
    layers.filter((t) => !CORE.includes(t)),
    layers.filter((t) => CORE.includes(t)),
  );
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(
    path.join(dir, 'models', 'net.prototxt'),
    [
      'name: "n"',
      'layer { name: "c" type: "CenterLoss" top: "a" }',
      'layer { name: "s" type: "Sparsify" bottom: "a" top: "b" }',
      'layer { name: "r" type: "ReLU" bottom: "b" top: "b" }',
      '',
    ].join('\n'),
  );
  return dir;
}

async function typeLines(dir: string): Promise<string[]> {
  let out = '';
  await runCli(['check', '--root', dir, 'models/net.prototxt'], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    cwd: dir,
  });
  return out.split('\n').filter((l) => /layer-type/.test(l));
}

test("a checkout's sources decide which types are registered: its own are known, others named", async () => {
  const dir = workspace([...CORE, 'CenterLoss']);
  try {
    const read = readCheckoutLayerTypes(path.join(dir, 'caffe'));
    assert.deepEqual([...(read?.types ?? [])].sort(), ['CenterLoss', ...CORE].sort());
    assert.equal(
      read?.registrations.get('CenterLoss')?.file,
      path.join(dir, 'caffe/src/caffe/layers/centerloss_layer.cpp'),
    );
    const lines = await typeLines(dir);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0],
      /^models\/net\.prototxt:3:25: warning: Unknown layer type: Sparsify: the Caffe checkout at caffe, whose caffe\.proto this file is checked against, does not register it, so building this net fails there\. .*\[layer-type-not-registered\]$/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkout whose sources do not register the core types is no whole list: the known types and its own decide', async () => {
  const dir = workspace(['Convolution', 'CenterLoss']);
  try {
    assert.equal(readCheckoutLayerTypes(path.join(dir, 'caffe')), undefined);
    // CenterLoss is registered by a source of the repository: not unknown; Sparsify is.
    const lines = await typeLines(dir);
    assert.deepEqual(
      lines.map((l) => l.replace(/: warning: .*\[/, ' [')),
      ['models/net.prototxt:3:25 [unknown-layer-type]'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the parameter blocks a layer source reads, comments left out', () => {
  const source = [
    'template <typename Dtype>',
    'void CenterLossLayer<Dtype>::LayerSetUp(...) {',
    '  const int num_output = this->layer_param_.center_loss_param().num_output();',
    '  // this->layer_param_.unused_param()',
    '  if (this->layer_param().center_loss_param().has_center_filler()) {}',
    '  const LossParameter& loss = this->layer_param_.loss_param();',
    '}',
  ].join('\n');
  assert.deepEqual(paramsReadIn(source), ['center_loss_param', 'loss_param']);
});

test('declared counts: the most derived override wins, up to Layer; a computed one is not guessed', () => {
  const header = `
template <typename Dtype>
class LossLayer : public Layer<Dtype> {
 public:
  virtual inline int ExactNumBottomBlobs() const { return 2; }
  virtual inline bool AutoTopBlobs() const { return true; }
  virtual inline int ExactNumTopBlobs() const { return 1; }
};
template <typename Dtype>
class SoftmaxWithLossLayer : public LossLayer<Dtype> {
 public:
  explicit SoftmaxWithLossLayer(const LayerParameter& param) : LossLayer<Dtype>(param) {}
  virtual inline int ExactNumTopBlobs() const { return -1; }
  virtual inline int MinTopBlobs() const { return 1; }
  // A fork's per-instance loss as a third top.
  virtual inline int MaxTopBlobs() const { return 3; }
};
template <typename Dtype>
class PoolingLayer : public Layer<Dtype> {
  virtual inline int MaxTopBlobs() const {
    return (this->layer_param_.pooling_param().pool() == PoolingParameter_PoolMethod_MAX) ? 2 : 1;
  }
};
class OrphanLayer : public MissingBase<Dtype> { };
`;
  const classes = classDeclarationsIn(header);
  assert.deepEqual(declaredCounts('SoftmaxWithLossLayer', classes), {
    exactBottom: 2,
    minBottom: -1,
    maxBottom: -1,
    exactTop: -1,
    minTop: 1,
    maxTop: 3,
    equal: false,
    auto: true,
    loss: true,
  });
  assert.equal(declaredCounts('PoolingLayer', classes), undefined);
  assert.equal(declaredCounts('OrphanLayer', classes), undefined);
  assert.equal(declaredCounts('NoSuchLayer', classes), undefined);
});

test("a LossLayer whose own LayerSetUp calls no base's adds no default loss weight (mscnn's DetectionAccuracy)", () => {
  const header = `
class LossLayer : public Layer<Dtype> {
  virtual inline int ExactNumBottomBlobs() const { return 2; }
  virtual inline bool AutoTopBlobs() const { return true; }
  virtual inline int ExactNumTopBlobs() const { return 1; }
};
class SoftmaxWithLossLayer : public LossLayer<Dtype> {
  virtual inline int ExactNumTopBlobs() const { return -1; }
  virtual inline int MinTopBlobs() const { return 1; }
  virtual inline int MaxTopBlobs() const { return 2; }
};
class DetectionAccuracyLayer : public LossLayer<Dtype> {
  virtual inline int ExactNumTopBlobs() const { return -1; }
  virtual inline int MaxTopBlobs() const { return 2; }
};
class EuclideanLossLayer : public LossLayer<Dtype> {};
`;
  const sources = `
template <typename Dtype>
void SoftmaxWithLossLayer<Dtype>::LayerSetUp(
    const vector<Blob<Dtype>*>& bottom, const vector<Blob<Dtype>*>& top) {
  LossLayer<Dtype>::LayerSetUp(bottom, top);
  if (true) { softmax_axis_ = 1; }
}
template <typename Dtype>
void DetectionAccuracyLayer<Dtype>::LayerSetUp(const vector<Blob<Dtype>*>& bottom,
    const vector<Blob<Dtype>*>& top) {
  // LossLayer<Dtype>::LayerSetUp(bottom, top); is not called
  cls_num_ = this->layer_param_.detection_accuracy_param().cls_num();
}
template <typename Dtype>
void NaiveTripletLossLayer<Dtype>::LayerSetUp(const vector<Blob<Dtype>*>& bottom,
    const vector<Blob<Dtype>*>& top) {
  LossLayer<Dtype>::LayerSetUp(bottom, top);
  this->layer_param_.add_loss_weight(Dtype(0));
}
`;
  const setUps = setUpDefinitionsIn(sources);
  assert.deepEqual(
    [...setUps],
    [
      ['SoftmaxWithLossLayer', true],
      ['DetectionAccuracyLayer', false],
      // caffe-sl's: it weighs its second top itself.
      ['NaiveTripletLossLayer', false],
    ],
  );
  const classes = classDeclarationsIn(header);
  assert.equal(declaredCounts('SoftmaxWithLossLayer', classes, setUps)?.loss, true);
  assert.equal(declaredCounts('DetectionAccuracyLayer', classes, setUps)?.loss, false);
  // No LayerSetUp of its own: LossLayer's runs.
  assert.equal(declaredCounts('EuclideanLossLayer', classes, setUps)?.loss, true);
});

test("a checkout's declared counts decide a layer's blob count, a fork's own types included", async () => {
  const dir = workspace([...CORE, 'CenterLoss', 'ImageSegData']);
  try {
    const include = path.join(dir, 'caffe', 'include', 'caffe', 'layers');
    fs.mkdirSync(include, { recursive: true });
    // DeepLab's data layer adds its missing tops like a loss (AutoTopBlobs) but is no LossLayer: its
    // three tops need no loss weights.
    fs.writeFileSync(
      path.join(include, 'image_seg_data_layer.hpp'),
      'class ImageSegDataLayer : public Layer<Dtype> {\n  virtual inline int ExactNumBottomBlobs() const { return 0; }\n' +
        '  virtual inline int MinTopBlobs() const { return 1; }\n  virtual inline int MaxTopBlobs() const { return 3; }\n' +
        '  virtual inline bool AutoTopBlobs() const { return true; }\n};\n',
    );
    fs.appendFileSync(
      path.join(dir, 'models', 'net.prototxt'),
      'layer { name: "seg" type: "ImageSegData" top: "data" top: "label" top: "data_dim" }\n',
    );
    fs.writeFileSync(
      path.join(include, 'relu_layer.hpp'),
      'class ReLULayer : public NeuronLayer<Dtype> {};\n',
    );
    fs.writeFileSync(
      path.join(include, 'neuron_layer.hpp'),
      'class NeuronLayer : public Layer<Dtype> {\n  virtual inline int ExactNumBottomBlobs() const { return 1; }\n  virtual inline int ExactNumTopBlobs() const { return 1; }\n};\n',
    );
    fs.writeFileSync(
      path.join(include, 'center_loss_layer.hpp'),
      'class CenterLossLayer : public Layer<Dtype> {\n  virtual inline int ExactNumBottomBlobs() const { return 2; }\n  virtual inline int ExactNumTopBlobs() const { return 1; }\n};\n',
    );
    let out = '';
    await runCli(['check', '--root', dir, 'models/net.prototxt'], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      cwd: dir,
    });
    const counts = out.split('\n').filter((l) => l.includes('[blob-count]'));
    // CenterLoss is written with no bottom: the checkout's class takes exactly 2.
    assert.deepEqual(
      counts.map((l) => l.replace(/ \[blob-count\]$/, '')),
      [
        'models/net.prototxt:2:25: error: CenterLoss takes 2 bottoms, this layer has none: Caffe stops building the net ("CenterLoss Layer takes 2 bottom blob(s) as input.")',
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "the built Caffe's checkout: the types pycaffe registers, and the counts BVLC's classes declare",
  needs('pycaffe'),
  () => {
    const python = pycaffePath() as string;
    const listed = spawnSync(
      SYSTEM_PYTHON,
      ['-c', 'import caffe; print("\\n".join(caffe.layer_type_list()))'],
      {
        env: pycaffeEnv(),
        encoding: 'utf8',
      },
    );
    assert.equal(listed.status, 0, listed.stderr);
    const read = readCheckoutLayerTypes(path.dirname(python));
    assert.ok(read, 'the checkout is read');
    // The sources register every type the build does; two more only under USE_OPENCV, which this CPU
    // build leaves off (the scan reads the sources, not the build's configuration).
    const registered = new Set(listed.stdout.trim().split('\n'));
    assert.deepEqual(
      [...registered].filter((t) => !read.types.has(t)),
      [],
    );
    assert.deepEqual([...read.types].filter((t) => !registered.has(t)).sort(), ['ImageData', 'WindowData']);
    // Every class with plain declarations agrees with the table the BVLC checks use (a loss layer's
    // table allows no top: Net::Init adds it, so the class's minimum of 1 is the table's 0).
    const bound = (exact: number, min: number, max: number) =>
      exact >= 0 ? [exact, exact] : [Math.max(0, min), max >= 0 ? max : Infinity];
    const differ: string[] = [];
    for (const t of BVLC_LAYER_TYPES) {
      const c = read.counts.get(t.type);
      if (!c) continue;
      const tops = bound(c.exactTop, c.minTop, c.maxTop);
      if (c.auto) tops[0] = 0;
      const ours = (r: { min: number; max?: number } | undefined) =>
        r ? [r.min, r.max ?? Infinity] : [0, Infinity];
      const same =
        JSON.stringify(bound(c.exactBottom, c.minBottom, c.maxBottom)) === JSON.stringify(ours(t.bottoms)) &&
        JSON.stringify(tops) === JSON.stringify(ours(t.tops)) &&
        c.equal === Boolean(t.equalBottomTop);
      if (!same) differ.push(t.type);
    }
    assert.deepEqual(differ, []);
    // Only the classes whose counts depend on their parameters are left out.
    assert.deepEqual([...read.types].filter((t) => !read.counts.has(t)).sort(), ['LSTM', 'Pooling', 'RNN']);
  },
);

test("a block the checkout's own source reads for a type is no 'not read by' warning", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-params-'));
  try {
    // A fork's Normalize reading pooling_param (SSD's reads norm_param only).
    const source = writeCheckout(path.join(dir, 'caffe'), ['Normalize']).get('Normalize') as string;
    const proto = path.join(dir, 'caffe', 'src', 'caffe', 'proto', 'caffe.proto');
    fs.writeFileSync(
      proto,
      fs
        .readFileSync(proto, 'utf8')
        .replace(
          'repeated string top = 4;',
          'repeated string top = 4;\n  optional PoolingParameter pooling_param = 121;',
        ) + 'message PoolingParameter { optional uint32 kernel_size = 2; }\n',
    );
    fs.mkdirSync(path.join(dir, 'models'));
    const net =
      'layer { name: "n" type: "Normalize" bottom: "x" top: "y" pooling_param { kernel_size: 2 } }\n';
    fs.writeFileSync(path.join(dir, 'models', 'net.prototxt'), net);
    const mismatches = async () => {
      let out = '';
      await runCli(['check', '--root', dir, 'models/net.prototxt'], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        cwd: dir,
      });
      return out.split('\n').filter((l) => l.includes('[param-type-mismatch]')).length;
    };
    assert.equal(await mismatches(), 1, 'the source reads no block: the known types decide');
    fs.appendFileSync(source, 'int k = this->layer_param_.pooling_param().kernel_size();\n');
    assert.equal(await mismatches(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the schema provider reads a checkout's sources again once a layer file is added", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-stamp-'));
  try {
    const checkout = path.join(dir, 'caffe');
    writeCheckout(checkout);
    const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [dir]);
    const net = path.join(checkout, 'models', 'net.prototxt');
    assert.equal(provider.schemaFor(net).layerTypes?.types.has('CenterLoss'), false);
    // A new layer file changes its folder's modification time.
    const layers = path.join(checkout, 'src', 'caffe', 'layers');
    const before = fs.statSync(layers).mtimeMs;
    fs.writeFileSync(path.join(layers, 'center_loss_layer.cpp'), 'REGISTER_LAYER_CLASS(CenterLoss);\n');
    fs.utimesSync(layers, new Date(), new Date(before + 5000));
    const after = provider.schemaFor(net);
    assert.equal(after.layerTypes?.types.has('CenterLoss'), true);
    assert.equal(after.schema.checkout, after.layerTypes);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an in-place Reshape is refused only where the checkout's own Reshape source refuses it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-in-place-'));
  try {
    // ECO's caffe_3d: a Reshape from before BVLC's CHECK_NE(top[0], bottom[0]).
    const source = writeCheckout(path.join(dir, 'caffe'), ['Reshape', 'Input']).get('Reshape') as string;
    fs.writeFileSync(
      path.join(dir, 'caffe', 'src', 'caffe', 'proto', 'caffe.proto'),
      layersProto(
        ['optional InputParameter input_param = 143;'],
        'message InputParameter { repeated BlobShape shape = 1; }\nmessage BlobShape { repeated int64 dim = 1 [packed = true]; }\n',
      ),
    );
    fs.mkdirSync(path.join(dir, 'models'));
    fs.writeFileSync(
      path.join(dir, 'models', 'net.prototxt'),
      'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 } } }\n' +
        'layer { name: "a" type: "ReLU" bottom: "x" top: "y" }\nlayer { name: "r" type: "Reshape" bottom: "y" top: "y" }\n',
    );
    const inPlace = async () => {
      let out = '';
      await runCli(['check', '--root', dir, 'models/net.prototxt'], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        cwd: dir,
      });
      return out.split('\n').filter((l) => l.includes('does not allow in-place computation'));
    };
    assert.deepEqual(readCheckoutLayerTypes(path.join(dir, 'caffe'))?.notInPlace, new Set());
    assert.deepEqual(await inPlace(), []);
    fs.appendFileSync(
      source,
      'void f() {\n  CHECK_NE(top[0], bottom[0]) << this->type() << " Layer does not "\n      "allow in-place computation.";\n}\n',
    );
    assert.deepEqual(readCheckoutLayerTypes(path.join(dir, 'caffe'))?.notInPlace, new Set(['Reshape']));
    assert.equal((await inPlace()).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
