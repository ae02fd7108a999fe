// The Freeze / Unfreeze refactorings: the exact text they give for nets written in different layouts,
// blob counts per layer type, BatchNorm and Python layers, shared parameters, the marker that lets
// Unfreeze restore written values, and when they are not offered or offered disabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver';
import { provideCodeActions } from '../../../../../server/src/features/code-actions/code-actions';
import type { AnalyzedDocument } from '../../../../../server/src/features/context';
import { FULL_CLIENT, featureInputAt, featureInputFor } from '../../../../helpers/analyzed-document';

function actionsAt(marked: string, disabledActions = false) {
  const { input, position } = featureInputAt(marked, { client: { ...FULL_CLIENT, disabledActions } });
  const actions = provideCodeActions(input, {
    textDocument: { uri: input.doc.uri },
    range: { start: position, end: position },
    context: { diagnostics: [] },
  });
  return { input, actions };
}

function apply(input: AnalyzedDocument, action: CodeAction): string {
  const edits = [...(action.edit?.changes?.[input.doc.uri] ?? [])].sort(
    (a, b) => input.doc.lines.offsetAt(b.range.start) - input.doc.lines.offsetAt(a.range.start),
  );
  let text = input.doc.text;
  for (const e of edits) {
    const start = input.doc.lines.offsetAt(e.range.start);
    text = text.slice(0, start) + e.newText + text.slice(input.doc.lines.offsetAt(e.range.end));
  }
  return text;
}

/** The text after the action whose title starts with `title`, at the `<|>` of `marked`. */
function run(marked: string, title: string): string {
  const { input, actions } = actionsAt(marked);
  const action = actions.find((a) => a.title.startsWith(title));
  assert.ok(action, `no "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  return apply(input, action);
}

/** `text` with a cursor in the layer named `layer`. */
function at(text: string, layer: string): string {
  const i = text.indexOf(`name: "${layer}"`);
  assert.ok(i >= 0, layer);
  return `${text.slice(0, i)}<|>${text.slice(i)}`;
}

const MULTI = `layer {
  name: "data"
  type: "Input"
  top: "x"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "x"
  top: "c1"  # first conv
  convolution_param { num_output: 4 kernel_size: 3 bias_term: false }
}
layer {
  name: "bn"
  type: "BatchNorm"
  bottom: "c1"
  top: "c1"
}
layer {
  name: "fc"
  type: "InnerProduct"
  bottom: "c1"
  top: "fc"
  param {
    lr_mult: 1
  }
  param {
    lr_mult: 2
    decay_mult: 0
  }
  inner_product_param { num_output: 2 }
}
layer {
  name: "loss"
  type: "InnerProduct"
  bottom: "fc"
  top: "out"
  inner_product_param { num_output: 2 }
}
`;

test('Freeze: one block for a convolution without bias, BatchNorm untouched, written values recorded', () => {
  const frozen = run(at(MULTI, 'loss'), 'Freeze layers up to here');
  assert.equal(
    frozen,
    MULTI.replace(
      '  top: "c1"  # first conv\n',
      '  top: "c1"  # first conv\n  param {\n    lr_mult: 0\n    decay_mult: 0\n  }\n',
    )
      .replace(
        'layer {\n  name: "fc"',
        '# before Freeze: param { lr_mult: 1 } param { lr_mult: 2 decay_mult: 0 }\nlayer {\n  name: "fc"',
      )
      .replace('    lr_mult: 1\n  }', '    lr_mult: 0\n    decay_mult: 0\n  }')
      .replace('    lr_mult: 2\n    decay_mult: 0', '    lr_mult: 0\n    decay_mult: 0'),
  );
  assert.equal(run(at(frozen, 'loss'), 'Unfreeze layers up to here'), MULTI);
});

test('Freeze on a net written one layer per line adds the blocks on the layer line', () => {
  const net = [
    'layer { name: "data" type: "Input" top: "x" input_param { shape { dim: 1 dim: 2 } } }',
    'layer { name: "ip" type: "InnerProduct" bottom: "x" top: "y" inner_product_param { num_output: 2 } }',
    'layer { name: "emb" type: "Embed" bottom: "x" top: "e" param { lr_mult: 0 } embed_param { num_output: 2 input_dim: 4 bias_term: false } }',
    'layer { name: "out" type: "Python" bottom: "y" top: "z" python_param { module: "m" layer: "L" } }',
    '',
  ].join('\r\n');
  const frozen = run(at(net, 'out'), 'Freeze layers up to here');
  assert.equal(
    frozen,
    net
      .replace(
        'top: "y" inner',
        'top: "y" param { lr_mult: 0 decay_mult: 0 } param { lr_mult: 0 decay_mult: 0 } inner',
      )
      .replace('layer { name: "emb"', '# before Freeze: param { lr_mult: 0 }\r\nlayer { name: "emb"')
      .replace('param { lr_mult: 0 } embed', 'param { lr_mult: 0 decay_mult: 0 } embed'),
  );
  assert.equal(run(at(frozen, 'out'), 'Unfreeze layers up to here'), net);
});

test('Unfreeze without a marker removes the zeros of frozen blobs and trailing empty blocks', () => {
  const net = `layer { name: "data" type: "Input" top: "x" }
layer {
  name: "a"
  type: "InnerProduct"
  bottom: "x"
  top: "a"
  param { lr_mult: 0 decay_mult: 0 }
  param { lr_mult: 0 }
}
layer {
  name: "b"
  type: "InnerProduct"
  bottom: "a"
  top: "b"
  param { lr_mult: 0 }
  param { lr_mult: 2 decay_mult: 0 }
}
layer { name: "c" type: "InnerProduct" bottom: "b" top: "c" param { lr_mult: 0 } }
`;
  const out = run(at(net, 'c'), 'Unfreeze layers up to here');
  assert.equal(
    out,
    net
      .replace('  param { lr_mult: 0 decay_mult: 0 }\n  param { lr_mult: 0 }\n', '')
      // An empty block before a written one stays: it keeps the second block on the bias.
      .replace('  param { lr_mult: 0 }\n  param { lr_mult: 2', '  param { }\n  param { lr_mult: 2'),
  );
});

test('a parameter shared by name is frozen in every layer naming it, and the title says so', () => {
  const net = `layer { name: "data" type: "Input" top: "x" top: "y" }
layer { name: "a" type: "InnerProduct" bottom: "x" top: "a" param { name: "w" } param { name: "bias" } }
layer { name: "b" type: "InnerProduct" bottom: "y" top: "b" param { name: "w" lr_mult: 1 } param { name: "bias" } }
`;
  const { input, actions } = actionsAt(at(net, 'b'));
  const freeze = actions.find((a) => a.title.startsWith('Freeze'));
  assert.equal(freeze?.title, 'Freeze layers up to here (also b: shared parameters)');
  const frozen = apply(input, freeze);
  assert.equal(run(at(frozen, 'b'), 'Unfreeze layers up to here (also b: shared parameters)'), net);
  assert.equal(
    frozen,
    net
      .replace(
        'param { name: "w" } param { name: "bias" }',
        'param { name: "w" lr_mult: 0 decay_mult: 0 } param { name: "bias" lr_mult: 0 decay_mult: 0 }',
      )
      .replace('layer { name: "b"', '# before Freeze: param { lr_mult: 1 } param { }\nlayer { name: "b"')
      .replace(
        'param { name: "w" lr_mult: 1 } param { name: "bias" }',
        'param { name: "w" lr_mult: 0 decay_mult: 0 } param { name: "bias" lr_mult: 0 decay_mult: 0 }',
      ),
  );
});

test('nothing is offered on the first layer, outside layers, or when all is frozen already', () => {
  const net = `name: "n"
layer { name: "data" type: "Input" top: "x" }
layer { name: "a" type: "ReLU" bottom: "x" top: "x" }
layer { name: "b" type: "InnerProduct" bottom: "x" top: "b" param { lr_mult: 0 decay_mult: 0 } param { lr_mult: 0 decay_mult: 0 } }
layer { name: "c" type: "Softmax" bottom: "b" top: "c" }
`;
  const titles = (marked: string) => actionsAt(marked).actions.map((a) => a.title);
  assert.deepEqual(titles(at(net, 'data')), []);
  assert.deepEqual(titles(net.replace('name: "n"', 'name: "n<|>"')), []);
  assert.deepEqual(titles(at(net, 'b')), []);
  assert.deepEqual(titles(at(net, 'c')), ['Unfreeze layers up to here']);
});

test('an old-format net or a file with syntax errors: disabled with the reason, or not offered', () => {
  const v1 = `layers { name: "data" type: DATA top: "x" }
layers { name: "ip" type: INNER_PRODUCT bottom: "x" top: "y" blobs_lr: 1 blobs_lr: 2 }
layers { name: "loss" type: SOFTMAX_LOSS bottom: "y" top: "l" }
`;
  const disabled = actionsAt(at(v1, 'loss'), true).actions;
  assert.deepEqual(
    disabled.map((a) => [a.title, a.disabled?.reason]),
    [
      [
        'Freeze layers up to here',
        'This net uses the V1 format (blobs_lr, weight_decay): upgrade it to the current format first.',
      ],
      [
        'Unfreeze layers up to here',
        'This net uses the V1 format (blobs_lr, weight_decay): upgrade it to the current format first.',
      ],
    ],
  );
  assert.deepEqual(actionsAt(at(v1, 'loss'), false).actions, []);
  const broken = `layer { name: "data" type: "Input" top: "x" }
layer { name: "ip" type: "InnerProduct" bottom: "x" top: "y" }
layer { name: "loss" type: "Softmax" bottom: "y" top: "l" inner_product_param { num_output: }
`;
  const reasons = actionsAt(at(broken, 'loss'), true).actions.map((a) => a.disabled?.reason);
  assert.ok(reasons.includes('The file has syntax errors; fix them first.'), JSON.stringify(reasons));
});

test('only the asked kinds are returned', () => {
  const { input, position } = featureInputAt(at(MULTI, 'loss'));
  const actions = provideCodeActions(input, {
    textDocument: { uri: input.doc.uri },
    range: { start: position, end: position },
    context: { diagnostics: [], only: ['quickfix'] },
  });
  assert.deepEqual(actions, []);
  assert.ok(featureInputFor(MULTI).analysis.net);
});
