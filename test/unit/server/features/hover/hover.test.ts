import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarkupKind, type Hover, type MarkupContent } from 'vscode-languageserver';
import { provideHover } from '../../../../../server/src/features/hover/hover';
import { count } from '../../../../../server/src/features/hover/net';
import { BASIC_CLIENT } from '../../../../../server/src/workspace/analyses';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import {
  featureInputAt,
  featureInputFor,
  type FeatureInputOptions,
} from '../../../../helpers/analyzed-document';

function hoverAt(marked: string, options: FeatureInputOptions = {}): Hover | null {
  const { input, position } = featureInputAt(marked, options);
  return provideHover(input, { textDocument: { uri: input.doc.uri }, position });
}
function text(marked: string, options: FeatureInputOptions = {}): string {
  const h = hoverAt(marked, options);
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

const NET = `name: "n"
layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 224 dim: 224 } }
}
layer {
  name: "label"
  type: "Input"
  top: "label"
  input_param { shape { dim: 1 } }
  include { phase: TRAIN }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 64 kernel_size: 7 stride: 2 pad: 3 }
}
layer {
  name: "relu1"
  type: "ReLU"
  bottom: "conv1"
  top: "conv1"
}
layer {
  name: "acc"
  type: "Accuracy"
  bottom: "conv1"
  bottom: "label"
  top: "acc"
  include { phase: TRAIN }
}
`;

test("in a solver's embedded net, a blob and a layer name hover as in a net file", () => {
  const solver = (marked: string) => `base_lr: 0.01\nlr_policy: "fixed"\nnet_param {\n${marked}}\n`;
  const blob = text(solver(NET.replace('bottom: "data"', 'bottom: "da<|>ta"')));
  assert.match(blob, /^\*\*blob\*\* `data`/);
  assert.match(
    blob,
    /shape `1×3×224×224`; produced by `data \(Input\)`; consumed by `conv1 \(Convolution\)`/,
  );
  const layer = text(solver(NET.replace('name: "conv1"', 'name: "con<|>v1"')));
  assert.match(layer, /^\*\*layer\*\* `conv1 \(Convolution\)`/);
  assert.match(layer, /parameters 9,472/);
});

test('a field name: signature with type, label, number and default, the message, the description', () => {
  const h = hoverAt(NET.replace('num_output', 'num_out<|>put'));
  assert.ok(h);
  const value = (h.contents as MarkupContent).value;
  assert.equal((h.contents as MarkupContent).kind, MarkupKind.Markdown);
  assert.match(value, /optional uint32 num_output = 1;/);
  assert.match(value, /caffe\.ConvolutionParameter/);
  assert.match(value, /filters/);
  assert.deepEqual(h.range?.start, { line: 19, character: 22 });
  const bias = text('layer {\n  convolution_param { bias_<|>term: false }\n}\n');
  assert.match(bias, /optional bool bias_term = 2 \[default = true\];/);
});

test('plain text for clients without markdown', () => {
  const h = hoverAt(NET.replace('num_output', 'num_out<|>put'), { client: BASIC_CLIENT });
  assert.ok(h);
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, MarkupKind.PlainText);
  assert.ok(!c.value.includes('```'));
  assert.match(c.value, /^optional uint32 num_output = 1;/);
});

test('a field of enum type lists the values; an enum value shows its number and the others', () => {
  assert.match(text('layer {\n  include { pha<|>se: TRAIN }\n}\n'), /Values: `TRAIN`, `TEST`/);
  const v = text('layer {\n  pooling_param { pool: AV<|>E }\n}\n');
  assert.match(v, /AVE = 1/);
  assert.match(v, /PoolMethod: `MAX`, \*\*AVE\*\*, `STOCHASTIC`/);
});

test('enums with more than 20 values are capped', () => {
  const v = text('layers {\n  name: "x"\n  type: CONVOLUTION\n}\nlayers {\n  ty<|>pe: RELU\n}\n');
  assert.match(v, /\+\d+ more/);
});

test('a layer type: what it does and its param block; V1 names mapped', () => {
  const conv = text(NET.replace('"Convolution"', '"Convol<|>ution"'));
  assert.match(conv, /layer type\*\* `Convolution`/);
  assert.match(conv, /convolution_param/);
  assert.match(conv, /filters/);
  const v1 = text('layers {\n  name: "c"\n  type: CONV<|>OLUTION\n}\n');
  assert.match(v1, /`Convolution`/);
  assert.match(v1, /V1 way as CONVOLUTION/);
  assert.match(text('layer {\n  type: "Nope<|>"\n}\n'), /Not a layer type/);
  // A widely used plugin's type: what it is and the source that registers it.
  assert.match(
    text('layer {\n  type: "ShuffleCha<|>nnel"\n}\n'),
    /Not a layer type .*\n\nIt is ShuffleNet's channel shuffle; a Caffe built with shuffle\\?_channel\\?_layer\.cpp \(farmingyard\/ShuffleNet\) registers it \(with shuffle\\?_channel\\?_param added to its caffe\.proto\)\./s,
  );
  // A fork's type names the forks as people know them.
  assert.match(
    text('layer {\n  type: "PSROIPoo<|>ling"\n}\n'),
    /Registered by the fork R-FCN \(Microsoft\/caffe\); not by BVLC Caffe\./,
  );
  assert.match(
    text('layer {\n  type: "ROIPoo<|>ling"\n}\n'),
    /Registered by the forks Fast\/Faster R-CNN \(rbgirshick\/caffe-fast-rcnn\), ducha-aiki\/caffe, R-FCN \(Microsoft\/caffe\), Temporal Segment Networks \(yjxiong\/caffe\); not by BVLC Caffe\./,
  );
});

test('a blob name: producers, consumers and shape per phase', () => {
  const data = text(NET.replace('bottom: "data"', 'bottom: "da<|>ta"'));
  assert.match(
    data,
    /\*\*TRAIN, TEST\*\*: shape `1×3×224×224`; produced by `data \(Input\)`; consumed by `conv1 \(Convolution\)`/,
  );
  // conv1 as read by acc (TRAIN only), after the in-place ReLU.
  const conv = text(
    NET.replace('bottom: "conv1"\n  bottom: "label"', 'bottom: "co<|>nv1"\n  bottom: "label"'),
  );
  assert.match(conv, /\*\*TRAIN\*\*: shape `1×64×112×112`/);
  assert.match(conv, /produced by `conv1 \(Convolution\)`, `relu1 \(ReLU\)`/);
  assert.match(conv, /`acc \(Accuracy\)`/);
  assert.ok(!conv.includes('TEST'), 'acc runs in TRAIN only');
  // The same name hovered in relu1's bottom shows both phases, with acc only in TRAIN.
  const relu = text(NET.replace('bottom: "conv1"\n  top: "conv1"', 'bottom: "conv1"\n  top: "con<|>v1"'));
  assert.match(relu, /\*\*TRAIN\*\*:.*acc/);
  assert.match(
    relu,
    /\*\*TEST\*\*: shape `1×64×112×112`; produced by `conv1 \(Convolution\)`, `relu1 \(ReLU\)`; consumed by `relu1 \(ReLU\)`$/m,
  );
});

test('a net whose state fixes the phase is read in that phase only; shapes come from the analysis', () => {
  const marked = NET.replace('name: "n"', 'name: "n"\nstate { phase: TEST }').replace(
    'name: "conv1"',
    'name: "co<|>nv1"',
  );
  const { input, position } = featureInputAt(marked);
  const h = provideHover(input, { textDocument: { uri: input.doc.uri }, position });
  const v = (h?.contents as MarkupContent).value;
  assert.match(v, /\*\*TEST\*\*: parameters 9,472/);
  assert.ok(!v.includes('TRAIN'));
});

test('a legacy net input is a blob too', () => {
  const v = text(
    'input: "da<|>ta"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer {\n  name: "r"\n  type: "ReLU"\n  bottom: "data"\n  top: "r"\n}\n',
  );
  // No phase rules in the file: the hover names no phase.
  assert.match(v, /^Shape `1×3×8×8`; produced by `net input`; consumed by `r \(ReLU\)`$/m);
  assert.ok(!/TRAIN|TEST/.test(v), v);
});

test('a layer name: parameter count and MACs per phase', () => {
  const v = text(NET.replace('name: "conv1"', 'name: "con<|>v1"'));
  // 64 filters of 3×7×7 plus 64 biases; 112×112 outputs × 64 × 147 MACs.
  assert.match(v, /layer\*\* `conv1 \(Convolution\)`/);
  assert.match(v, /parameters 9,472/);
  assert.match(v, /MACs 118,013,952 \(118\.0M\)/);
  assert.match(v, /tops `conv1 1×64×112×112`/);
  assert.match(v, /\*\*TRAIN, TEST\*\*/);
  const py = text('layer {\n  name: "p<|>y"\n  type: "Python"\n  top: "x"\n}\n');
  assert.match(py, /^No shape rule for this type; tops `x \?`$/m);
});

test('nothing on whitespace, comments, unknown fields, or an empty value', () => {
  assert.equal(hoverAt('layer {\n  <|>\n}\n'), null);
  assert.equal(hoverAt('# a co<|>mment\n'), null);
  assert.equal(hoverAt('layer {\n  bog<|>us: 1\n}\n'), null);
  assert.equal(hoverAt('layer {\n  type: <|>\n}\n'), null);
});

test('broken text still hovers what is readable', () => {
  const v = text('layer {\n  name: "a"\n  convolution_param {\n    kernel<|>_size: 3\n    num_output:\n');
  assert.match(v, /repeated uint32 kernel_size = 4;/);
});

test('other scalar values show their field', () => {
  assert.match(text('layer {\n  convolution_param { num_output: 6<|>4 }\n}\n'), /uint32 num_output/);
});

test('counts read well', () => {
  assert.equal(count(null), '?');
  assert.equal(count(9472), '9,472');
  assert.equal(count(25_557_032), '25,557,032 (25.6M)');
  assert.equal(count(4_100_000_000), '4,100,000,000 (4.1G)');
});

const PYTHON_DATA = `layer {
  name: "input-data"
  type: "Python"
  top: "data"
  top: "im_info"
  python_param { module: "roi_data_layer.layer" layer: "RoIDataLayer" }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 8 kernel_size: 3 }
}
layer {
  name: "relu1"
  type: "ReLU"
  bottom: "conv1"
  top: "conv1"
}
`;

test('an unknown shape says which layer left it unknown and the two ways to know it', () => {
  const own = text(PYTHON_DATA.replace('top: "data"', 'top: "da<|>ta"'));
  assert.match(own, /^Shape `\?`; produced by `input-data \(Python\)`/m);
  assert.match(
    own,
    /^The layer `input-data` \(Python\) leaves it unknown: a Python layer \(`roi_data_layer\.layer\.RoIDataLayer`\) tells its top shapes only when its code runs\. To know it, click \*\*Infer top shapes\*\* above `input-data` \(it runs the layer's setup and reshape\), or state the shape \(a line `# input-shape: data=N,C,H,W` in the file, the setting `prototxt\.shapes\.inputShapes`, or the CLI's `--input-shape`\)\.$/m,
  );
  // Two layers further down (through an in-place ReLU), the hover names the same layer and its top.
  const down = text(PYTHON_DATA.replace('bottom: "conv1"', 'bottom: "co<|>nv1"'));
  assert.match(
    down,
    /^Unknown since layer `input-data` \(Python\), which leaves its top `data` unknown: a Python layer/m,
  );
  // A known shape gets no explanation.
  const known = text(NET.replace('bottom: "data"', 'bottom: "da<|>ta"'));
  assert.ok(!/unknown/i.test(known), known);
});

test('a partly known shape shows its known dims and says which parameters are missing', () => {
  const net = `layer {
  name: "mnist"
  type: "Data"
  top: "data"
  top: "label"
  data_param { source: "db" batch_size: 64 }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 20 kernel_size: 5 }
}
`;
  const v = text(net.replace('top: "conv1"', 'top: "con<|>v1"'));
  assert.match(v, /^Shape `64×20×\?×\?`; produced by `conv1 \(Convolution\)`/m);
  assert.match(
    v,
    /^Unknown since layer `mnist` \(Data\), which leaves its top `data` unknown as `64×\?×\?×\?`: it reads its data at run time, and its parameters do not say the channels, height and width\. To know it, state the shape \(a line `# input-shape: data=64,C,H,W` in the file, the setting `prototxt\.shapes\.inputShapes`, or the CLI's `--input-shape`\)\.$/m,
  );
  assert.ok(!v.includes('Infer top shapes'), 'no lens for a data layer');
  const label = text(net.replace('top: "label"', 'top: "lab<|>el"'));
  assert.match(label, /^Shape `64`;/m);
  assert.ok(!/unknown/i.test(label), label);
});

test('a message field lists the fields it holds, with their types and defaults', () => {
  const v = text(NET.replace('convolution_param', 'convolution<|>_param'));
  assert.match(v, /^`ConvolutionParameter` holds:$/m);
  assert.match(v, /^num_output +uint32$/m);
  assert.match(v, /^bias_term +bool = true$/m);
  assert.match(v, /^kernel_size +repeated uint32$/m);
  assert.match(v, /^weight_filler +FillerParameter$/m);
  assert.match(v, /^engine +Engine = DEFAULT$/m);
  // A scalar field holds nothing to list.
  const scalar = text(NET.replace('num_output', 'num_out<|>put'));
  assert.ok(!scalar.includes('holds:'), scalar);
});

test('a field only forks define: the fix first and short in the diagnostic, the whole story in the hover', () => {
  const ssd = `layer {
  name: "loss"
  type: "SoftmaxWithLoss"
  bottom: "a"
  bottom: "b"
  top: "loss"
  multibox_loss_param { num_classes: 21 }
}
`;
  const input = featureInputFor(ssd);
  const warning = input.analysis.diagnostics.find((d) => d.code === 'fork-field');
  assert.equal(
    warning?.message,
    'Choose the SSD or NVIDIA Caffe schema (prototxt.schema.paths or --schema): "multibox_loss_param" of LayerParameter is not in BVLC Caffe.',
  );
  const v = text(ssd.replace('multibox_loss_param', 'multibox<|>_loss_param'));
  assert.match(
    v,
    /Not in BVLC Caffe's caffe\.proto: defined by SSD \(weiliu89\/caffe\), NVIDIA Caffe \(NVIDIA\/caffe\), Synopsys Caffe \(synopsys-caffe\)\./,
  );
  assert.match(
    v,
    /To check the file exactly, choose that fork's `caffe\.proto`.*status bar.*`prototxt\.schema\.paths`/,
  );
  // The fork's message is listed though BVLC's schema does not have it.
  assert.match(v, /^`MultiBoxLossParameter` holds:$/m);
  assert.match(v, /^num_classes +uint32$/m);
});

test('under a bundled fork that rewrote a BVLC layer, the layer type hover says so', () => {
  const net = NET.replace('type: "ReLU"', 'type: "Re<|>LU"');
  const settings = { schema: { paths: ['bundled:synopsys'], autoDiscover: false } };
  assert.match(
    text(net, { settings }),
    /Synopsys Caffe changed ReLU: its `src\/caffe\/layers\/relu_layer\.cpp` is none of BVLC's versions, so the shapes inferred from BVLC's ReLU may not be Synopsys Caffe's/,
  );
  assert.doesNotMatch(text(net), /changed ReLU/);
});

test("under a merging fork's own schema, its entry tells a type others tell as a plugin", () => {
  const net = NET.replace('type: "ReLU"', 'type: "Shuffle<|>Channel"');
  const settings = { schema: { paths: ['bundled:synopsys'], autoDiscover: false } };
  assert.match(text(net, { settings }), /Registered by the fork Synopsys Caffe \(synopsys-caffe\)/);
  assert.match(text(net), /It is ShuffleNet's channel shuffle/);
});

test('under a chosen caffe.proto, a field it lacks is shown as the bundled schemas that have it define it', () => {
  const settings = { schema: { ...DEFAULT_SETTINGS.schema, paths: ['bundled:fastrcnn'] } };
  const clip = 'layer { name: "c" type: "Clip" bottom: "x" top: "c"\n  clip_pa<|>ram { min: 0 max: 1 } }\n';
  const shown = text(clip, { settings });
  assert.match(shown, /optional ClipParameter clip_param = \d+/);
  assert.match(shown, /min +required float/);
  assert.match(
    shown,
    /Not in the caffe\.proto in use: BVLC Caffe and Synopsys Caffe \(synopsys-caffe\) define it \(shown as BVLC Caffe's\)/,
  );
  assert.match(shown, /`bundled:bvlc` or `bundled:synopsys`/);
  // A name no bundled schema has: no hover, as before.
  assert.equal(hoverAt(clip.replace('clip_pa<|>ram', 'clip_pa<|>rm'), { settings }), null);
  // Under the bundled schema the field is BVLC's own: its usual hover, without the note.
  assert.doesNotMatch(text(clip), /Not in the caffe\.proto in use/);
});
