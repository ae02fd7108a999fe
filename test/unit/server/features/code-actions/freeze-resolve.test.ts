// Freeze / Unfreeze for a client that resolves edits: the actions are offered with the same titles
// and no edit, codeAction/resolve then gives exactly the edit the eager path gives, and a resolve for
// another version of the document (or a closed one) fails with ContentModified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes, ResponseError, type CodeAction } from 'vscode-languageserver';
import {
  provideCodeActions,
  resolveCodeAction,
} from '../../../../../server/src/features/code-actions/code-actions';
import type { AnalyzedDocument } from '../../../../../server/src/features/context';
import { FULL_CLIENT, featureInputAt } from '../../../../helpers/analyzed-document';

function actionsAt(marked: string, resolveEdits: boolean, disabledActions = false) {
  const { input, position } = featureInputAt(marked, {
    client: { ...FULL_CLIENT, resolveEdits, disabledActions },
  });
  const actions = provideCodeActions(input, {
    textDocument: { uri: input.doc.uri },
    range: { start: position, end: position },
    context: { diagnostics: [] },
  });
  return { input, actions };
}

function at(text: string, layer: string): string {
  const i = text.indexOf(`name: "${layer}"`);
  assert.ok(i >= 0, layer);
  return `${text.slice(0, i)}<|>${text.slice(i)}`;
}

const lookupOf = (input: AnalyzedDocument) => (uri: string) => (uri === input.doc.uri ? input : undefined);

const NETS: [string, string][] = [
  [
    'a convolution, BatchNorm and written rates',
    `layer { name: "data" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "x"
  top: "c1"
  convolution_param { num_output: 4 kernel_size: 3 bias_term: false }
}
layer { name: "bn" type: "BatchNorm" bottom: "c1" top: "c1" }
layer {
  name: "fc"
  type: "InnerProduct"
  bottom: "c1"
  top: "fc"
  param { lr_mult: 1 }
  param { lr_mult: 2 decay_mult: 0 }
  inner_product_param { num_output: 2 }
}
layer { name: "loss" type: "InnerProduct" bottom: "fc" top: "out" inner_product_param { num_output: 2 } }
`,
  ],
  [
    'parameters shared by name',
    `layer { name: "data" type: "Input" top: "x" top: "y" }
layer { name: "a" type: "InnerProduct" bottom: "x" top: "a" param { name: "w" } param { name: "bias" } }
layer { name: "b" type: "InnerProduct" bottom: "y" top: "b" param { name: "w" lr_mult: 1 } param { name: "bias" } }
layer { name: "c" type: "InnerProduct" bottom: "b" top: "c" param { name: "w" lr_mult: 0 } }
`,
  ],
  [
    'a frozen layer and a marker',
    `layer { name: "data" type: "Input" top: "x" }
layer { name: "a" type: "ReLU" bottom: "x" top: "x" }
# before Freeze: param { lr_mult: 3 } param { }
layer { name: "b" type: "InnerProduct" bottom: "x" top: "b" param { lr_mult: 0 decay_mult: 0 } param { lr_mult: 0 decay_mult: 0 } }
layer { name: "d" type: "InnerProduct" bottom: "b" top: "d" }
layer { name: "c" type: "Softmax" bottom: "d" top: "c" }
`,
  ],
];

test('resolved actions have the titles and the edits of the eager ones, on every layer', () => {
  let resolved = 0;
  for (const [what, net] of NETS) {
    for (const layer of [...net.matchAll(/^(?:layer \{ | +)name: "(\w+)"/gm)].map((m) => m[1])) {
      const eager = actionsAt(at(net, layer), false).actions;
      const { input, actions } = actionsAt(at(net, layer), true);
      const where = `${what}, at ${layer}`;
      assert.deepEqual(
        actions.map((a) => [a.title, a.kind]),
        eager.map((a) => [a.title, a.kind]),
        where,
      );
      for (const [i, action] of actions.entries()) {
        assert.equal(action.edit, undefined, where);
        assert.ok(action.data !== undefined, where);
        // What the client sends back is the action as JSON.
        const back = resolveCodeAction(JSON.parse(JSON.stringify(action)) as CodeAction, lookupOf(input));
        assert.deepEqual(back.edit, eager[i].edit, `${where}: ${action.title}`);
        assert.equal(back.title, action.title);
        resolved++;
      }
    }
  }
  // Both kinds, with and without sharing, were resolved.
  assert.ok(resolved >= 8, String(resolved));
});

test("in a solver's embedded nets: the actions of the net holding the cursor, resolved as the eager ones", () => {
  const [, net] = NETS[0];
  const solver = (second: string) =>
    `base_lr: 0.01\nlr_policy: "fixed"\ntrain_net_param {\n${net}}\ntest_net_param {\n${second}}\n`;
  const marked = solver(at(net, 'loss'));
  const eager = actionsAt(marked, false).actions;
  const { input, actions } = actionsAt(marked, true);
  const titles = actions.map((a) => a.title);
  assert.deepEqual(
    titles,
    eager.map((a) => a.title),
  );
  assert.ok(titles.includes('Freeze layers up to here'), titles.join());
  // The same edits as in the net file, moved to where the second net is.
  const alone = actionsAt(at(net, 'loss'), false);
  const shift = input.doc.text.indexOf('test_net_param {\n') + 'test_net_param {\n'.length;
  const texts = (a: CodeAction, doc: AnalyzedDocument) =>
    Object.values(a.edit?.changes ?? {})[0].map((e) => [doc.doc.lines.offsetAt(e.range.start), e.newText]);
  for (const [i, action] of actions.entries()) {
    const back = resolveCodeAction(JSON.parse(JSON.stringify(action)) as CodeAction, lookupOf(input));
    assert.deepEqual(back.edit, eager[i].edit, action.title);
    assert.deepEqual(
      texts(back, input),
      texts(alone.actions[i], alone.input).map(([at, text]) => [(at as number) + shift, text]),
      action.title,
    );
  }
});

test('a resolve for another version or a closed document fails with ContentModified', () => {
  const [, net] = NETS[0];
  const { input, actions } = actionsAt(at(net, 'loss'), true);
  const freeze = actions.find((a) => a.title.startsWith('Freeze'));
  assert.ok(freeze);
  const stale = { ...freeze, data: { ...(freeze.data as object), version: input.doc.version + 1 } };
  const contentModified = (e: unknown) =>
    e instanceof ResponseError && e.code === (LSPErrorCodes.ContentModified as number);
  assert.throws(() => resolveCodeAction(stale, lookupOf(input)), contentModified);
  assert.throws(() => resolveCodeAction(freeze, () => undefined), contentModified);
});

test('other actions come back from resolve as they were; disabled actions carry no data', () => {
  const { input } = actionsAt(at(NETS[0][1], 'loss'), true);
  const other: CodeAction = { title: 'x', kind: 'quickfix', data: { uri: input.doc.uri } };
  assert.equal(resolveCodeAction(other, lookupOf(input)), other);
  const v1 = `layers { name: "data" type: DATA top: "x" }
layers { name: "ip" type: INNER_PRODUCT bottom: "x" top: "y" blobs_lr: 1 blobs_lr: 2 }
layers { name: "loss" type: SOFTMAX_LOSS bottom: "y" top: "l" }
`;
  const disabled = actionsAt(at(v1, 'loss'), true, true).actions;
  assert.equal(disabled.length, 2);
  for (const action of disabled) {
    assert.ok(action.disabled);
    assert.equal(action.data, undefined);
    assert.equal(action.edit, undefined);
  }
});
