import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
  CompletionItemTag,
  CompletionTriggerKind,
  InsertTextFormat,
  type CompletionItem,
  type TextEdit,
} from 'vscode-languageserver';
import { provideCompletion } from '../../../../../server/src/features/completion/completion';
import { BASIC_CLIENT } from '../../../../../server/src/workspace/analyses';
import { featureInputAt, type FeatureInputOptions } from '../../../../helpers/analyzed-document';

function complete(marked: string, options: FeatureInputOptions = {}, trigger?: string): CompletionItem[] {
  const { input, position } = featureInputAt(marked, options);
  const context = trigger
    ? { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: trigger }
    : { triggerKind: CompletionTriggerKind.Invoked };
  return provideCompletion(input, { textDocument: { uri: input.doc.uri }, position, context }).items;
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const byLabel = (items: CompletionItem[], label: string) => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} offered (got ${labels(items).join(', ')})`);
  return item;
};
const sorted = (items: CompletionItem[]) =>
  [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
const newText = (item: CompletionItem) => (item.textEdit as TextEdit).newText;

const NET = `name: "n"
layer {
  name: "data"
  type: "Input"
  top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 32 dim: 32 } }
}
layer {
  name: "label"
  type: "Input"
  top: "label"
  include { phase: TRAIN }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 8 kernel_size: 3 }
}
`;

test('fields of ConvolutionParameter inside convolution_param, none of other messages', () => {
  const items = complete(NET.replace('num_output: 8 ', 'bias_term: false\n    <|>\n    '));
  const names = labels(items);
  for (const f of ['num_output', 'stride', 'pad', 'group', 'weight_filler']) assert.ok(names.includes(f), f);
  assert.ok(!names.includes('bias_term'), 'a singular field already written is left out');
  assert.ok(names.includes('kernel_size'), 'a repeated field stays offered');
  assert.ok(!names.includes('loss_weight'));
  const num = byLabel(items, 'num_output');
  assert.equal(num.detail, 'uint32');
  assert.equal(newText(num), 'num_output: ');
  assert.match(String((num.documentation as { value: string }).value), /filters/);
  assert.equal(byLabel(items, 'engine').detail, 'Engine = DEFAULT');
  assert.equal(byLabel(items, 'stride').detail, 'repeated uint32');
});

test('message fields insert a snippet block, or plain text for clients without snippets', () => {
  const marked = NET.replace('num_output: 8 ', 'weight<|> ');
  const snippet = byLabel(complete(marked), 'weight_filler');
  assert.equal(snippet.insertTextFormat, InsertTextFormat.Snippet);
  assert.equal(newText(snippet), 'weight_filler {\n\t$0\n}');
  const plain = byLabel(complete(marked, { client: BASIC_CLIENT }), 'weight_filler');
  assert.notEqual(plain.insertTextFormat, InsertTextFormat.Snippet);
  assert.equal(newText(plain), 'weight_filler { }');
  assert.equal(typeof plain.documentation, 'string');
  // The identifier being typed is replaced.
  const edit = snippet.textEdit as TextEdit;
  assert.equal(edit.range.end.character - edit.range.start.character, 'weight'.length);
});

test('in a layer: name/type/bottom/top first, the param block of its type next, deprecated last', () => {
  const items = complete('layer {\n  type: "Convolution"\n  <|>\n}\n');
  const order = sorted(items);
  assert.deepEqual(order.slice(0, 3), ['name', 'bottom', 'top']);
  assert.equal(order[3], 'convolution_param');
  assert.ok(!order.includes('type'));
  const last = items.filter((i) => i.tags?.includes(CompletionItemTag.Deprecated));
  assert.ok(last.length === 0 || order.indexOf(String(last[0].label)) > order.indexOf('pooling_param'));
  assert.ok(order.includes('bottom'), 'repeated fields stay offered');
});

test('a partially typed name in a broken, unclosed layer still completes', () => {
  const items = complete('layer {\n  name: "a"\n  ty<|>');
  const type = byLabel(items, 'type');
  assert.equal(newText(type), 'type: ');
  assert.equal(type.detail, 'string');
  assert.ok(!labels(items).includes('name'));
});

test('an empty document offers the fields of a net; a name typed at the top level too', () => {
  const empty = labels(complete('<|>'));
  assert.ok(empty.includes('layer') && empty.includes('name') && empty.includes('input'));
  const typed = complete('name: "n"\nlay<|>');
  assert.equal(newText(byLabel(typed, 'layer')), 'layer {\n\t$0\n}');
  assert.ok(sorted(typed).indexOf('layer') < sorted(typed).indexOf('layers'), 'V1 `layers` after `layer`');
  assert.deepEqual(byLabel(typed, 'layers').tags, [CompletionItemTag.Deprecated]);
});

test('on a written name, the bare name replaces it', () => {
  const items = complete('layer {\n  na<|>me: "a"\n}\n');
  assert.equal(newText(byLabel(items, 'name')), 'name');
});

test('enum values after a colon, with a space after a bare colon', () => {
  const items = complete('layer {\n  include { phase:<|> }\n}\n', {}, ':');
  assert.deepEqual(labels(items), ['TRAIN', 'TEST']);
  assert.equal(newText(items[0]), ' TRAIN');
  assert.match(String(items[0].detail), /Phase = 0/);
  const typed = complete('layer {\n  include { phase: TE<|> }\n}\n');
  assert.equal(newText(byLabel(typed, 'TEST')), 'TEST');
});

test('booleans and pooling methods', () => {
  assert.deepEqual(labels(complete('force_backward: <|>\n')), ['true', 'false']);
  const pool = labels(complete('layer {\n  type: "Pooling"\n  pooling_param { pool: <|> }\n}\n'));
  assert.deepEqual(pool, ['MAX', 'AVE', 'STOCHASTIC']);
});

test('layer types, quoted unless inside quotes, with their description', () => {
  const bare = complete('layer {\n  name: "x"\n  type: <|>\n}\n');
  const conv = byLabel(bare, 'Convolution');
  assert.equal(newText(conv), '"Convolution"');
  assert.match(String((conv.documentation as { value: string }).value), /convolution/i);
  assert.match(String((conv.documentation as { value: string }).value), /convolution_param/);
  assert.ok(!labels(bare).includes('DetectionOutput'), 'fork types need a fork schema');
  const quoted = complete('layer {\n  name: "x"\n  type: "Con<|>"\n}\n', {}, '"');
  assert.equal(newText(byLabel(quoted, 'Concat')), 'Concat');
  // A param block already written ranks the types that read it first.
  const ranked = sorted(complete('layer {\n  type: "<|>"\n  pooling_param { pool: MAX }\n}\n'));
  assert.equal(ranked[0], 'Pooling');
});

test('layer types allowed by settings are offered', () => {
  const items = complete('layer {\n  type: "<|>"\n}\n', {
    settings: { layerTypes: { allow: ['MyPlugin'] } },
  });
  assert.ok(labels(items).includes('MyPlugin'));
});

test('bottom: tops produced earlier in the same phase, most recent first', () => {
  const marked = NET.replace('top: "conv1"\n', 'top: "conv1"\n}\nlayer {\n  name: "relu"\n  bottom: "<|>"\n');
  const items = complete(marked);
  assert.deepEqual(labels(items), ['conv1', 'label', 'data']);
  assert.match(String(byLabel(items, 'label').detail), /TRAIN only/);
  // A TEST-only layer does not see the TRAIN-only label.
  const test2 = complete(NET + 'layer {\n  name: "t"\n  include { phase: TEST }\n  bottom: <|>\n}\n');
  assert.deepEqual(labels(test2), ['conv1', 'data']);
  assert.equal(newText(test2[0]), '"conv1"');
});

test("in a solver's embedded net: bottoms from that net's tops, and a layer's own fields", () => {
  const marked = NET.replace('top: "conv1"\n', 'top: "conv1"\n}\nlayer {\n  name: "relu"\n  bottom: "<|>"\n');
  const solver = `base_lr: 0.01\nlr_policy: "fixed"\nnet_param {\n${marked}}\n`;
  assert.deepEqual(labels(complete(solver)), ['conv1', 'label', 'data']);
  const fields = labels(
    complete('base_lr: 0.01\nnet_param {\n  layer {\n    type: "ReLU"\n    <|>\n  }\n}\n'),
  );
  assert.ok(fields.includes('relu_param') && fields.includes('bottom'), fields.join(' '));
});

test('top: the layer name and, for in-place layers, its bottoms', () => {
  const items = complete('layer {\n  name: "relu1"\n  type: "ReLU"\n  bottom: "conv1"\n  top: "<|>"\n}\n');
  assert.deepEqual(labels(items), ['relu1', 'conv1']);
});

test('python_param fields and solver fields and strings', () => {
  const py = labels(complete('layer {\n  type: "Python"\n  python_param {\n    <|>\n  }\n}\n'));
  assert.deepEqual(py.slice().sort(), ['layer', 'module', 'param_str', 'share_in_parallel']);
  const solver = complete('net: "train.prototxt"\nbase_lr: 0.01\n<|>\n');
  const order = sorted(solver);
  assert.ok(order.indexOf('lr_policy') < order.indexOf('clip_gradients'));
  assert.ok(!labels(solver).includes('base_lr'));
  assert.deepEqual(labels(complete('base_lr: 0.1\nlr_policy: "<|>"\n')).slice(0, 3), [
    'fixed',
    'step',
    'exp',
  ]);
  assert.ok(labels(complete('base_lr: 0.1\ntype: <|>\n')).includes('Adam'));
  assert.ok(labels(complete('base_lr: 0.1\nsolver_mode: <|>\n')).includes('GPU'));
});

test('triggers: a space between fields, a comment or a closed string give nothing', () => {
  assert.deepEqual(complete('layer {\n  name: "a" <|>\n}\n', {}, ' '), []);
  assert.deepEqual(complete('layer {\n  # a <|>\n}\n'), []);
  assert.deepEqual(complete('layer {\n  type: "ReLU"<|>\n}\n'), []);
  assert.deepEqual(complete('layer {\n  bogus {\n    <|>\n  }\n}\n'), []);
});

test('a user proto: its comments as docs, oneofs, deprecated fields last, and its fork layer types', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'completion-'));
  try {
    const proto = path.join(dir, 'caffe.proto');
    writeFileSync(proto, USER_PROTO);
    const options = { settings: { schema: { paths: [proto], autoDiscover: false } } };
    const items = complete('layer {\n  name: "a"\n  <|>\n}\n', options);
    const old = byLabel(items, 'old_thing');
    assert.deepEqual(old.tags, [CompletionItemTag.Deprecated]);
    assert.equal(sorted(items).at(-1), 'old_thing');
    assert.match(String((byLabel(items, 'top').documentation as { value: string }).value), /Blobs written/);
    const oneof = labels(complete('layer {\n  cat: 1\n  <|>\n}\n', options));
    assert.ok(!oneof.includes('dog'), 'the other member of a oneof is left out');
    assert.ok(oneof.includes('old_thing'));
    const types = labels(complete('layer {\n  type: "<|>"\n}\n', options));
    assert.ok(types.includes('DetectionOutput'), 'a fork type whose param block the proto declares');
    assert.ok(!types.includes('PriorBox'), 'not one whose block it lacks');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const USER_PROTO = `syntax = "proto2";
package caffe;
message NetParameter {
  optional string name = 1;
  repeated LayerParameter layer = 100;
}
message LayerParameter {
  optional string name = 1;
  optional string type = 2;
  repeated string bottom = 3;
  // Blobs written by the layer.
  repeated string top = 4;
  optional int32 old_thing = 5 [deprecated = true];
  oneof animal {
    int32 cat = 6;
    int32 dog = 7;
  }
  optional DetectionOutputParameter detection_output_param = 204;
}
message DetectionOutputParameter {
  optional uint32 num_classes = 1;
}
`;

test('a bottom that could read more blobs than one list holds: the nearest that match what is typed, incomplete', () => {
  const layers = Array.from(
    { length: 1500 },
    (_, i) => `layer { name: "l${i}" type: "ReLU" bottom: "${i === 0 ? 'data' : `b${i - 1}`}" top: "b${i}" }`,
  );
  const net = (typed: string) =>
    `input: "data"\n${layers.join('\n')}\nlayer { name: "last" type: "Concat" bottom: "${typed}<|>" top: "out" }\n`;
  const ask = (typed: string) => {
    const { input, position } = featureInputAt(net(typed));
    return provideCompletion(input, { textDocument: { uri: input.doc.uri }, position });
  };
  const all = ask('');
  assert.equal(all.isIncomplete, true);
  assert.equal(all.items.length, 1000);
  assert.deepEqual(labels(all.items).slice(0, 3), ['b1499', 'b1498', 'b1497']);
  // Typed "b12": every name with b, 1, 2 in order, nearest first; still capped, still incomplete.
  const typed = ask('b12');
  assert.equal(typed.isIncomplete, true);
  assert.ok(
    typed.items.every((i) => /b.*1.*2/.test(i.label)),
    labels(typed.items).join(),
  );
  assert.equal(labels(typed.items)[0], 'b1492');
  assert.ok(labels(typed.items).includes('b12'));
  // Few enough candidates: the whole list, complete.
  const few = complete(
    `input: "data"\n${layers.slice(0, 20).join('\n')}\nlayer { name: "x" type: "ReLU" bottom: "<|>" top: "y" }\n`,
  );
  assert.equal(few.length, 21);
});

test("under a merging fork's own schema, its whole table of layer types is offered", () => {
  const settings = { schema: { paths: ['bundled:synopsys'], autoDiscover: false } };
  const types = labels(complete('layer {\n  type: "<|>"\n}\n', { settings }));
  // Types without a parameter block of their own, and one other Caffes know as a plugin.
  for (const type of ['HardSwish', 'Add', 'ShuffleChannel', 'Convolution'])
    assert.ok(types.includes(`"${type}"`) || types.includes(type), `${type} offered`);
  const bvlc = labels(complete('layer {\n  type: "<|>"\n}\n'));
  assert.equal(
    bvlc.some((l) => l.includes('HardSwish')),
    false,
  );
});
