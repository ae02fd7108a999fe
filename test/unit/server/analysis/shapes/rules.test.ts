import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { Schema } from '../../../../../server/src/schema/schema';
import { loadParser } from './test-parse';

const parsed = loadParser();

/** Infers a TEST-phase net made of an input of `shape` followed by `layers`. */
async function run(shape: number[], layers: string, schema?: Schema) {
  const text = `input: "data" input_shape { ${shape.map((d) => `dim: ${d}`).join(' ')} }\n${layers}`;
  const result = inferShapes(buildNet((await parsed)(text)), 'TEST', schema);
  const top = (name: string) => result.blobs.get(name);
  const layer = (name: string) => result.layers.find((l) => l.layer.name === name)!;
  return { result, top, layer, text };
}

test('Convolution: 2-D, kernel_h/w, pad/stride/dilation per axis, group, N-D, params and MACs', async () => {
  const { top, layer } = await run(
    [1, 3, 224, 224],
    `layer { name: "c1" type: "Convolution" bottom: "data" top: "c1" convolution_param { num_output: 64 kernel_size: 7 stride: 2 pad: 3 } }
layer { name: "c2" type: "Convolution" bottom: "c1" top: "c2" convolution_param { num_output: 32 kernel_h: 3 kernel_w: 1 pad_h: 1 bias_term: false group: 2 } }
layer { name: "c3" type: "Convolution" bottom: "c2" top: "c3" convolution_param { num_output: 8 kernel_size: 3 dilation: 2 pad: 2 } }`,
  );
  assert.deepEqual(top('c1'), [1, 64, 112, 112]);
  assert.equal(layer('c1').params, 64 * 3 * 49 + 64);
  assert.equal(layer('c1').macs, 64 * 112 * 112 * 3 * 49);
  assert.deepEqual(top('c2'), [1, 32, 112, 112]);
  assert.equal(layer('c2').params, 32 * 32 * 3); // 64/2 input channels per group, 3x1 kernel, no bias
  assert.deepEqual(top('c3'), [1, 8, 112, 112]);
  const nd = await run(
    [2, 4, 8, 10, 12],
    `layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 6 kernel_size: [3, 3, 5] stride: 2 } }`,
  );
  assert.deepEqual(nd.top('c'), [2, 6, 3, 4, 4]);
  assert.equal(nd.layer('c').params, 6 * 4 * 45 + 6);
  const ax = await run(
    [5, 3, 10],
    `layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 3 axis: 2 } }`,
  );
  assert.deepEqual(ax.top('c'), [5, 3, 2]); // channel axis 2, no spatial axes
});

test('Deconvolution: output size and [in, out/group, k] weights', async () => {
  const { top, layer } = await run(
    [1, 21, 16, 16],
    `layer { name: "up" type: "Deconvolution" bottom: "data" top: "up" convolution_param { num_output: 21 kernel_size: 4 stride: 2 pad: 1 group: 21 bias_term: false } }`,
  );
  assert.deepEqual(top('up'), [1, 21, 32, 32]);
  assert.equal(layer('up').params, 21 * 1 * 16);
  assert.equal(layer('up').macs, 21 * 16 * 16 * 16);
});

test('a kernel larger than its padded input is an error, and the top is unknown', async () => {
  const { top, result, text } = await run(
    [1, 3, 4, 4],
    `layer { name: "big" type: "Convolution" bottom: "data" top: "big" convolution_param { num_output: 2 kernel_size: 7 pad: 1 } }
layer { name: "after" type: "ReLU" bottom: "big" top: "after" }`,
  );
  assert.equal(top('big'), null);
  assert.equal(top('after'), null);
  const p = result.problems.find((d) => d.code === 'kernel-too-large')!;
  assert.equal(p.severity, 'error');
  assert.equal(text.slice(p.start, p.end), '"big"');
  assert.match(p.message, /7 is larger than the padded input 6/);
});

test('Pooling: ceil rounding, FLOOR round_mode, global pooling, two tops', async () => {
  const { top } = await run(
    [1, 64, 112, 112],
    `layer { name: "p1" type: "Pooling" bottom: "data" top: "p1" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer { name: "p2" type: "Pooling" bottom: "data" top: "p2" pooling_param { kernel_size: 3 stride: 2 pad: 1 } }
layer { name: "p3" type: "Pooling" bottom: "data" top: "p3" pooling_param { kernel_size: 3 stride: 2 pad: 1 round_mode: FLOOR } }
layer { name: "g" type: "Pooling" bottom: "data" top: "g" top: "mask" pooling_param { pool: MAX global_pooling: true } }`,
  );
  assert.deepEqual(top('p1'), [1, 64, 56, 56]);
  assert.deepEqual(top('p2'), [1, 64, 57, 57]);
  assert.deepEqual(top('p3'), [1, 64, 56, 56]);
  assert.deepEqual(top('g'), [1, 64, 1, 1]);
  assert.deepEqual(top('mask'), [1, 64, 1, 1]);
  // kernel_size is what Caffe reads when it is given; a lone kernel_h beside it is left unread.
  const lone = await run(
    [1, 64, 112, 112],
    'layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { kernel_size: 2 kernel_h: 3 stride: 2 } }',
  );
  assert.deepEqual(lone.top('p'), [1, 64, 56, 56]);
});

test('Pooling in a Caffe whose kernel_size, stride and pad are lists: each spatial axis of a clip', async () => {
  // video-caffe's and R-C3D's caffe.proto: PoolingParameter's kernel_size, stride and pad repeated.
  const bvlc = loadBundledSchema().data;
  const nd = new Schema(
    {
      ...bvlc,
      messages: bvlc.messages.map((m) =>
        m.fullName !== 'caffe.PoolingParameter'
          ? m
          : {
              ...m,
              fields: m.fields.map((f) =>
                ['kernel_size', 'stride', 'pad'].includes(f.name) ? { ...f, label: 'repeated' as const } : f,
              ),
            },
      ),
    },
    { kind: 'user', label: 'N-D pooling' },
  );
  const pool = (name: string, param: string) =>
    `layer { name: "${name}" type: "Pooling" bottom: "data" top: "${name}" pooling_param { ${param} } }\n`;
  const { top, result } = await run(
    [1, 64, 768, 112, 112],
    pool('p1', 'pool: MAX kernel_size: [1, 2, 2] stride: [1, 2, 2]') +
      pool('p2', 'kernel_size: 2 stride: 2') +
      pool('p3', 'kernel_size: 3 stride: 2 pad: [0, 1, 1]') +
      pool('g', 'pool: AVE global_pooling: true'),
    nd,
  );
  assert.deepEqual(
    result.problems.map((p) => p.message),
    [],
  );
  assert.deepEqual(top('p1'), [1, 64, 768, 56, 56]);
  assert.deepEqual(top('p2'), [1, 64, 384, 56, 56]);
  assert.deepEqual(top('p3'), [1, 64, 384, 57, 57]);
  assert.deepEqual(top('g'), [1, 64, 1, 1, 1]);
  // Its LayerSetUp's CHECKs: a list of another length, a kernel with global pooling.
  const wrong = await run([1, 4, 8, 8, 8], pool('p', 'kernel_size: [2, 2]'), nd);
  assert.match(
    wrong.result.problems[0]?.message ?? '',
    /kernel_size must be given once or once per spatial axis \(3\)/,
  );
  const global = await run([1, 4, 8, 8, 8], pool('p', 'global_pooling: true kernel_size: 2'), nd);
  assert.match(
    global.result.problems[0]?.message ?? '',
    /With Global_pooling: true Filter size cannot specified/,
  );
  // Under BVLC's proto a clip cannot be pooled.
  const bvlcRun = await run([1, 4, 8, 8, 8], pool('p', 'kernel_size: 2'));
  assert.match(
    bvlcRun.result.problems[0]?.message ?? '',
    /Pooling needs a 4-axis input \(N×C×H×W\), got 5 axes: Caffe stops \("Input must have 4 axes, corresponding to \(num, channels, height, width\)"\)\. Pooling more spatial axes is a fork's/,
  );
  const flat = await run([4, 8], pool('p', 'kernel_size: 2'));
  assert.match(flat.result.problems[0]?.message ?? '', /got 2 axes: Caffe stops \("Input must have 4 axes/);
  assert.doesNotMatch(flat.result.problems[0]?.message ?? '', /fork/);
});

test('InnerProduct with axis; Embed; Flatten; Reshape; Softmax keeps the shape', async () => {
  const { top, layer } = await run(
    [2, 3, 4, 5],
    `layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 10 } }
layer { name: "fc2" type: "InnerProduct" bottom: "data" top: "fc2" inner_product_param { num_output: 7 axis: 2 bias_term: false } }
layer { name: "fl" type: "Flatten" bottom: "data" top: "fl" flatten_param { axis: 1 end_axis: 2 } }
layer { name: "rs" type: "Reshape" bottom: "data" top: "rs" reshape_param { shape { dim: 0 dim: -1 dim: 2 } } }
layer { name: "sm" type: "Softmax" bottom: "fc" top: "sm" }
layer { name: "em" type: "Embed" bottom: "fc" top: "em" embed_param { num_output: 16 input_dim: 100 } }`,
  );
  assert.deepEqual(top('fc'), [2, 10]);
  assert.equal(layer('fc').params, 60 * 10 + 10);
  assert.equal(layer('fc').macs, 2 * 60 * 10);
  assert.deepEqual(top('fc2'), [2, 3, 7]);
  assert.equal(layer('fc2').params, 4 * 5 * 7); // K spans every axis from `axis` on
  assert.deepEqual(top('fl'), [2, 12, 5]);
  assert.deepEqual(top('rs'), [2, 30, 2]);
  assert.deepEqual(top('sm'), [2, 10]);
  assert.deepEqual(top('em'), [2, 10, 16]);
  assert.equal(layer('em').params, 100 * 16 + 16);
});

test('Reshape whose count does not match is reported', async () => {
  const { top, result } = await run(
    [2, 3, 4],
    `layer { name: "rs" type: "Reshape" bottom: "data" top: "rs" reshape_param { shape { dim: 5 dim: 5 } } }`,
  );
  assert.equal(top('rs'), null);
  assert.equal(result.problems.filter((p) => p.code === 'reshape-count').length, 1);
});

test('Concat sums the axis and reports inputs that disagree; Eltwise reports a mismatch', async () => {
  const { top, result } = await run(
    [1, 8, 10, 10],
    `layer { name: "a" type: "Convolution" bottom: "data" top: "a" convolution_param { num_output: 4 kernel_size: 1 } }
layer { name: "b" type: "Convolution" bottom: "data" top: "b" convolution_param { num_output: 6 kernel_size: 3 } }
layer { name: "cat" type: "Concat" bottom: "data" bottom: "a" top: "cat" }
layer { name: "bad" type: "Concat" bottom: "a" bottom: "b" top: "bad" }
layer { name: "sum" type: "Eltwise" bottom: "a" bottom: "b" top: "sum" }
layer { name: "cat0" type: "Concat" bottom: "a" bottom: "a" top: "cat0" concat_param { axis: 0 } }`,
  );
  assert.deepEqual(top('cat'), [1, 12, 10, 10]);
  assert.equal(top('bad'), null);
  assert.deepEqual(top('cat0'), [2, 4, 10, 10]);
  const mismatches = result.problems.filter((p) => p.code === 'shape-mismatch');
  assert.equal(mismatches.length, 2);
  assert.match(mismatches[0].message, /Concat inputs disagree: .*, b is 1×6×8×8/);
  assert.match(mismatches[1].message, /Eltwise/);
});

test('Slice by points and evenly; Split; Crop; Tile; Reduction; ArgMax; Permute; BatchReindex', async () => {
  const { top } = await run(
    [4, 10, 6, 6],
    `layer { name: "s" type: "Slice" bottom: "data" top: "s1" top: "s2" top: "s3" slice_param { slice_point: 2 slice_point: 7 } }
layer { name: "e" type: "Slice" bottom: "data" top: "e1" top: "e2" slice_param { axis: 0 } }
layer { name: "sp" type: "Split" bottom: "data" top: "x" top: "y" }
layer { name: "cr" type: "Crop" bottom: "data" bottom: "s1" top: "cr" crop_param { axis: 1 offset: 1 } }
layer { name: "ti" type: "Tile" bottom: "data" top: "ti" tile_param { tiles: 3 } }
layer { name: "re" type: "Reduction" bottom: "data" top: "re" reduction_param { axis: 1 } }
layer { name: "am" type: "ArgMax" bottom: "data" top: "am" argmax_param { top_k: 5 out_max_val: true } }
layer { name: "am2" type: "ArgMax" bottom: "data" top: "am2" argmax_param { axis: 1 } }
layer { name: "pe" type: "Permute" bottom: "data" top: "pe" permute_param { order: 0 order: 2 order: 3 order: 1 } }
layer { name: "fl" type: "Flatten" bottom: "data" top: "fl" }
layer { name: "br" type: "BatchReindex" bottom: "data" bottom: "re" top: "br" }`,
  );
  assert.deepEqual(
    [top('s1'), top('s2'), top('s3')],
    [
      [4, 2, 6, 6],
      [4, 5, 6, 6],
      [4, 3, 6, 6],
    ],
  );
  assert.deepEqual(
    [top('e1'), top('e2')],
    [
      [2, 10, 6, 6],
      [2, 10, 6, 6],
    ],
  );
  assert.deepEqual(top('y'), [4, 10, 6, 6]);
  assert.deepEqual(top('cr'), [4, 2, 6, 6]);
  assert.deepEqual(top('ti'), [4, 30, 6, 6]);
  assert.deepEqual(top('re'), [4]);
  assert.deepEqual(top('am'), [4, 2, 5, 1]);
  assert.deepEqual(top('am2'), [4, 1, 6, 6]);
  assert.deepEqual(top('pe'), [4, 6, 6, 10]);
  assert.deepEqual(top('fl'), [4, 360]);
  assert.deepEqual(top('br'), [4, 10, 6, 6]);
});

test('pointwise layers keep the shape; Scale/Bias/PReLU learn per channel; BatchNorm statistics are apart', async () => {
  const { top, layer, result } = await run(
    [2, 16, 5, 5],
    `layer { name: "bn" type: "BatchNorm" bottom: "data" top: "data" }
layer { name: "sc" type: "Scale" bottom: "data" top: "data" scale_param { bias_term: true } }
layer { name: "bi" type: "Bias" bottom: "data" top: "data" }
layer { name: "pr" type: "PReLU" bottom: "data" top: "pr" }
layer { name: "el" type: "ELU" bottom: "pr" top: "el" }
layer { name: "lrn" type: "LRN" bottom: "el" top: "lrn" }
layer { name: "dr" type: "Dropout" bottom: "lrn" top: "lrn" }
layer { name: "pw" type: "Power" bottom: "lrn" top: "pw" }`,
  );
  assert.deepEqual(top('pw'), [2, 16, 5, 5]);
  assert.equal(layer('bn').params, 0);
  assert.equal(layer('bn').stats, 33);
  assert.equal(layer('sc').params, 32);
  assert.equal(layer('sc').macs, 2 * 16 * 25);
  assert.equal(layer('bi').params, 16);
  assert.equal(layer('pr').params, 16);
  assert.equal(result.totals.params, 64);
  assert.equal(result.totals.stats, 33);
});

test('losses give scalars, Accuracy a scalar and per-class counts, Silence nothing', async () => {
  const { top } = await run(
    [8, 10],
    `input: "label" input_shape { dim: 8 } layer { name: "loss" type: "SoftmaxWithLoss" bottom: "data" bottom: "label" top: "loss" top: "prob" }
layer { name: "acc" type: "Accuracy" bottom: "data" bottom: "label" top: "acc" top: "per_class" }
layer { name: "e" type: "EuclideanLoss" bottom: "data" bottom: "data" top: "e" }
layer { name: "si" type: "Silence" bottom: "data" }`,
  );
  assert.deepEqual(top('loss'), []);
  assert.deepEqual(top('prob'), [8, 10]);
  assert.deepEqual(top('acc'), []);
  assert.deepEqual(top('per_class'), [10]);
  assert.deepEqual(top('e'), []);
});

test('an unknown type or a Python layer makes its tops unknown and inference goes on', async () => {
  const { top, layer, result } = await run(
    [1, 3, 8, 8],
    `layer { name: "py" type: "Python" bottom: "data" top: "py" python_param { module: "m" layer: "L" } }
layer { name: "odd" type: "NoSuchLayer" bottom: "data" top: "odd" }
layer { name: "r" type: "ReLU" bottom: "py" top: "r" }
layer { name: "ok" type: "Convolution" bottom: "data" top: "ok" convolution_param { num_output: 2 kernel_size: 3 } }
layer { name: "loss" type: "EuclideanLoss" bottom: "py" bottom: "odd" top: "loss" }
layer { name: "u" type: "ReLU" bottom: "nowhere" top: "u" }`,
  );
  assert.equal(top('py'), null);
  assert.equal(top('odd'), null);
  assert.equal(top('r'), null);
  assert.deepEqual(top('ok'), [1, 2, 6, 6]);
  assert.deepEqual(top('loss'), []);
  assert.equal(layer('py').status, 'unknown-type');
  assert.equal(layer('odd').params, null);
  // py and odd have no rule; r and u have rules but no known input: all four are incomplete.
  assert.equal(result.totals.incomplete, 4);
  assert.equal(result.totals.unknownTops, 4);
  assert.equal(result.problems.filter((p) => p.code === 'shape-unknown-bottom').length, 1);
});

test('data layers: DummyData, MemoryData, ImageData, Data with crop and mean values, HDF5Data unknown', async () => {
  const text = `layer { name: "d" type: "DummyData" top: "d" top: "l" dummy_data_param { shape { dim: 4 dim: 3 dim: 2 dim: 2 } shape { dim: 4 } } }
layer { name: "dl" type: "DummyData" top: "dl" dummy_data_param { num: 2 channels: 1 height: 5 width: 6 } }
layer { name: "m" type: "MemoryData" top: "m" top: "ml" memory_data_param { batch_size: 8 channels: 3 height: 32 width: 32 } }
layer { name: "i" type: "ImageData" top: "i" top: "il" image_data_param { source: "x" batch_size: 16 new_height: 256 new_width: 200 is_color: false } }
layer { name: "db" type: "Data" top: "db" top: "dbl" transform_param { crop_size: 227 mean_value: 104 mean_value: 117 mean_value: 123 } data_param { batch_size: 50 } }
layer { name: "dn" type: "Data" top: "dn" top: "dnl" transform_param { mean_file: "m" } data_param { batch_size: 50 } }
layer { name: "h" type: "HDF5Data" top: "h" hdf5_data_param { batch_size: 10 } }`;
  const r = inferShapes(buildNet((await parsed)(text)), 'TRAIN');
  const t = (n: string) => r.blobs.get(n);
  assert.deepEqual([t('d'), t('l')], [[4, 3, 2, 2], [4]]);
  assert.deepEqual(t('dl'), [2, 1, 5, 6]);
  assert.deepEqual([t('m'), t('ml')], [[8, 3, 32, 32], [8]]);
  assert.deepEqual([t('i'), t('il')], [[16, 1, 256, 200], [16]]);
  assert.deepEqual([t('db'), t('dbl')], [[50, 3, 227, 227], [50]]);
  // The image size and colour come from the database: only the batch is known.
  assert.deepEqual([t('dn'), t('dnl')], [[50, NaN, NaN, NaN], [50]]);
  assert.equal(t('h'), null);
});

test('SSD PriorBox and Normalize, fast-rcnn ROIPooling, SPP', async () => {
  const { top, layer } = await run(
    [1, 512, 38, 38],
    `input: "rois" input_shape { dim: 128 dim: 5 }
layer { name: "n" type: "Normalize" bottom: "data" top: "n" norm_param { channel_shared: false } }
layer { name: "pb" type: "PriorBox" bottom: "n" bottom: "data" top: "pb" prior_box_param { min_size: 30 max_size: 60 aspect_ratio: 2 flip: true } }
layer { name: "roi" type: "ROIPooling" bottom: "data" bottom: "rois" top: "roi" roi_pooling_param { pooled_h: 7 pooled_w: 7 spatial_scale: 0.0625 } }
layer { name: "spp" type: "SPP" bottom: "data" top: "spp" spp_param { pyramid_height: 3 } }`,
  );
  assert.equal(layer('n').params, 512);
  assert.deepEqual(top('pb'), [1, 2, 38 * 38 * 4 * 4]);
  assert.deepEqual(top('roi'), [128, 512, 7, 7]);
  assert.deepEqual(top('spp'), [1, 512 * (1 + 4 + 16)]);
});

test('defaults come from the schema when one is given', async () => {
  const schema = new Schema(
    {
      package: 'caffe',
      enums: [],
      messages: [
        {
          fullName: 'caffe.LayerParameter',
          name: 'LayerParameter',
          fields: [
            {
              name: 'convolution_param',
              number: 106,
              label: 'optional',
              kind: 'message',
              type: 'caffe.ConvolutionParameter',
            },
          ],
        },
        {
          fullName: 'caffe.ConvolutionParameter',
          name: 'ConvolutionParameter',
          fields: [
            {
              name: 'bias_term',
              number: 2,
              label: 'optional',
              kind: 'scalar',
              type: 'bool',
              default: 'false',
            },
          ],
        },
      ],
    },
    { kind: 'bundled', label: 'test' },
  );
  const layers = `layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 } }`;
  assert.equal((await run([1, 3, 4, 4], layers, schema)).layer('c').params, 6);
  assert.equal((await run([1, 3, 4, 4], layers)).layer('c').params, 8);
});

test('layers sharing named params are counted once', async () => {
  const { result } = await run(
    [1, 4],
    `layer { name: "a" type: "InnerProduct" bottom: "data" top: "a" param { name: "w" } param { name: "b" } inner_product_param { num_output: 3 } }
layer { name: "b" type: "InnerProduct" bottom: "data" top: "b" param { name: "w" } param { name: "b" } inner_product_param { num_output: 3 } }`,
  );
  assert.equal(result.totals.params, 15);
  assert.equal(result.layers[1].sharedParams, true);
});

test('partly known shapes: rules keep the dims they can tell and report nothing about unknown ones', async () => {
  const text = `layer { name: "d" type: "Data" top: "d" top: "label" data_param { source: "s" batch_size: 8 } }
layer { name: "c" type: "Convolution" bottom: "d" top: "c" convolution_param { num_output: 16 kernel_size: 3 group: 2 } }
layer { name: "c2" type: "Convolution" bottom: "c" top: "c2" convolution_param { num_output: 4 kernel_size: 99 } }
layer { name: "p" type: "Pooling" bottom: "c2" top: "p" pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
layer { name: "g" type: "Pooling" bottom: "c2" top: "g" pooling_param { pool: AVE global_pooling: true } }
layer { name: "e" type: "Eltwise" bottom: "c2" bottom: "c2" top: "e" }
layer { name: "cat" type: "Concat" bottom: "c2" bottom: "e" top: "cat" }
layer { name: "s" type: "Slice" bottom: "d" top: "s1" top: "s2" slice_param { axis: 2 } }
layer { name: "r" type: "Reshape" bottom: "c2" top: "r" reshape_param { shape { dim: 0 dim: -1 } } }
layer { name: "fc" type: "InnerProduct" bottom: "g" top: "fc" inner_product_param { num_output: 10 } }
layer { name: "fc2" type: "InnerProduct" bottom: "fc" top: "fc2" inner_product_param { num_output: 5 } }`;
  const r = inferShapes(buildNet((await parsed)(text)), 'TRAIN');
  const t = (n: string) => r.blobs.get(n);
  const layer = (n: string) => r.layers.find((l) => l.layer.name === n)!;
  assert.deepEqual(r.problems, []);
  assert.deepEqual(t('c'), [8, 16, NaN, NaN]);
  // The weights need the input channels: unknown. Those of c2 read c's 16 channels: known.
  assert.equal(layer('c').params, null);
  assert.equal(layer('c').macs, null);
  assert.equal(layer('c2').params, 4 * 16 * 99 * 99 + 4);
  assert.equal(layer('c2').macs, null);
  assert.deepEqual(t('p'), [8, 4, NaN, NaN]);
  assert.deepEqual(t('g'), [8, 4, 1, 1]);
  assert.deepEqual(t('e'), [8, 4, NaN, NaN]);
  assert.deepEqual(t('cat'), [8, 8, NaN, NaN]);
  assert.deepEqual(
    [t('s1'), t('s2')],
    [
      [8, NaN, NaN, NaN],
      [8, NaN, NaN, NaN],
    ],
  );
  assert.deepEqual(t('r'), [8, NaN]);
  assert.deepEqual(t('fc'), [8, 10]);
  assert.equal(layer('fc').params, 4 * 10 + 10);
  assert.equal(layer('fc2').params, 10 * 5 + 5);
  assert.equal(r.totals.unknownTops, 8); // d, c, c2, p, e, cat, s, r
});

test('partly known shapes still show the problems of their known dims', async () => {
  const text = `layer { name: "d" type: "Data" top: "d" top: "label" data_param { source: "s" batch_size: 8 } transform_param { mean_value: 1 mean_value: 2 mean_value: 3 } }
layer { name: "c" type: "Convolution" bottom: "d" top: "c" convolution_param { num_output: 16 kernel_size: 3 group: 2 } }
layer { name: "x" type: "Concat" bottom: "d" bottom: "label" top: "x" }`;
  const r = inferShapes(buildNet((await parsed)(text)), 'TRAIN');
  assert.deepEqual(
    r.problems.map((p) => p.message),
    [
      'group 2 must divide the input channels (3) and num_output (16)',
      'Concat inputs disagree: d is 8×3×?×?, label is 8 (only axis 1 may differ)',
    ],
  );
});

test('Parameter: its top is the learned blob of the stated shape (a scalar when none is stated)', async () => {
  const text = `layer { name: "p" type: "Parameter" top: "p" parameter_param { shape { dim: 4 dim: 3 } } }
layer { name: "s" type: "Parameter" top: "s" }`;
  const r = inferShapes(buildNet((await parsed)(text)), 'TRAIN');
  assert.deepEqual([r.blobs.get('p'), r.blobs.get('s')], [[4, 3], []]);
  assert.deepEqual(
    r.layers.map((l) => [l.params, l.status]),
    [
      [12, 'rule'],
      [1, 'rule'],
    ],
  );
});
