// Caffe semantics: layer types, param blocks, layer names, blobs, formats, solver fields, fork policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { Schema } from '../../../../../server/src/schema/schema';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';
import { schemaFromProtoText } from '../../../../../server/src/schema/user-proto';
import { layersProto } from '../../../../helpers/caffe-checkout';
import { check, checkBundled, codes } from './helpers';

const input =
  'layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';

test('unknown layer type: a warning with did-you-mean; allow-list and fork types', () => {
  const found = check(input + 'layer { name: "c" type: "Convolutoin" bottom: "data" top: "c" }\n');
  assert.deepEqual(codes(found), ['2:25 unknown-layer-type']);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /Did you mean "Convolution"/);
  const allowed = check(input + 'layer { name: "c" type: "MyPlugin" bottom: "data" top: "c" }\n', {
    allowLayerTypes: ['MyPlugin'],
  });
  assert.deepEqual(codes(allowed), []);
  const fork = checkBundled(input + 'layer { name: "n" type: "Normalize" bottom: "data" top: "n" }\n');
  assert.deepEqual(codes(fork), ['2:25 unknown-layer-type']);
  assert.match(fork[0].message, /SSD/);
});

test("a widely used plugin's layer type says what it is and which source registers it", () => {
  const found = check(
    input +
      'layer { name: "dw" type: "ConvolutionDepthwise" bottom: "data" top: "dw" convolution_param { num_output: 3 kernel_size: 3 } }\n',
  );
  assert.deepEqual(codes(found), ['2:26 unknown-layer-type']);
  assert.equal(found[0].severity, 'warning');
  assert.match(
    found[0].message,
    /^Unknown layer type "ConvolutionDepthwise": BVLC Caffe does not register it\. It is the MobileNet ports' depthwise convolution: a Caffe built with conv_dw_layer\.cpp \(farmingyard\/caffe-mobilenet\) registers it/,
  );
  // Synopsys Caffe merged it: its schema is named, as the fork-field warning on the block names it.
  assert.match(
    found[0].message,
    /Synopsys Caffe \(synopsys-caffe\), which merged it, registers it too: .*\(bundled:synopsys\)\.$/,
  );
  assert.deepEqual(found[0].forks, ['synopsys'], "the merging fork's schema is offered");
  // The plugin's own block, which the merging fork's schema has, is said by the type's warning.
  const shuffle = checkBundled(
    input +
      'layer { name: "s" type: "ShuffleChannel" bottom: "data" top: "s" shuffle_channel_param { group: 1 } }\n',
  );
  assert.deepEqual(codes(shuffle), ['2:25 unknown-layer-type']);
  assert.match(
    shuffle[0].message,
    /farmingyard\/ShuffleNet\) registers it \(with shuffle_channel_param added/,
  );
  assert.equal(shuffle[0].related?.length, 1);
  // MobileNet v2's clipped ReLU: said to be one, not a misspelt ReLU.
  const relu6 = check(input + 'layer { name: "r" type: "ReLU6" bottom: "data" top: "data" }\n');
  assert.deepEqual(codes(relu6), ['2:25 unknown-layer-type']);
  assert.match(
    relu6[0].message,
    /It is a ReLU clipped at 6, .*relu6_layer\.cpp \(chuanqi305\/ssd\) registers it/,
  );
  assert.doesNotMatch(relu6[0].message, /Did you mean/);
  // Allowed, nothing is said.
  const allowed = check(input + 'layer { name: "s" type: "ShuffleChannel" bottom: "data" top: "s" }\n', {
    allowLayerTypes: ['ShuffleChannel'],
  });
  assert.deepEqual(codes(allowed), []);
});

test('a *_param block the layer type does not read', () => {
  const found = check(
    input + 'layer { name: "c" type: "Convolution" bottom: "data" top: "c" pooling_param { pool: MAX } }\n',
  );
  assert.deepEqual(codes(found, 'param-type-mismatch'), ['2:63 param-type-mismatch']);
  const mismatch = found.find((f) => f.code === 'param-type-mismatch');
  assert.match(mismatch?.message ?? '', /"pooling_param" is not read by a "Convolution" layer/);
  // A block no known type reads is a fork's own (happynear's Normalize reads normalize_param, SSD's
  // reads norm_param): the schema says it is unknown, and who reads it is not known here.
  const fork = check(
    input +
      'layer { name: "n" type: "Normalize" bottom: "data" top: "n" normalize_param { bp_norm: true } }\n',
  );
  assert.deepEqual(codes(fork, 'param-type-mismatch'), []);
  assert.deepEqual(codes(fork, 'unknown-field'), ['2:61 unknown-field']);
});

test('duplicate layer names in one phase; the same name in two phases is fine', () => {
  const train =
    'layer { name: "acc" type: "Accuracy" bottom: "data" bottom: "data" top: "a" include { phase: TRAIN } }\n';
  const testOnly =
    'layer { name: "acc" type: "Accuracy" bottom: "data" bottom: "data" top: "b" include { phase: TEST } }\n';
  assert.deepEqual(codes(check(input + train + testOnly), 'duplicate-layer'), []);
  const both =
    'layer { name: "acc" type: "InnerProduct" bottom: "data" top: "r" inner_product_param { num_output: 2 } }\n';
  assert.deepEqual(codes(check(input + train + both), 'duplicate-layer'), ['3:15 duplicate-layer']);
  // What Caffe and pycaffe do with the name (net.cpp's CopyTrainedLayersFrom, pycaffe.py's dicts); a
  // phase is named only where a rule keeps a layer out of the other phase.
  assert.equal(
    check(input + train + both).find((f) => f.code === 'duplicate-layer')?.message,
    'Layer name "acc" is already used by an earlier layer in the TRAIN phase: Caffe copies a .caffemodel\'s weights by layer name, into the first layer of a name only, and pycaffe\'s net.params and net.layer_dict keep only the last.',
  );
  const plain = 'layer { name: "acc" type: "Accuracy" bottom: "data" bottom: "data" top: "a" }\n';
  assert.match(
    check(input + plain + both).find((f) => f.code === 'duplicate-layer')?.message ?? '',
    /^Layer name "acc" is already used by an earlier layer: Caffe copies/,
  );
  // Two layers without weights (FCN's crops) lose nothing when a .caffemodel is loaded.
  const relu = 'layer { name: "acc" type: "ReLU" bottom: "data" top: "r" }\n';
  const weightless = check(input + plain + relu).find((f) => f.code === 'duplicate-layer');
  assert.equal(weightless?.severity, 'information');
  assert.equal(
    weightless?.message,
    'Layer name "acc" is already used by an earlier layer. Neither has learned weights, so loading a .caffemodel is not affected; pycaffe\'s net.layer_dict keeps only the last of them.',
  );
  // A type whose parameters are not known (a Python layer's) is not taken for weightless.
  const python =
    'layer { name: "acc" type: "Python" bottom: "data" top: "p" python_param { module: "m" layer: "L" } }\n';
  assert.equal(check(input + plain + python).find((f) => f.code === 'duplicate-layer')?.severity, 'warning');
  // Two layers sharing every learned blob by param name (SSH's m3@ssh_7x7): the copy fills both.
  const conv = (top: string, names: string) =>
    `layer { name: "m3" type: "Convolution" bottom: "data" top: "${top}" ${names} convolution_param { num_output: 2 kernel_size: 1 } }\n`;
  const named = 'param { name: "m3_w" } param { name: "m3_b" }';
  const sharing = check(input + conv('c1', named) + conv('c2', named)).find(
    (f) => f.code === 'duplicate-layer',
  );
  assert.equal(sharing?.severity, 'information');
  assert.match(sharing?.message ?? '', /Both share all their learned blobs by param name \('m3_w', 'm3_b'\)/);
  // A fork's V1 CROP (FCN-era Caffes: DeconvNet's, CRF-RNN's) is a Crop, which learns nothing.
  const v1 =
    'input: "data"\ninput_dim: 1 input_dim: 1 input_dim: 4 input_dim: 4\n' +
    'layers { name: "crop" type: CROP bottom: "data" bottom: "data" top: "c1" }\n' +
    'layers { name: "crop" type: CROP bottom: "c1" bottom: "data" top: "c2" }\n';
  assert.equal(
    check(v1, { schema: loadBundledFork('deconvnet')! }).find((f) => f.code === 'duplicate-layer')?.severity,
    'information',
  );
  // One blob left unnamed: the bias is the first layer's alone.
  const half = check(input + conv('c1', named) + conv('c2', 'param { name: "m3_w" }')).find(
    (f) => f.code === 'duplicate-layer',
  );
  assert.equal(half?.severity, 'warning');
});

test('a layer name used twice in each phase: each later layer once, in the phase it is first met, after its first', () => {
  const layer = (name: string, top: string, rule = '') =>
    `layer { name: "${name}" type: "ReLU" bottom: "data" top: "${top}" ${rule}}\n`;
  const text =
    input +
    layer('x', 'a', 'include { phase: TEST } ') +
    layer('x', 'b', 'include { phase: TRAIN } ') +
    layer('y', 'c') +
    layer('x', 'd') +
    layer('y', 'e');
  assert.deepEqual(codes(check(text), 'duplicate-layer'), ['5:15 duplicate-layer', '6:15 duplicate-layer']);
  const found = analyze(text, parse(text), {
    schema: loadBundledSchema(),
    schemaKind: 'user',
  }).diagnostics.filter((d) => d.code === 'duplicate-layer');
  // "d" is met in TRAIN first, after the TRAIN "x" (line 3); "e" after "y".
  assert.match(found[0].message, /in the TRAIN phase/);
  assert.deepEqual(
    found.map((f) => f.related?.[0]?.start),
    [text.indexOf('"x"', text.indexOf('top: "a"')), text.indexOf('"y"')],
  );
});

test('undefined bottoms honour phases, legacy inputs, in-place layers, and say why', () => {
  const relu = 'layer { name: "r" type: "ReLU" bottom: "data" top: "data" }\n';
  assert.deepEqual(codes(check(input + relu)), []);
  const later = check(
    input +
      'layer { name: "a" type: "ReLU" bottom: "x" top: "y" }\nlayer { name: "b" type: "ReLU" bottom: "data" top: "x" }\n',
  );
  assert.deepEqual(codes(later), ['2:40 undefined-bottom']);
  assert.match(later[0].message, /Layer "b" produces it later/);
  const phased =
    input +
    'layer { name: "t" type: "ReLU" bottom: "data" top: "x" include { phase: TRAIN } }\n' +
    'layer { name: "u" type: "ReLU" bottom: "x" top: "y" }\n';
  const found = check(phased);
  assert.deepEqual(codes(found), ['3:40 undefined-bottom']);
  assert.match(found[0].message, /TEST phase/);
  assert.match(found[0].message, /left out in the TEST phase/);
  const legacy = 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n' + relu;
  assert.deepEqual(codes(check(legacy)), []);
});

test('a phase without a data layer is skipped (a train-only net), unless the file sets that phase itself', () => {
  const trainData =
    'layer { name: "d" type: "Input" top: "data" include { phase: TRAIN } input_param { shape { dim: 1 } } }\n';
  const relu = 'layer { name: "r" type: "ReLU" bottom: "data" top: "x" }\n';
  // Built by a solver in TRAIN only, as far as the file says.
  assert.deepEqual(codes(check(trainData + relu)), []);
  // Built in TEST whatever builds it: its data layer is left out there.
  const fixed = check('state { phase: TEST }\n' + trainData + relu);
  assert.deepEqual(codes(fixed), ['3:40 undefined-bottom']);
  assert.match(fixed[0].message, /left out in the TEST phase/);
  // A stage the rules name brings a data layer back (a solver's test_state adds it): not judged without it.
  const staged =
    'state { phase: TEST }\n' +
    trainData +
    'layer { name: "t" type: "Input" top: "data" include { phase: TEST stage: "val" } input_param { shape { dim: 1 } } }\n' +
    relu;
  assert.deepEqual(codes(check(staged)), []);
  // Nothing produces data in any phase: a piece of a net, not judged.
  assert.deepEqual(codes(check('state { phase: TEST }\n' + relu)), []);
});

test("a V0 layer type BVLC's upgrade has no name for is a warning (a fork may know it), with the V0 name as its fix", () => {
  const v0 = (type: string) =>
    'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n' +
    `layers { layer { name: "t" type: "${type}" } bottom: "data" top: "t" }\n`;
  assert.deepEqual(codes(check(v0('tanh')), 'unknown-layer-type'), []);
  const found = check(v0('TanH')).filter((d) => d.code === 'unknown-layer-type');
  assert.deepEqual(codes(found), ['6:34 unknown-layer-type']);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /\("Unknown layer name: TanH"\); .* Did you mean "tanh"\?$/);
  assert.deepEqual(found[0].suggestions, ['"tanh"']);
});

test("a V0 padding layer feeding what Caffe's upgrade cannot fold it into is an error at that bottom", () => {
  const v0 = (consumer: string, bottoms = 'bottom: "pad1"') =>
    'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 32\ninput_dim: 32\n' +
    'layers { layer { name: "pad1" type: "padding" pad: 2 } bottom: "data" top: "pad1" }\n' +
    `layers { layer { name: "c" type: "${consumer}" num_output: 2 kernelsize: 3 } ${bottoms} top: "c" }\n`;
  assert.deepEqual(codes(check(v0('conv')), 'v0-padding'), []);
  assert.deepEqual(codes(check(v0('pool')), 'v0-padding'), []);
  const relu = check(v0('relu'));
  assert.deepEqual(codes(relu, 'v0-padding'), ['7:79 v0-padding']);
  assert.match(
    relu.find((d) => d.code === 'v0-padding')?.message ?? '',
    /^Padding layer "pad1" feeds this "relu" layer: .*"Padding layer input to non-convolutional \/ non-pooling layer type"\): Caffe's upgrade of this V0 net stops here\.$/,
  );
  const two = check(v0('conv', 'bottom: "pad1" bottom: "data"'));
  assert.match(
    two.find((d) => d.code === 'v0-padding')?.message ?? '',
    /"Conv Layer takes a single blob as input\."/,
  );
});

test('a top produced twice without being in place', () => {
  const found = check(
    input +
      'layer { name: "a" type: "ReLU" bottom: "data" top: "x" }\nlayer { name: "b" type: "Sigmoid" bottom: "data" top: "x" }\n',
  );
  assert.deepEqual(codes(found), ['3:55 duplicate-top']);
  assert.match(found[0].message, /already produced by layer "a"/);
  // In place is top i over bottom i, as Net::AppendTop reads it: a top named as another of the
  // layer's bottoms is a second producer of that blob.
  const twoInputs =
    'layer { name: "d" type: "Input" top: "a" top: "b" input_param { shape { dim: 2 } shape { dim: 2 } } }\n';
  assert.deepEqual(
    codes(check(twoInputs + 'layer { name: "e" type: "Eltwise" bottom: "a" bottom: "b" top: "a" }\n')),
    [],
  );
  assert.deepEqual(
    codes(check(twoInputs + 'layer { name: "e" type: "Eltwise" bottom: "a" bottom: "b" top: "b" }\n')),
    ['2:64 duplicate-top'],
  );
});

test('in place over a blob used more than once as it was written: Caffe splits it and the top is a second producer', () => {
  const relu = (name: string, bottom: string, top: string, extra = '') =>
    `layer { name: "${name}" type: "ReLU" bottom: "${bottom}" top: "${top}"${extra} }\n`;
  // Another layer reads "data" before the in-place layer: every check below was built by caffe.Net.
  const after = check(input + relu('c', 'data', 'c') + relu('r', 'data', 'data'));
  assert.deepEqual(codes(after), ['3:52 in-place-split']);
  assert.match(after[0].message, /^Layer "r" works on "data" in place, but layer "c" reads "data" before it/);
  assert.match(
    after[0].message,
    /"Top blob 'data' produced by multiple sources"\)\. Put this layer before "c"/,
  );
  // Before the other reader it is fine: that one reads what the in-place layer wrote.
  assert.deepEqual(codes(check(input + relu('r', 'data', 'data') + relu('c', 'data', 'c'))), []);
  // Read twice by the in-place layer itself.
  const twice = check(
    input + 'layer { name: "e" type: "Eltwise" bottom: "data" bottom: "data" top: "data" }\n',
  );
  assert.deepEqual(codes(twice), ['2:70 in-place-split']);
  assert.match(twice[0].message, /it reads "data" more than once/);
  // A written loss weight is a use too (a zero weight is not; nor is the in-place layer's own).
  const weighed = check(input + relu('c', 'data', 'c', ' loss_weight: 1') + relu('r', 'c', 'c'));
  assert.deepEqual(codes(weighed), ['3:49 in-place-split']);
  assert.match(weighed[0].message, /"c" has a loss weight/);
  assert.deepEqual(codes(check(input + relu('c', 'data', 'c', ' loss_weight: 0') + relu('r', 'c', 'c'))), []);
  assert.deepEqual(codes(check(input + relu('r', 'data', 'data', ' loss_weight: 1'))), []);
});

test('a layer without a type is an error in every format (each case refused by caffe.Net)', () => {
  const v1in = 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n';
  const missing = (text: string) => codes(check(text)).filter((c) => !c.endsWith('deprecated-format'));
  const v2 = check(
    input +
      'layer { name: "r" bottom: "data" top: "r" convolution_param { num_output: 2 kernel_size: 1 } }\n',
  );
  assert.deepEqual(codes(v2), ['2:15 missing-layer-type']);
  assert.match(v2[0].message, /^Layer "r" has no type: Caffe .* stops \("Unknown layer type: "\)\./);
  assert.match(v2[0].message, /Its parameters are those of "Convolution" or "Deconvolution"/);
  assert.deepEqual(missing(input + 'layer { name: "r" type: "" bottom: "data" top: "r" }\n'), [
    '2:25 missing-layer-type',
  ]);
  assert.deepEqual(missing(v1in + 'layers { name: "r" bottom: "data" top: "r" }\n'), [
    '6:16 missing-layer-type',
  ]);
  assert.deepEqual(missing(v1in + 'layers { name: "r" type: NONE bottom: "data" top: "r" }\n'), [
    '6:26 missing-layer-type',
  ]);
  assert.deepEqual(missing(v1in + 'layers { layer { name: "r" } bottom: "data" top: "r" }\n'), [
    '6:24 missing-layer-type',
  ]);
  const v0 = check(v1in + 'layers { layer { name: "r" type: "" } bottom: "data" top: "r" }\n');
  assert.match(v0.find((d) => d.code === 'missing-layer-type')?.message ?? '', /"Unknown layer name: "/);
  // A misspelt field may be the type: one error for one cause.
  assert.deepEqual(missing(input + 'layer { name: "r" tpye: "ReLU" bottom: "data" top: "r" }\n'), [
    '2:19 unknown-field',
  ]);
  // A file built in its own phase only: a layer left out of it is never made.
  assert.deepEqual(
    missing('state { phase: TEST }\n' + input + 'layer { name: "r" include { phase: TRAIN } }\n'),
    [],
  );
});

test('V1 and V0 formats are recognised as deprecated information', () => {
  const inputs = 'input: "data"\ninput_dim: 1\ninput_dim: 1\ninput_dim: 1\ninput_dim: 1\n';
  const v1 = `layers { name: "r" type: RELU bottom: "data" top: "data" }\n${inputs}`;
  const found = check(v1);
  assert.deepEqual(codes(found), ['1:1 deprecated-format']);
  assert.equal(found[0].severity, 'information');
  assert.match(found[0].message, /V1 layer format.*still loads.*quick fix/);
  const v0 = `layers { layer { name: "r" type: "relu" } bottom: "data" top: "data" }\n${inputs}`;
  assert.deepEqual(codes(check(v0)), ['1:1 deprecated-format']);
});

test('solver_type is deprecated with type: "..." as the suggestion', () => {
  const found = check('base_lr: 0.1\nsolver_type: NESTEROV\n');
  assert.deepEqual(codes(found), ['2:1 deprecated-field']);
  assert.deepEqual(found[0].suggestions, ['type: "Nesterov"']);
});

test('solver_type is the way to name the solver in a Caffe whose solver has no string type', () => {
  // SegNet's Caffe predates `type`: writing it there would be an unknown field.
  const segnet = loadBundledFork('segnet');
  assert.ok(segnet);
  assert.deepEqual(codes(check('base_lr: 0.1\nsolver_type: NESTEROV\n', { schema: segnet })), []);
});

test('policy: fork fields under bundled BVLC are warnings naming the fork; unknown ones inside are warnings, slips errors', () => {
  const text =
    input +
    'layer { name: "r" type: "ROIPooling" bottom: "data" bottom: "data" top: "r" roi_pooling_param { pooled_w: 7 pooled_h: 7 nope: 1 } }\n';
  const bundled = checkBundled(text);
  // The type's warning names the forks; choosing any of them makes roi_pooling_param known too, so
  // the block gets no warning of its own (one warning for one cause).
  assert.deepEqual(codes(bundled), ['2:25 unknown-layer-type', '2:121 unknown-field']);
  const fork = bundled[0];
  assert.equal(fork.severity, 'warning');
  assert.equal(
    fork.message,
    'Choose the Fast/Faster R-CNN schema or another fork\'s (prototxt.schema.paths or --schema): layer type "ROIPooling" is not in BVLC Caffe.',
  );
  // Under a type allowed by the settings, the block is what BVLC cannot read: its warning is back.
  const allowed = checkBundled(text, { allowLayerTypes: ['ROIPooling'] });
  assert.deepEqual(codes(allowed), ['2:77 fork-field', '2:121 unknown-field']);
  assert.equal(
    allowed[0].message,
    'Choose the Fast/Faster R-CNN schema or another fork\'s (prototxt.schema.paths or --schema): "roi_pooling_param" of LayerParameter is not in BVLC Caffe.',
  );
  // The block was read with that fork's message, which may not be the one of the user's Caffe: a name
  // like none of its fields may be that Caffe's own, and is not called an error.
  assert.equal(bundled[1].severity, 'warning');
  assert.equal(
    bundled[1].message,
    'Message type "caffe.ROIPoolingParameter" has no field named "nope" in the caffe.proto of Fast/Faster R-CNN (rbgirshick/caffe-fast-rcnn), whose ROIPoolingParameter this block was read with; a Caffe with its own ROIPoolingParameter needs its caffe.proto (prototxt.schema.paths or --schema).',
  );
  // Against a schema known to be in use, the same field is an error (and its body is not read); BVLC's
  // chosen as the one in use does not register the fork's type either.
  assert.deepEqual(codes(check(text)), ['2:25 unknown-layer-type', '2:77 unknown-field']);
});

test("a fork field whose block is another Caffe's: one warning naming the fields the fork's message lacks, no fork offered", () => {
  // PVANet's proposal_param: Synopsys Caffe, the only bundled Caffe with one, has no ratio or scale.
  const block = 'proposal_param { feat_stride: 16 ratio: 0.5 ratio: 1 scale: 8 scale: 16 }';
  const text = `${input}layer { name: "p" type: "Python" bottom: "data" top: "p" ${block} }\n`;
  const found = checkBundled(text).filter((d) => d.code === 'fork-field' || d.code === 'unknown-field');
  assert.deepEqual(codes(found), ['2:58 fork-field']);
  const [one] = found;
  assert.equal(one.severity, 'warning');
  assert.equal(
    one.message,
    '"proposal_param" of LayerParameter is not in BVLC Caffe, and the ProposalParameter of Synopsys Caffe (synopsys-caffe), the bundled Caffe that has it, has no "ratio" or "scale": the block is written for another Caffe. Check the net against that Caffe\'s caffe.proto (prototxt.schema.paths or --schema).',
  );
  assert.deepEqual(
    one.related?.map((r) => r.split(' ').slice(1, 3).join(' ')),
    ['"ratio" is', '"ratio" is', '"scale" is', '"scale" is'],
  );
  assert.match(one.related?.[0] ?? '', /is not a field of ProposalParameter in Synopsys Caffe/);
  // Half of the block or more is enough; with two forks defining the field, neither takes it.
  const interp = `${input}layer { name: "i" type: "Python" bottom: "data" top: "i" interp_param { use_target_blob_size: true } }\n`;
  const both = checkBundled(interp).filter((d) => d.code === 'fork-field' || d.code === 'unknown-field');
  assert.deepEqual(
    both.map((d) => d.message),
    [
      '"interp_param" of LayerParameter is not in BVLC Caffe, and none of the bundled Caffes that have it (PSPNet (hszhao/PSPNet) and Synopsys Caffe (synopsys-caffe)) has "use_target_blob_size" in its InterpParameter: the block is written for another Caffe. Check the net against that Caffe\'s caffe.proto (prototxt.schema.paths or --schema).',
    ],
  );
  // A slip among them is still its own error, with the name it is close to.
  const slip = checkBundled(text.replace('feat_stride', 'feat_strid')).find(
    (d) => d.code === 'unknown-field',
  );
  assert.equal(slip?.severity, 'error');
  assert.match(slip?.message ?? '', /Did you mean "feat_stride"/);
});

test("a fork's layer type on a layer whose block is another Caffe's: no fork offered for the type either", () => {
  // PVANet's Proposal layer (scores, deltas, image info): Synopsys Caffe has the type, but its
  // proposal_param has no ratio or scale.
  const block = 'proposal_param { feat_stride: 16 ratio: 0.5 ratio: 1 scale: 8 scale: 16 }';
  const text = `${input}layer { name: "p" type: "Proposal" bottom: "data" bottom: "data" bottom: "data" top: "p" ${block} }\n`;
  const found = checkBundled(text).filter((d) => d.code === 'fork-field' || d.code === 'unknown-layer-type');
  // One warning: the block's own (which fields no fork has) is a related place of the type's.
  assert.deepEqual(codes(found), ['2:25 unknown-layer-type']);
  const [type] = found;
  assert.equal(
    type.message,
    'Layer type "Proposal" is not in BVLC Caffe; Synopsys Caffe (synopsys-caffe) has it, but not with this layer\'s proposal_param: the layer is written for another Caffe. Check the net against that Caffe\'s caffe.proto (prototxt.schema.paths or --schema).',
  );
  assert.deepEqual(type.forks, []);
  assert.equal(type.related?.length, 1);
  assert.match(
    type.related?.[0] ?? '',
    /^2:90 "proposal_param" of LayerParameter is not in BVLC Caffe, .*: the block is written for another Caffe\.$/,
  );
  // Written as Synopsys writes it, the type's warning names that fork, which reads the whole layer.
  const synopsys = checkBundled(text.replace(' ratio: 0.5 ratio: 1 scale: 8 scale: 16', ''));
  const fits = synopsys.filter((d) => d.code === 'fork-field' || d.code === 'unknown-layer-type');
  assert.deepEqual(codes(fits), ['2:25 unknown-layer-type']);
  assert.deepEqual(fits[0].forks, ['synopsys']);
});

test('inside a block read with a fork message, a name close to one of its fields is still an error', () => {
  const text =
    input +
    'layer { name: "r" type: "ROIPooling" bottom: "data" bottom: "data" top: "r" roi_pooling_param { pooled_w: 7 poled_h: 7 } }\n';
  const slip = checkBundled(text).find((d) => d.code === 'unknown-field');
  assert.ok(slip);
  assert.equal(slip.severity, 'error');
  assert.match(slip.message, /Did you mean "pooled_h"/);
});

test("a learning rate policy BVLC lacks, in a solver that sets a fork's fields, is a warning naming those forks", () => {
  const text = 'base_lr: 0.01\nlr_policy: "plateau"\ngamma: 0.1\nplateau_winsize: 1000\nmax_iter: 10\n';
  const policy = checkBundled(text).find((d) => d.code === 'lr-schedule');
  assert.ok(policy);
  assert.equal(policy.severity, 'warning');
  assert.match(policy.message, /has no learning rate policy "plateau"/);
  assert.match(
    policy.message,
    /This solver sets fields of SSD \(weiliu89\/caffe\), .*whose solvers may know it/,
  );
  // Without a fork's field, BVLC's solver is the one assumed, and it stops at the first update.
  const plain = checkBundled('base_lr: 0.01\nlr_policy: "plateau"\nmax_iter: 10\n').find(
    (d) => d.code === 'lr-schedule',
  );
  assert.equal(plain?.severity, 'error');
});

test('a bundled schema chosen as the one in use: a fork layer type it does not register is a warning naming who has it', () => {
  const text =
    input +
    'layer { name: "n" type: "Normalize" bottom: "data" top: "n" }\n' +
    'layer { name: "r" type: "ROIPooling" bottom: "n" bottom: "data" top: "r" roi_pooling_param { pooled_w: 7 pooled_h: 7 } }\n';
  const fastrcnn = loadBundledFork('fastrcnn')!;
  const analysis = analyze(text, parse(text), { schema: fastrcnn, schemaKind: 'user' });
  const types = analysis.diagnostics.filter((d) => d.code === 'unknown-layer-type');
  // Its own ROIPooling is known; SSD's Normalize is not, and the quick fix offers who has it. Its
  // sources predate BVLC's Input layer too.
  assert.deepEqual(
    types.map((d) => text.slice(d.start, d.end)),
    ['"Input"', '"Normalize"'],
  );
  assert.match(
    types[0].message,
    /^Unknown layer type: Input: Fast\/Faster R-CNN \(rbgirshick\/caffe-fast-rcnn\), the schema in use \(bundled:fastrcnn\), does not register it: BVLC Caffe added it after that fork's sources.* input: and input_shape \{ \} fields\.$/,
  );
  assert.deepEqual(types[0].forks, ['bvlc']);
  types.shift();
  assert.match(
    types[0].message,
    /^Unknown layer type: Normalize: Fast\/Faster R-CNN \(rbgirshick\/caffe-fast-rcnn\), the schema in use \(bundled:fastrcnn\), does not register it, so building this net fails there\. .*SSD \(weiliu89\/caffe\).* has it/,
  );
  assert.ok(types[0].forks?.includes('ssd'));
  // A caffe.proto of the user's own may be a Caffe that has both: nothing is said of either type.
  const own = new Schema(fastrcnn.data, {
    kind: 'user',
    label: 'caffe.proto',
    path: '/work/caffe/caffe.proto',
  });
  const ownTypes = analyze(text, parse(text), { schema: own, schemaKind: 'user' }).diagnostics;
  assert.ok(!ownTypes.some((d) => d.code === 'unknown-layer-type'));
});

test('a bundled fork chosen as the one in use flags the BVLC types its sources predate, and only those', () => {
  const text =
    input +
    'layer { name: "s" type: "Scale" bottom: "data" top: "s" scale_param { bias_term: true } }\n' +
    'layer { name: "c" type: "Clip" bottom: "s" top: "c" clip_param { min: 0 max: 1 } }\n';
  const flagged = (name: string): string[] => {
    const schema = loadBundledFork(name as 'ssd')!;
    return analyze(text, parse(text), { schema, schemaKind: 'user' })
      .diagnostics.filter((d) => d.code === 'unknown-layer-type')
      .map((d) => text.slice(d.start, d.end));
  };
  // SSD (2018) has Input and Scale, not Clip (2019); ducha-aiki's (2015) has none of the three.
  assert.deepEqual(flagged('ssd'), ['"Clip"']);
  assert.deepEqual(flagged('ducha'), ['"Input"', '"Scale"', '"Clip"']);
  // BVLC's own schema, and a fork left unchosen (the bundled default), say nothing of them.
  assert.deepEqual(codes(check(text), 'unknown-layer-type'), []);
  assert.deepEqual(codes(checkBundled(text), 'unknown-layer-type'), []);
});

test("policy: DeepLab v1's fields name it in a net of layers { }; in a net of layer { }, which it cannot read, not", () => {
  // A DeepLab v1 net: its data layer type and hole are DeepLab v1's.
  const v1 =
    'layers { name: "d" type: IMAGE_SEG_DATA top: "data" top: "label" }\n' +
    'layers { name: "c" type: CONVOLUTION bottom: "data" top: "c" convolution_param { num_output: 3 kernel_size: 3 hole: 2 } }\n';
  const found = checkBundled(v1).filter((d) => d.code !== 'deprecated-format');
  assert.deepEqual(codes(found), ['1:26 fork-field', '2:111 fork-field']);
  // IMAGE_SEG_DATA is DeconvNet's too; hole only DeepLab v1's.
  assert.match(found[0].message, /^Choose the DeepLab v1 or DeconvNet schema \(/);
  assert.match(found[1].message, /^Choose the DeepLab v1 schema \(/);
  // Under DeepLab v1's schema chosen as the one in use, the net is its own.
  const deeplab = loadBundledFork('deeplab');
  assert.deepEqual(codes(check(v1, { schema: deeplab })), []);
  // A solver's net of layers { } is one it reads too.
  const solver = `train_net_param { ${v1.replace(/\n/g, ' ')} }\nbase_lr: 0.1\nlr_policy: "fixed"\n`;
  assert.ok(checkBundled(solver).some((d) => d.code === 'fork-field' && /DeepLab v1/.test(d.message)));
  // A net of layer { } with hole: DeepLab v1 could not read it; dilation is what to write.
  const v2 =
    'layer { name: "c" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 3 kernel_size: 3 hole: 2 } }\n';
  const hole = checkBundled(v2).find((d) => d.code === 'unknown-field' || d.code === 'fork-field');
  assert.equal(hole?.code, 'unknown-field');
  assert.match(hole?.message ?? '', /write dilation/);
});

test('policy: a field several forks define names first the fork the rest of the document is written for', () => {
  // DeconvNet's segmentation data: image_data_param's label_type is PSPNet's, DeepLab's and DeconvNet's.
  const data =
    'layers { name: "d" type: IMAGE_DATA top: "data" top: "label" image_data_param { source: "t.txt" batch_size: 8 label_type: PIXEL } }\n';
  const labelType = (text: string) =>
    analyze(text, parse(text), {
      schema: loadBundledSchema(),
      schemaKind: 'bundled',
      forks: bundledForkSchemas(),
    }).diagnostics.find((d) => d.code === 'fork-field' && /"label_type"/.test(d.message));
  const alone = labelType(data);
  assert.match(alone?.message ?? '', /^Choose the PSPNet schema or another fork's \(/);
  assert.equal(alone?.forks?.[0], 'pspnet');
  // Beside a BN layer written as only DeconvNet's Caffe reads it, DeconvNet is named first: in the
  // message and so as the preferred quick fix; the other forks are still listed.
  const bn =
    "layers { name: 'b' type: BN bottom: 'data' top: 'data' bn_param { scale_filler { type: 'constant' value: 1 } } }\n";
  const beside = labelType(data + bn);
  assert.match(beside?.message ?? '', /^Choose the DeconvNet schema or another fork's \(/);
  assert.equal(beside?.forks?.[0], 'deconvnet');
  assert.deepEqual([...(beside?.forks ?? [])].sort(), [...(alone?.forks ?? [])].sort());
});

test('policy: a type several forks register names first the fork the rest of the net needs', () => {
  const loss = 'layer { name: "l" type: "SmoothL1Loss" bottom: "data" bottom: "data" top: "l" }\n';
  const alone = checkBundled(input + loss);
  assert.match(alone[0].message, /^Choose the SSD schema or another fork's .*"SmoothL1Loss"/);
  // py-R-FCN: the same loss beside position-sensitive RoI pooling, which only R-FCN's Caffe has.
  const rfcn = checkBundled(
    input +
      loss +
      'layer { name: "p" type: "PSROIPooling" bottom: "data" bottom: "data" top: "p" psroi_pooling_param { spatial_scale: 0.0625 output_dim: 3 group_size: 1 } }\n',
  );
  assert.deepEqual(
    rfcn.map((d) => d.message.replace(/ \(prototxt.*?\)/, '')),
    [
      'Choose the R-FCN schema or another fork\'s: layer type "SmoothL1Loss" is not in BVLC Caffe.',
      'Choose the R-FCN schema: layer type "PSROIPooling" is not in BVLC Caffe.',
    ],
  );
});

test('policy: a field several forks define names the forks whose message takes the whole block', () => {
  const bn = (param: string) =>
    input + `layer { name: "b" type: "BN" bottom: "data" top: "data" bn_param { ${param} } }\n`;
  const messages = (param: string, options = {}) =>
    checkBundled(bn(param), options).map((d) => `${d.code} ${d.message.replace(/ \(prototxt.*?\)/, '')}`);
  // bn_mode is SegNet's alone (ducha-aiki's and PSPNet's BNParameter lack it): the layer's type
  // warning, which says its block too, names SegNet alone.
  assert.deepEqual(messages('bn_mode: INFERENCE'), [
    'unknown-layer-type Choose the SegNet schema: layer type "BN" is not in BVLC Caffe.',
  ]);
  // A block every fork registering BN takes leaves them all, in the bundled order.
  assert.deepEqual(messages(''), [
    'unknown-layer-type Choose the ducha-aiki/caffe schema or another fork\'s: layer type "BN" is not in BVLC Caffe.',
  ]);
  // With the type allowed by the settings, the block's own warning says the same.
  assert.deepEqual(messages('bn_mode: INFERENCE', { allowLayerTypes: ['BN'] }), [
    'fork-field Choose the SegNet schema: "bn_param" of LayerParameter is not in BVLC Caffe.',
  ]);
  assert.deepEqual(messages('', { allowLayerTypes: ['BN'] }), [
    'fork-field Choose the ducha-aiki/caffe schema or another fork\'s: "bn_param" of LayerParameter is not in BVLC Caffe.',
  ]);
});

test('policy: the type of a layer and its block name first the forks whose message takes the block', () => {
  // A BN with bn_param { frozen slope_filler }: PSPNet's and Temporal Segment Networks' BNParameter,
  // not ducha-aiki's or SegNet's, though all four register BN.
  const bn =
    'layer { name: "b" type: "BN" bottom: "data" top: "data" bn_param { frozen: true slope_filler { type: "constant" value: 1 } } }\n';
  const messages = (text: string) => checkBundled(text).map((d) => d.message.replace(/ \(prototxt.*?\)/, ''));
  // One warning, the type's, which says the block too: the forks that have both.
  assert.deepEqual(messages(input + bn), [
    'Choose the PSPNet or Temporal Segment Networks schema: layer type "BN" is not in BVLC Caffe.',
  ]);
  // Beside TSN's video reader (SSD's VideoData has no num_segments), the types name TSN first, and so
  // does the block several forks define: the document's other fork warnings say which it is written for.
  const video =
    'layer { name: "v" type: "VideoData" top: "data" top: "label" video_data_param { source: "list.txt" batch_size: 2 num_segments: 3 } }\n';
  assert.deepEqual(messages(video + bn), [
    'Choose the Temporal Segment Networks schema: layer type "VideoData" is not in BVLC Caffe.',
    'Choose the Temporal Segment Networks or PSPNet schema: layer type "BN" is not in BVLC Caffe.',
  ]);
});

test("policy: a fork layer's fields are not told again under its type's warning", () => {
  // SSD's AnnotatedData: its transform_param's resize_param and emit_constraint and its own
  // annotated_data_param are SSD's too; choosing either fork the type's warning names makes them known.
  const data =
    'layer { name: "d" type: "AnnotatedData" top: "data" top: "label"\n' +
    '  transform_param { resize_param { prob: 1 height: 300 width: 300 } emit_constraint { emit_type: CENTER } }\n' +
    '  data_param { source: "db" batch_size: 8 backend: LMDB }\n' +
    '  annotated_data_param { label_map_file: "labelmap.prototxt" } }\n';
  const found = checkBundled(data);
  assert.deepEqual(codes(found), ['1:25 unknown-layer-type']);
  // They are its related places, where its quick fix is offered too.
  assert.deepEqual(found[0].related, [
    '2:21 "resize_param" of TransformationParameter is not in BVLC Caffe either',
    '2:69 "emit_constraint" of TransformationParameter is not in BVLC Caffe either',
    '4:3 "annotated_data_param" of LayerParameter is not in BVLC Caffe either',
  ]);
  // With the type allowed by the settings, each field is what BVLC cannot read.
  assert.deepEqual(codes(checkBundled(data, { allowLayerTypes: ['AnnotatedData'] })), [
    '2:21 fork-field',
    '2:69 fork-field',
    '4:3 fork-field',
  ]);
  // The same block in a layer of a type BVLC has is told: nothing else says the net is SSD's.
  const plain = data.replace('"AnnotatedData"', '"Data"').replace(/ {2}annotated_data_param.*\n/, '}\n');
  assert.deepEqual(codes(checkBundled(plain)), ['2:21 fork-field', '2:69 fork-field']);
});

test("policy: a V1 layer's fork type value says its fork block too", () => {
  // DeconvNet's `layers { type: BN }`: the enum value only forks have is the layer's type warning.
  const v1 =
    'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n' +
    "layers { name: 'b' type: BN bottom: 'data' top: 'b' bn_param { scale_filler { type: 'constant' value: 1 } } }\n";
  const found = checkBundled(v1).filter((d) => d.code !== 'deprecated-format');
  assert.deepEqual(codes(found), ['6:26 fork-field']);
  assert.match(
    found[0].message,
    /^Choose the DeconvNet schema \(.*\): BN is not a value of LayerType in BVLC Caffe\.$/,
  );
  assert.deepEqual(found[0].related, ['6:53 "bn_param" of V1LayerParameter is not in BVLC Caffe either']);
});

test('policy: a fork field subtree is validated against the fork', () => {
  const text =
    'layer { name: "d" type: "Data" top: "data" transform_param { resize_param { prob: 1 resize_mode: WARP height: "x" } } }\n';
  // (The reader has no source either, which stops Caffe: told on the layer's name.)
  assert.deepEqual(codes(checkBundled(text)), [
    '1:15 reader-source',
    '1:62 fork-field',
    '1:111 expected-number',
  ]);
});

test('every check runs even if one of them fails on odd input', () => {
  assert.doesNotThrow(() => check('layer { bottom: [ { } ] top: [1, "a"] include: [ { phase: 7 } ] }\n'));
});

test('a single field of BVLC that a fork repeats, given more than once, is a warning naming the fork when no schema is known', () => {
  const list = 'base_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 10\ndevice_id: [0, 1]\n';
  const bundled = (text: string) =>
    analyze(text, parse(text), {
      schema: loadBundledSchema(),
      schemaKind: 'bundled',
      forks: bundledForkSchemas(),
    }).diagnostics;
  const listed = bundled(list).find((d) => d.code === 'unexpected-list');
  assert.ok(listed);
  assert.equal(listed.severity, 'warning');
  assert.equal(
    listed.message,
    'Choose the Temporal Segment Networks schema (prototxt.schema.paths or --schema): "device_id" of SolverParameter is repeated there, not in BVLC Caffe.',
  );
  assert.deepEqual(listed.forks, ['tsn']);
  const twice = bundled('base_lr: 0.01\nlr_policy: "fixed"\nmax_iter: 10\ndevice_id: 0\ndevice_id: 1\n').find(
    (d) => d.code === 'duplicate-field',
  );
  assert.equal(twice?.severity, 'warning');
  assert.deepEqual(twice?.forks, ['tsn']);
  // Against BVLC's schema chosen as the one in use, Caffe's parser rejects both.
  const chosen = check(list).find((d) => d.code === 'unexpected-list');
  assert.equal(chosen?.severity, 'error');
  assert.equal(chosen?.message, 'Field "device_id" is not repeated: give one value, not a list.');
});

test('a fork field given in layer after layer is said once, the other places related', () => {
  const bn = (i: number) =>
    `layer { name: "bn${i}" type: "BatchNorm" bottom: "data" top: "bn${i}" batch_norm_param { scale_bias: true } }\n`;
  const found = (n: number) =>
    checkBundled(input + [...Array(n).keys()].map(bn).join('')).filter((d) => d.code === 'fork-field');
  const [one, ...rest] = found(4);
  assert.deepEqual(rest, []);
  assert.match(
    one.message,
    /"scale_bias" of BatchNormParameter is not in BVLC Caffe\. The same holds at 3 more places in this file \(related locations\)\.$/,
  );
  assert.equal(one.related?.length, 3);
  // Twice is said twice.
  assert.equal(found(2).length, 2);
  // A type BVLC lacks, layer after layer (MRCNN-Scene-Recognition's 1,128 BN layers).
  const relu6 = (i: number) => `layer { name: "r${i}" type: "ReLU6" bottom: "data" top: "r${i}" }\n`;
  const types = checkBundled(input + [0, 1, 2].map(relu6).join('')).filter(
    (d) => d.code === 'unknown-layer-type',
  );
  assert.equal(types.length, 1);
  assert.match(types[0].message, /The same holds at 2 more places in this file \(related locations\)\.$/);
});

test("pooling's window given per axis (3D-Caffe's N-D pooling) is a warning naming such Caffes when no schema is chosen", () => {
  const net =
    'input: "data"\ninput_shape { dim: 1 dim: 1 dim: 16 dim: 16 dim: 16 }\n' +
    'layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { pool: MAX kernel_size: 3 kernel_size: 3 kernel_size: 1 stride: 2 } }\n';
  const twice = checkBundled(net).filter((d) => d.code === 'duplicate-field');
  assert.deepEqual(
    twice.map((d) => d.severity),
    ['warning', 'warning'],
  );
  assert.match(
    twice[0].message,
    /rejects the copy\. Caffes with N-D pooling \(3D-Caffe, .*\) take one value per axis/,
  );
  // Against BVLC's schema chosen as the one in use, the copies are errors; other fields given twice too.
  assert.deepEqual(
    check(net)
      .filter((d) => d.code === 'duplicate-field')
      .map((d) => d.severity),
    ['error', 'error'],
  );
  const other = checkBundled(net.replace('stride: 2', 'pool: AVE'));
  assert.deepEqual(
    other.filter((d) => d.code === 'duplicate-field').map((d) => d.severity),
    ['warning', 'warning', 'error'],
  );
});

test("a fork layer type whose forks' classes take other bottom counts is not taken for theirs", () => {
  const net = (bottoms: string) =>
    input +
    'layer { name: "p" type: "Pooling" bottom: "data" top: "p" top: "mask" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }\n' +
    `layer { name: "u" type: "Upsample" ${bottoms} top: "u" }\n`;
  const types = (text: string) => checkBundled(text).filter((d) => d.code === 'unknown-layer-type');
  // SegNet's Upsample unpools with the pooling's mask: two bottoms are SegNet's.
  const segnet = types(net('bottom: "p" bottom: "mask"'));
  assert.equal(segnet.length, 1);
  assert.match(segnet[0].message, /^Choose the SegNet schema .*layer type "Upsample" is not in BVLC Caffe/);
  // One bottom: the YOLO ports' upsampling, which SegNet's class would refuse.
  const yolo = types(net('bottom: "p"'));
  assert.equal(yolo.length, 1);
  assert.equal(
    yolo[0].message,
    'Unknown layer type "Upsample": neither BVLC Caffe nor the bundled forks register it (SegNet (alexgkendall/caffe-segnet) registers an Upsample of 2 bottoms, not 1). It is the YOLOv3 and YOLOv4 ports\' nearest-neighbour upsampling by upsample_param\'s scale: a Caffe built with upsample_layer.cpp (ChenYingpeng/darknet2caffe) registers it (with upsample_param added to its caffe.proto); then add it to prototxt.layerTypes.allow.',
  );
  // SSD's Caffe chosen: it has no Upsample, and SegNet's is not named as the one to choose.
  const ssd = check(net('bottom: "p"'), { schema: loadBundledFork('ssd') }).filter(
    (d) => d.code === 'unknown-layer-type',
  );
  assert.match(
    ssd[0].message,
    /^Unknown layer type "Upsample": neither BVLC Caffe nor the bundled forks register it \(SegNet/,
  );
});

test("a YOLO port's Upsample: its upsample_param is said by the type's warning, not sent to SegNet's schema", () => {
  const text =
    input +
    'layer { name: "u" type: "Upsample" bottom: "data" top: "u" upsample_param { scale: 2 } }\n' +
    'layer { name: "b" type: "BatchNorm" bottom: "u" top: "b" batch_norm_param { scale_bias: true } }\n';
  const found = checkBundled(text).filter((d) => d.code === 'unknown-layer-type' || d.code === 'fork-field');
  assert.deepEqual(
    found.map((d) => d.code),
    ['unknown-layer-type', 'fork-field'],
  );
  const line = text.slice(0, text.indexOf('upsample_param')).split('\n');
  assert.deepEqual(found[0].related, [
    `${line.length}:${line[line.length - 1].length + 1} its block, which goes with this type`,
  ]);
  // Another fork's field elsewhere keeps its warning.
  assert.match(found[1].message, /"scale_bias" of BatchNormParameter/);
});

test("a BN layer whose bn_param no BN fork has as written: one warning, on the type, with the block's reason", () => {
  const text =
    input +
    'layer { name: "bn" type: "BN" bottom: "data" top: "bn" bn_param { slope_filler { type: "constant" } moving_average: true } }\n';
  const found = checkBundled(text).filter((d) => d.code === 'unknown-layer-type' || d.code === 'fork-field');
  assert.deepEqual(
    found.map((d) => d.code),
    ['unknown-layer-type'],
  );
  assert.match(
    found[0].message,
    /^Layer type "BN" is not in BVLC Caffe; .* but not with this layer's bn_param/,
  );
  assert.equal(found[0].related?.length, 1);
  assert.match(
    found[0].related?.[0] ?? '',
    /^\d+:\d+ "bn_param" of LayerParameter is not in BVLC Caffe, and none of the bundled Caffes that have it .* has all of "slope_filler" and "moving_average" in its BNParameter: the block is written for another Caffe\.$/,
  );
});

test("YOLOv4's Mish is told as the darknet2caffe plugin, not as Synopsys Caffe's", () => {
  const found = checkBundled(input + 'layer { name: "m" type: "Mish" bottom: "data" top: "m" }\n').filter(
    (d) => d.code === 'unknown-layer-type',
  );
  assert.equal(found.length, 1);
  assert.match(
    found[0].message,
    /It is the YOLOv4 ports' Mish activation.*mish_layer\.cpp \(ChenYingpeng\/darknet2caffe\)/,
  );
  // Synopsys Caffe's own schema registers it.
  assert.deepEqual(
    codes(
      check(input + 'layer { name: "m" type: "Mish" bottom: "data" top: "m" }\n', {
        schema: loadBundledFork('synopsys'),
      }),
      'unknown-layer-type',
    ),
    [],
  );
});

test("a field unknown to a standard block of a layer no known Caffe registers is that Caffe's addition", () => {
  // caffe-Binarized-Weight-Networks: BinaryConvolution reads convolution_param with its own field.
  const layer = (type: string) =>
    `layer { name: "c" type: "${type}" bottom: "d" top: "c" convolution_param { num_output: 8 kernel_size: 3 binaryconnect_term: true kernal_size: 3 } }\n`;
  const found = checkBundled(layer('BinaryConvolution')).filter((d) => d.code === 'unknown-field');
  assert.deepEqual(
    found.map((d) => [d.severity, d.message]),
    [
      [
        'warning',
        'Message type "caffe.ConvolutionParameter" has no field named "binaryconnect_term": the layer\'s type ' +
          '"BinaryConvolution" is one neither BVLC Caffe nor the known forks register, and the Caffe that does ' +
          "likely adds the field to its ConvolutionParameter. Check the net against that Caffe's caffe.proto " +
          '(prototxt.schema.paths or --schema).',
      ],
      // A look-alike of a field the block has is a slip, whatever the layer.
      [
        'error',
        'Message type "caffe.ConvolutionParameter" has no field named "kernal_size". Did you mean "kernel_size"?',
      ],
    ],
  );
  // In a Convolution layer both are errors.
  assert.deepEqual(
    checkBundled(layer('Convolution'))
      .filter((d) => d.code === 'unknown-field')
      .map((d) => d.severity),
    ['error', 'error'],
  );
});

test("a block beside a type no known Caffe registers is that Caffe's: a warning, not a slip", () => {
  const op =
    'layer { name: "data" type: "OPData" top: "data" top: "label" op_transform_param { stride: 8 } }\n';
  const found = checkBundled(op).filter((d) => d.code === 'unknown-field');
  assert.deepEqual(
    found.map((d) => [d.severity, d.message]),
    [
      [
        'warning',
        'Message type "caffe.LayerParameter" has no field named "op_transform_param": it is beside the layer\'s ' +
          'type "OPData", which neither BVLC Caffe nor the known forks register, so both are another Caffe\'s. ' +
          "Check the net against that Caffe's caffe.proto (prototxt.schema.paths or --schema).",
      ],
    ],
  );
  // A block named as the type goes with it.
  const named = checkBundled(
    'layer { name: "d" type: "OPData" top: "data" top: "label" op_data_param { stride: 8 } }\n',
  ).filter((d) => d.code === 'unknown-field');
  assert.match(named[0]?.message ?? '', /"op_data_param": it goes with the layer's type "OPData"/);
  // Beside a type Caffe has, the unknown block is the error it is.
  const conv = checkBundled(
    'layer { name: "c" type: "Convolution" bottom: "d" top: "c" op_transform_param { stride: 8 } }\n',
  ).filter((d) => d.code === 'unknown-field');
  assert.deepEqual(
    conv.map((d) => d.severity),
    ['error'],
  );
});

test("a block no fork defines beside a type only forks register: another Caffe's layer of that name, not the forks'", () => {
  // NormFace's Normalize (happynear's) reads normalize_param; SSD's reads norm_param.
  const layer = (block: string) => `layer { name: "n" type: "Normalize" bottom: "d" top: "n" ${block} }\n`;
  const found = checkBundled(layer('normalize_param { normalize_type: "L2" }')).filter(
    (d) => d.code === 'unknown-field' || d.code === 'unknown-layer-type',
  );
  assert.deepEqual(
    found.map((d) => [d.code, d.severity, d.message]),
    [
      [
        'unknown-layer-type',
        'warning',
        'Layer type "Normalize" is not in BVLC Caffe; SSD (weiliu89/caffe), NVIDIA Caffe (NVIDIA/caffe), ' +
          'ducha-aiki/caffe, Temporal Segment Networks (yjxiong/caffe) and Synopsys Caffe (synopsys-caffe) have ' +
          "it, but not with this layer's " +
          "normalize_param: the layer is written for another Caffe. Check the net against that Caffe's caffe.proto " +
          '(prototxt.schema.paths or --schema).',
      ],
      [
        'unknown-field',
        'warning',
        'Message type "caffe.LayerParameter" has no field named "normalize_param": it goes with the layer\'s type ' +
          '"Normalize", which BVLC Caffe lacks and SSD (weiliu89/caffe), NVIDIA Caffe (NVIDIA/caffe), ' +
          'ducha-aiki/caffe and Temporal Segment Networks (yjxiong/caffe) register without this field, so the ' +
          'layer is another Caffe\'s "Normalize". Check the net against that Caffe\'s caffe.proto ' +
          '(prototxt.schema.paths or --schema).',
      ],
    ],
  );
  // SSD's own block: the fork to choose, as before; a look-alike of a field is a slip.
  const ssd = checkBundled(layer('norm_param { across_spatial: false }'));
  assert.match(
    ssd.find((d) => d.code === 'unknown-layer-type')?.message ?? '',
    /^Choose the SSD or NVIDIA Caffe schema/,
  );
  const slip = checkBundled(layer('norm_parm { across_spatial: false }')).filter(
    (d) => d.code === 'unknown-field',
  );
  assert.deepEqual(
    slip.map((d) => d.severity),
    ['error'],
  );
});

test("in a net that uses another Caffe's layer with its own block, other unknown fields may be that Caffe's: warnings", () => {
  // DN_CaffeScript's nets: Tongcheng/caffe's DenseBlock with denseblock_param, and its AccuracyParameter use_log.
  const dense =
    'layer { name: "d" type: "DenseBlock" bottom: "a" top: "b" denseblock_param { numTransition: 2 } }\n';
  const acc = (field: string) =>
    `layer { name: "acc" type: "Accuracy" bottom: "b" bottom: "l" top: "acc" accuracy_param { ${field}: 1 } }\n`;
  const said = (text: string) =>
    checkBundled(text)
      .filter((d) => d.code === 'unknown-field' && !d.message.includes('denseblock_param'))
      .map((d) => [d.severity, d.message]);
  assert.deepEqual(said(dense + acc('use_log')), [
    [
      'warning',
      'Message type "caffe.AccuracyParameter" has no field named "use_log": this net uses layer type "DenseBlock" ' +
        'with a block of its own, which neither BVLC Caffe nor the known forks have, so it is written for another ' +
        "Caffe, which may add this field too. Check the net against that Caffe's caffe.proto (prototxt.schema.paths or --schema).",
    ],
  ]);
  // Without such a layer, or for a look-alike of a field the block has, it is an error.
  assert.deepEqual(
    said(acc('use_log')).map(([severity]) => severity),
    ['error'],
  );
  assert.match(said(dense + acc('top_kk'))[0]?.[1] ?? '', /Did you mean "top_k"\?/);
});

test("HED's ImageLabelmapData is told as the layer source edge and saliency nets copy", () => {
  const data =
    'layer { name: "data" type: "ImageLabelmapData" top: "data" top: "label" image_data_param { source: "train.lst" batch_size: 1 } }\n';
  const found = checkBundled(data).filter((d) => d.code === 'unknown-layer-type');
  assert.equal(
    found[0]?.message,
    'Unknown layer type "ImageLabelmapData": neither BVLC Caffe nor the bundled forks register it. It is HED\'s data ' +
      "layer, which reads an image and its label map per line of image_data_param's source: a Caffe built with " +
      'image_labelmap_data_layer.cpp (s9xie/hed) registers it; then add it to prototxt.layerTypes.allow.',
  );
});

test("Ristretto's quantized layers are told as the fork whose quantize tool writes them", () => {
  const net =
    'layer { name: "c" type: "ConvolutionRistretto" bottom: "d" top: "c" convolution_param { num_output: 8 kernel_size: 3 } ' +
    'quantization_param { bw_layer_in: 8 } }\n';
  const found = checkBundled(net).filter(
    (d) => d.code === 'unknown-layer-type' || d.code === 'unknown-field',
  );
  assert.deepEqual(
    found.map((d) => [d.code, d.severity]),
    [
      ['unknown-layer-type', 'warning'],
      ['unknown-field', 'warning'],
    ],
  );
  assert.equal(
    found[0].message,
    'Unknown layer type "ConvolutionRistretto": neither BVLC Caffe nor the bundled forks register it. It is ' +
      "Ristretto's convolution with quantized weights and activations, which its ristretto quantize tool writes: " +
      'a Caffe built with conv_ristretto_layer.cpp (pmgysel/caffe, Ristretto) registers it (with quantization_param ' +
      'added to its caffe.proto); then add it to prototxt.layerTypes.allow.',
  );
});

test("FlowNet 2.0's own layer types are named as that Caffe's, not as registered by no known Caffe", () => {
  const found = checkBundled(
    'layer { name: "d" type: "CustomData" top: "a" top: "b" }\nlayer { name: "n" type: "NegReLU" bottom: "a" top: "n" }\n',
  ).filter((d) => d.code === 'unknown-layer-type');
  assert.equal(found.length, 2);
  for (const d of found)
    assert.match(
      d.message,
      /neither BVLC Caffe nor the bundled forks register it; it is a type of FlowNet 2\.0's Caffe \(lmb-freiburg\/flownet2\) or one built on it\. If the net is written for that Caffe, check it against its caffe\.proto/,
    );
});

test('a layer type that is a template placeholder is said to be one', () => {
  const found = checkBundled('layer { name: "r" type: "{activation}" bottom: "d" top: "d" }\n').filter(
    (d) => d.code === 'unknown-layer-type',
  );
  assert.deepEqual(
    found.map((d) => [d.severity, d.message]),
    [
      [
        'warning',
        'Layer type "{activation}" is a template placeholder: Caffe reads the file only after it is filled in with a type.',
      ],
    ],
  );
});

test("face nets' Flip is told as the mirror layer it is, not as a slip for Clip", () => {
  const found = checkBundled('layer { name: "f" type: "Flip" bottom: "d" top: "f" }\n').filter(
    (d) => d.code === 'unknown-layer-type',
  );
  assert.equal(found.length, 1);
  assert.match(
    found[0].message,
    /^Unknown layer type "Flip": .*It is a mirror of the blob along its width or height/,
  );
  assert.doesNotMatch(found[0].message, /Clip/);
  assert.equal(found[0].suggestions, undefined);
});

test("an Interp of two bottoms is not PSPNet's, whose class takes one", () => {
  const text =
    input +
    'layer { name: "i" type: "Interp" bottom: "data" bottom: "data" top: "i" interp_param { zoom_factor: 2 } }\n';
  const found = checkBundled(text).filter((d) => d.code === 'unknown-layer-type');
  assert.equal(found.length, 1);
  assert.match(
    found[0].message,
    /^Unknown layer type "Interp": neither BVLC Caffe nor the known forks register it \(PSPNet \(hszhao\/PSPNet\) registers an Interp of 1 bottom, not 2\)/,
  );
  // One bottom: PSPNet's, as before.
  const one = checkBundled(
    input + 'layer { name: "i" type: "Interp" bottom: "data" top: "i" interp_param { zoom_factor: 2 } }\n',
  );
  assert.match(one.find((d) => d.code === 'unknown-layer-type')?.message ?? '', /^Choose the PSPNet schema/);
});

test("a type BVLC lacks whose block the user's own schema gives LayerParameter: its Caffe most likely registers it", () => {
  const proto = layersProto(
    ['optional SequenceDataParameter sequence_data_param = 200;'],
    'message SequenceDataParameter { optional uint32 length = 1; }\n',
  );
  const { schema } = schemaFromProtoText(proto, '/w/untrimmed/caffe.proto');
  const net = 'layer { name: "d" type: "SequenceData" top: "d" sequence_data_param { length: 3 } }\n';
  const found = check(net, { schema }).filter((d) => d.code === 'unknown-layer-type');
  assert.deepEqual(
    found.map((d) => [d.severity, d.message]),
    [
      [
        'information',
        'Layer type "SequenceData" is not in BVLC Caffe, but the schema in use gives LayerParameter its block sequence_data_param, so its Caffe most likely registers it (no sources beside the proto tell). Add it to prototxt.layerTypes.allow to say so.',
      ],
    ],
  );
  // Used layer after layer, it is said once (limuhit/Caffe_Gan's Dtow).
  const thrice = [1, 2, 3]
    .map(
      (i) => `layer { name: "d${i}" type: "SequenceData" top: "d${i}" sequence_data_param { length: 3 } }\n`,
    )
    .join('');
  const once = check(thrice, { schema }).filter((d) => d.code === 'unknown-layer-type');
  assert.equal(once.length, 1);
  assert.equal(once[0].related?.length, 2);
  // Without its block in the schema, nothing tells: the warning it was.
  const other = check('layer { name: "d" type: "SequenceData" top: "d" }\n', {
    schema: schemaFromProtoText(layersProto(), '/w/other/caffe.proto').schema,
  }).filter((d) => d.code === 'unknown-layer-type');
  assert.deepEqual(
    other.map((d) => d.severity),
    ['warning'],
  );
});

test("a layer's own block where the repository's sources register its type: that layer's addition, not a fork's (P3D's BN)", () => {
  const registered = new Map([
    ['BN', { type: 'BN', file: '/w/caffe_add_layers/src/bn_layer.cpp', line: 348 }],
    ['Pooling3D', { type: 'Pooling3D', file: '/w/caffe_add_layers/src/pooling3d_layer.cpp', line: 369 }],
  ]);
  const layers = ['a', 'b', 'c']
    .map(
      (n) =>
        `layer { name: "${n}" type: "BN" bottom: "data" top: "${n}" bn_param { slope_filler { type: "constant" } frozen: true } }\n`,
    )
    .join('');
  const text =
    input +
    layers +
    'layer { name: "p" type: "Pooling3D" bottom: "a" top: "p" pooling3d_param { kernel_size: 2 } }\n';
  const found = checkBundled(text, { repositoryLayerType: (t) => registered.get(t) }).filter(
    (d) => d.code === 'fork-field' || d.code === 'unknown-layer-type',
  );
  assert.deepEqual(
    found.map((d) => [d.code, d.forks, d.related?.length ?? 0]),
    [
      ['fork-field', [], 2],
      ['fork-field', [], 0],
    ],
  );
  assert.equal(
    found[0].message,
    '"bn_param" of LayerParameter is not in BVLC Caffe: it goes with the layer\'s type "BN", which this repository\'s bn_layer.cpp registers, so it is that layer\'s addition to caffe.proto. Add it to your Caffe\'s caffe.proto and check the net against that (prototxt.schema.paths or --schema). The same holds at 2 more places in this file (related locations).',
  );
  assert.match(
    found[1].message,
    /^"pooling3d_param" of LayerParameter is not in BVLC Caffe: it goes with the layer's type "Pooling3D", which this repository's pooling3d_layer.cpp registers/,
  );
});
