// A filler type Caffe does not know stops it as it makes a layer's blobs ("Unknown filler name: X"),
// only for the fillers the layer reads. Run through caffe.Net; a checkout's own fillers (a fork's
// "gabor") come from the header that defines GetFiller.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILLERS } from '../../../../../server/src/analysis/checks/filler-type';
import { readCheckoutLayerTypes } from '../../../../../server/src/schema/checkout-layers';
import { assertCaffeRefuses } from '../../../../helpers/pycaffe-nets';
import { layersProto, writeCheckout } from '../../../../helpers/caffe-checkout';
import { has, needs, pycaffePath } from '../../../../helpers/resources';
import { quickFixAt } from '../../../../helpers/quick-fix';
import { runCliIn } from '../../../../helpers/run-cli';
import { check } from './helpers';

const INPUT = `name: "fillers"
layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 dim: 4 dim: 4 } } }
`;

interface Case {
  what: string;
  layer: string;
  /** The severity told (undefined: nothing), and Caffe's words when it stops (undefined: it builds). */
  told?: 'error' | 'warning';
  caffe?: string;
}

const CASES: Case[] = [
  {
    what: 'a convolution weight filler in capitals',
    layer:
      'type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: 2 kernel_size: 3 weight_filler { type: "Xavier" } }',
    told: 'error',
    caffe: 'Unknown filler name: Xavier',
  },
  {
    what: 'a bias filler without a bias term is never made',
    layer:
      'type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: 2 kernel_size: 3 bias_term: false bias_filler { type: "Constant" } }',
  },
  {
    what: 'an inner product bias filler of a name BVLC lacks',
    layer:
      'type: "InnerProduct" bottom: "x" top: "y" inner_product_param { num_output: 2 bias_filler { type: "zeros" } }',
    told: 'warning',
    caffe: 'Unknown filler name: zeros',
  },
  {
    what: "a Scale's filler",
    layer: 'type: "Scale" bottom: "x" top: "y" scale_param { filler { type: "MSRA" } }',
    told: 'error',
    caffe: 'Unknown filler name: MSRA',
  },
  {
    what: "a Scale's bias filler without bias_term (false by default)",
    layer: 'type: "Scale" bottom: "x" top: "y" scale_param { bias_filler { type: "Constant" } }',
  },
  {
    what: "a Scale's bias filler with bias_term",
    layer:
      'type: "Scale" bottom: "x" top: "y" scale_param { bias_term: true bias_filler { type: "Constant" } }',
    told: 'error',
    caffe: 'Unknown filler name: Constant',
  },
  {
    what: 'a Scale whose scale is its second bottom makes no blob',
    layer: 'type: "Scale" bottom: "x" bottom: "x" top: "y" scale_param { axis: 0 filler { type: "MSRA" } }',
  },
  {
    what: "a PReLU's filler",
    layer: 'type: "PReLU" bottom: "x" top: "y" prelu_param { filler { type: "Gaussian" } }',
    told: 'error',
    caffe: 'Unknown filler name: Gaussian',
  },
  {
    what: "DummyData's filler",
    layer: 'type: "DummyData" top: "y" dummy_data_param { shape { dim: 2 } data_filler { type: "Uniform" } }',
    told: 'error',
    caffe: 'Unknown filler name: Uniform',
  },
  {
    what: 'every BVLC filler',
    layer:
      'type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: 2 kernel_size: 3 ' +
      'weight_filler { type: "msra" } bias_filler { type: "constant" } }',
  },
];

const netOf = (c: Case) => `${INPUT}layer { name: "under_test" ${c.layer} }\n`;

for (const c of CASES) {
  test(`filler type: ${c.what}`, () => {
    const text = netOf(c);
    const found = check(text).filter((f) => f.code === 'filler-type');
    if (c.told === undefined) {
      assert.deepEqual(found, []);
      return;
    }
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, c.told);
    assert.ok(found[0].message.includes(`("${c.caffe}")`), found[0].message);
  });
}

test('the message lists the names; a name in other letters gets the name as its fix', () => {
  const [d] = check(netOf(CASES[0])).filter((f) => f.code === 'filler-type');
  assert.equal(
    d.message,
    'Caffe has no filler "Xavier" (the names are case-sensitive): it knows "constant", "gaussian", "positive_unitball", "uniform", "xavier", "msra", "bilinear", and stops as it makes under_test\'s blobs ("Unknown filler name: Xavier").',
  );
  assert.deepEqual(d.suggestions, ['"xavier"']);
  const fix = quickFixAt(
    'layer { name: "c" type: "Convolution" convolution_param { num_output: 2 kernel_size: 3 weight_filler { type: "Xa<|>vier" } } }\n',
    (title) => title.startsWith('Change to'),
  );
  assert.equal(fix?.title, 'Change to "xavier"');
  assert.match(fix?.text ?? '', /weight_filler \{ type: "xavier" \}/);
  const [other] = check(netOf(CASES[2])).filter((f) => f.code === 'filler-type');
  assert.match(other.message, / A fork of Caffe may add it\.$/);
  assert.equal(other.suggestions, undefined);
  // A fork's filler that public nets use names the Caffes that make it.
  const diagonal = check(
    'layer { name: "up" type: "Deconvolution" bottom: "a" top: "up" convolution_param { num_output: 2 kernel_size: 4 weight_filler { type: "diagonal" } } }\n',
  ).filter((f) => f.code === 'filler-type');
  assert.equal(diagonal.length, 1);
  assert.equal(diagonal[0].severity, 'warning');
  assert.match(
    diagonal[0].message,
    /\("Unknown filler name: diagonal"\)\. FlowNet 2\.0's Caffe \(lmb-freiburg\/flownet2\), the Caffes built on it and Synopsys Caffe make it: if the net is written for one of them, check it against its caffe\.proto/,
  );
});

test('caffe.Net stops on exactly the fillers told, in the same words', (t) => {
  if (!has(t, 'pycaffe')) return;
  assertCaffeRefuses(CASES, netOf, 'TEST');
});

test("BVLC's own sources make exactly the fillers the check knows", needs('pycaffe'), () => {
  const read = readCheckoutLayerTypes(path.dirname(pycaffePath() as string));
  assert.deepEqual([...(read?.solvers.fillers ?? [])].sort(), [...FILLERS].sort());
});

/** A filler header of a fork: BVLC's constant and its own gabor, as GetFiller compares them. */
const FILLER_HEADER = `// Fillers.
template <typename Dtype>
class GaborFiller : public Filler<Dtype> { void Fill() { if (type == "not_a_filler_name") {} } };
template <typename Dtype>
Filler<Dtype>* GetFiller(const FillerParameter& param) {
  const std::string& type = param.type();
  if (type == "constant") { return new ConstantFiller<Dtype>(param); }
  // } else if (type == "commented") {
  } else if (type == "gabor") { return new GaborFiller<Dtype>(param); }
  CHECK(false) << "Unknown filler name: " << param.type();
}
`;

test("under a checkout's caffe.proto, its own fillers are the ones known, and others are errors", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-fillers-'));
  try {
    const root = path.join(dir, 'caffe');
    writeCheckout(root);
    fs.writeFileSync(
      path.join(root, 'src', 'caffe', 'proto', 'caffe.proto'),
      layersProto(
        ['optional InnerProductParameter inner_product_param = 117;'],
        'message InnerProductParameter { optional uint32 num_output = 1; optional FillerParameter weight_filler = 3; }\n' +
          'message FillerParameter { optional string type = 1 [default = "constant"]; }\n',
      ),
    );
    fs.mkdirSync(path.join(root, 'include', 'caffe'), { recursive: true });
    fs.writeFileSync(path.join(root, 'include', 'caffe', 'filler.hpp'), FILLER_HEADER);
    assert.deepEqual([...(readCheckoutLayerTypes(root)?.solvers.fillers ?? [])].sort(), [
      'constant',
      'gabor',
    ]);
    const net = (type: string) =>
      `name: "n"\nlayer { name: "fc" type: "InnerProduct" inner_product_param { num_output: 2 weight_filler { type: "${type}" } } }\n`;
    fs.mkdirSync(path.join(dir, 'models'));
    const lines = async (type: string) => {
      fs.writeFileSync(path.join(dir, 'models', 'net.prototxt'), net(type));
      const { out } = await runCliIn(dir, ['check', '--root', dir, 'models/net.prototxt']);
      return out.split('\n').filter((l) => l.endsWith('[filler-type]'));
    };
    assert.deepEqual(await lines('gabor'), []);
    assert.deepEqual(await lines('xavier'), [
      'models/net.prototxt:2:99: error: The Caffe checkout at caffe has no filler "xavier": it knows "constant", "gabor", and stops as it makes fc\'s blobs ("Unknown filler name: xavier"). [filler-type]',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
