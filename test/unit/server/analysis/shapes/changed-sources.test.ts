// A checkout that changed BVLC's layer sources: which types it changed, and the shape problems that
// follow from them told as what may not hold there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  isBvlcLayerSource,
  isSsdLayerSource,
  sourceFingerprint,
} from '../../../../../server/src/schema/bvlc-sources';
import { readCheckoutLayerTypes, releasedBy } from '../../../../../server/src/schema/checkout-layers';
import { layersProto, writeCheckout } from '../../../../helpers/caffe-checkout';
import { runCliIn } from '../../../../helpers/run-cli';
import { needs, pycaffePath } from '../../../../helpers/resources';

test('a fingerprint reads the code alone: comments and white space do not change it, code does', () => {
  const code = 'template <typename Dtype>\nvoid F(int a) {\n  a += 1;\n}\n';
  const same = sourceFingerprint(code);
  assert.match(same, /^[0-9a-f]{8}$/);
  assert.equal(sourceFingerprint(`// header\n${code.replace('a += 1;', 'a  +=  1;  /* one */')}`), same);
  assert.equal(sourceFingerprint(code.replace(/\n/g, '\r\n')), same);
  assert.notEqual(sourceFingerprint(code.replace('a += 1', 'a += 2')), same);
  // BVLC never had a file of that name; it had data_layer.cpp, and this text is none of its versions.
  assert.equal(isBvlcLayerSource('center_loss_layer.cpp', code), undefined);
  assert.equal(isBvlcLayerSource('data_layer.cpp', code), false);
  // SSD's own layer files are known by SSD's versions; BVLC's files are not SSD's to tell.
  assert.equal(isBvlcLayerSource('prior_box_layer.cpp', code), undefined);
  assert.equal(isSsdLayerSource('prior_box_layer.cpp', code), false);
  assert.equal(isSsdLayerSource('data_layer.cpp', code), undefined);
});

/** Writes a layer source instantiating `classes` (and registering `registers`) at `file` under the checkout. */
function source(root: string, file: string, classes: readonly string[], registers: readonly string[] = []) {
  const at = path.join(root, 'src', 'caffe', 'layers', file);
  fs.writeFileSync(
    at,
    [
      ...classes.map((c) => `INSTANTIATE_CLASS(${c});`),
      ...registers.map((t) => `REGISTER_LAYER_CLASS(${t});`),
      '',
    ].join('\n'),
  );
}

test("which of BVLC's types a checkout changed: the type's own class file, or a base class's", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'changed-types-'));
  try {
    writeCheckout(root, ['CenterLoss']);
    // Input's class in BVLC's file name, with code BVLC never had.
    source(root, 'input_layer.cpp', ['InputLayer'], ['Input']);
    // Slice's class in a file of a name BVLC never had.
    source(root, 'my_slice.cpp', ['SliceLayer'], ['Slice']);
    // SSD's PriorBox in SSD's file name, with code SSD never had (FaceBoxes packs more boxes in it).
    source(root, 'prior_box_layer.cpp', ['PriorBoxLayer'], ['PriorBox']);
    // A fork's own type (no BVLC or SSD class to differ from) is not said to be changed.
    source(root, 'center_loss_layer.cpp', ['CenterLossLayer'], ['CenterLoss']);
    // Data's own class is not instantiated here; the class it derives from is, in a changed file.
    source(root, 'data_layer.cpp', [], ['Data']);
    source(root, 'base_data_layer.cpp', ['BaseDataLayer', 'BasePrefetchingDataLayer']);
    fs.mkdirSync(path.join(root, 'include', 'caffe', 'layers'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'include', 'caffe', 'layers', 'data_layer.hpp'),
      [
        'template <typename Dtype> class BaseDataLayer : public Layer<Dtype> { };',
        'template <typename Dtype> class BasePrefetchingDataLayer : public BaseDataLayer<Dtype> { };',
        'template <typename Dtype> class DataLayer : public BasePrefetchingDataLayer<Dtype> { };',
      ].join('\n'),
    );
    const read = readCheckoutLayerTypes(root);
    assert.deepEqual(
      [...(read?.modified ?? [])].sort(),
      [
        ['Data', 'src/caffe/layers/base_data_layer.cpp'],
        ['Input', 'src/caffe/layers/input_layer.cpp'],
        ['PriorBox', 'src/caffe/layers/prior_box_layer.cpp'],
        ['Slice', 'src/caffe/layers/my_slice.cpp'],
      ].map(([t, f]) => [t, f.split('/').join(path.sep)]),
    );
    // What each differs from, in the messages and hovers that say so.
    assert.equal(releasedBy('PriorBox'), 'SSD');
    assert.equal(releasedBy('Input'), 'BVLC');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** Enough of caffe.proto for a net of Input and Slice layers. */
const INPUT_SLICE_PROTO = layersProto(
  ['optional InputParameter input_param = 143;', 'optional SliceParameter slice_param = 126;'],
  `message BlobShape { repeated int64 dim = 1 [packed = true]; }
message InputParameter { repeated BlobShape shape = 1; }
message SliceParameter {
  optional int32 axis = 3 [default = 1];
  repeated uint32 slice_point = 2;
  optional uint32 slice_dim = 1 [default = 1];
}
`,
);

/**
 * A checkout at `dir`/caffe registering `types` (no class file of theirs yet) and models/net.prototxt
 * of `layers`; returns the checkout's root.
 */
function checkoutWithNet(dir: string, types: readonly string[], layers: readonly string[]): string {
  const root = path.join(dir, 'caffe');
  writeCheckout(root);
  fs.writeFileSync(path.join(root, 'src', 'caffe', 'proto', 'caffe.proto'), INPUT_SLICE_PROTO);
  source(root, 'registrations.cpp', [], types);
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(path.join(dir, 'models', 'net.prototxt'), ['name: "n"', ...layers, ''].join('\n'));
  return root;
}

let ticks = 0;

/** The shape lines of a check of models/net.prototxt; the checkout is read again (its folder is newer). */
async function check(dir: string): Promise<string[]> {
  const layers = path.join(dir, 'caffe', 'src', 'caffe', 'layers');
  const later = new Date(Date.now() + 5000 * ++ticks);
  fs.utimesSync(layers, later, later);
  const { out } = await runCliIn(dir, ['check', '--root', dir, 'models/net.prototxt']);
  return out.split('\n').filter((l) => /shape-invalid/.test(l));
}

test('under a checkout that changed a layer, the shape errors it leads to are warnings that say why', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changed-shapes-'));
  try {
    // Input and Slice registered, neither class's file read yet: nothing is known to be changed.
    const root = checkoutWithNet(
      dir,
      ['Input', 'Slice'],
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 } } }',
        'layer { name: "cut" type: "Slice" bottom: "x" top: "a" top: "b" slice_param { axis: 2 } }',
      ],
    );
    const before = await check(dir);
    assert.equal(before.length, 1, before.join('\n'));
    assert.match(
      before[0],
      /^models\/net\.prototxt:3:\d+: error: axis is out of range for a 2-axis input \[shape-invalid\]$/,
    );

    // The checkout's Input is not BVLC's: Slice's error follows from Input's top, so it may not hold.
    source(root, 'input_layer.cpp', ['InputLayer']);
    const input = await check(dir);
    assert.equal(input.length, 1, input.join('\n'));
    assert.equal(
      input[0],
      before[0]
        .replace(': error: ', ': warning: ')
        .replace(
          ' [shape-invalid]',
          ' (the shapes here come through layer "in", whose type Input this checkout changed ' +
            `(${path.join('src', 'caffe', 'layers', 'input_layer.cpp')} differs from every BVLC version): ` +
            'its Caffe may shape them otherwise) [shape-invalid]',
        ),
    );

    // Slice's own source changed (Input's is left out again): its own check may not hold.
    fs.rmSync(path.join(root, 'src', 'caffe', 'layers', 'input_layer.cpp'));
    source(root, 'slice_layer.cpp', ['SliceLayer']);
    const slice = await check(dir);
    assert.equal(slice.length, 1, slice.join('\n'));
    assert.match(
      slice[0],
      /: warning: axis is out of range for a 2-axis input \(this checkout's Slice is not BVLC's: .*slice_layer\.cpp differs from every BVLC version, so its Caffe may do otherwise\) \[shape-invalid\]$/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('inputs that disagree after a changed layer are a warning too; elsewhere an error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changed-shapes-'));
  try {
    const root = checkoutWithNet(
      dir,
      ['Input', 'Slice', 'Concat'],
      [
        'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 6 dim: 1 } } }',
        'layer { name: "w" type: "Input" top: "w" input_param { shape { dim: 3 dim: 3 dim: 1 } } }',
        'layer { name: "cut" type: "Slice" bottom: "x" top: "a" top: "b" }',
        'layer { name: "j1" type: "Concat" bottom: "a" bottom: "w" top: "c1" }',
        'layer { name: "j2" type: "Concat" bottom: "x" bottom: "w" top: "c2" }',
      ],
    );
    // Slice is not BVLC's (bottom-up-attention's Embed fills a last axis of 1 instead of adding one).
    source(root, 'slice_layer.cpp', ['SliceLayer']);
    const { out } = await runCliIn(dir, ['check', '--root', dir, 'models/net.prototxt']);
    const lines = out.split('\n').filter((l) => /shape-mismatch/.test(l));
    assert.equal(lines.length, 2, out);
    assert.match(
      lines[0],
      /^models\/net\.prototxt:5:\d+: warning: .* \(the shapes here come through layer "cut", whose type Slice this checkout changed .*\) \[shape-mismatch\]$/,
    );
    assert.match(lines[1], /^models\/net\.prototxt:6:\d+: error: .*\[shape-mismatch\]$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "BVLC's own checkout changes none of its layers; a copy with a new comment is still BVLC's",
  needs('pycaffe'),
  () => {
    const root = path.dirname(pycaffePath() as string);
    const read = readCheckoutLayerTypes(root);
    assert.ok(read, 'the checkout is read');
    assert.deepEqual([...read.modified], []);
    const layers = path.join(root, 'src', 'caffe', 'layers');
    const files = fs.readdirSync(layers).filter((f) => f.endsWith('.cpp'));
    assert.ok(files.length > 50, `${files.length} layer files`);
    for (const f of files)
      assert.equal(isBvlcLayerSource(f, fs.readFileSync(path.join(layers, f), 'utf8')), true, f);
    const data = fs.readFileSync(path.join(layers, 'data_layer.cpp'), 'utf8');
    assert.equal(isBvlcLayerSource('data_layer.cpp', `// a fork's note\n${data}`), true);
    assert.equal(isBvlcLayerSource('data_layer.cpp', data.replace('batch_size', 'batch_size + 1')), false);
  },
);
