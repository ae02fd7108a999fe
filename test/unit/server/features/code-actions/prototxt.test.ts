import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind, CodeActionTriggerKind, type CodeAction, type Range } from 'vscode-languageserver';
import { Commands } from '../../../../../common/protocol';
import { provideCodeActions } from '../../../../../server/src/features/code-actions/code-actions';
import { UPGRADE_NET_KIND } from '../../../../../server/src/features/code-actions/prototxt';
import type { AnalyzedDocument } from '../../../../../server/src/features/context';
import { featureInputAt, featureInputFor } from '../../../../helpers/analyzed-document';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';

function actionsAt(marked: string, only?: string[], triggerKind?: CodeActionTriggerKind) {
  const { input, position } = featureInputAt(marked);
  const range: Range = { start: position, end: position };
  const actions = provideCodeActions(input, {
    textDocument: { uri: input.doc.uri },
    range,
    context: { diagnostics: [], ...(only ? { only } : {}), ...(triggerKind ? { triggerKind } : {}) },
  });
  return { input, actions };
}

/** The document text after applying an action's edits. */
function apply(input: AnalyzedDocument, action: CodeAction): string {
  const edits = [...(action.edit?.changes?.[input.doc.uri] ?? [])].sort(
    (a, b) => input.doc.lines.offsetAt(b.range.start) - input.doc.lines.offsetAt(a.range.start),
  );
  let text = input.doc.text;
  for (const e of edits) {
    text =
      text.slice(0, input.doc.lines.offsetAt(e.range.start)) +
      e.newText +
      text.slice(input.doc.lines.offsetAt(e.range.end));
  }
  return text;
}

test('did-you-mean field: a preferred quick fix renames the field', () => {
  const { input, actions } = actionsAt(
    'layer {\n  name: "ip"\n  type: "InnerProduct"\n  inner_product_param { num_outpt<|>: 10 }\n}\n',
  );
  const fix = actions.find((a) => a.title === "Change to 'num_output'");
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.kind, CodeActionKind.QuickFix);
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.diagnostics?.[0].code, 'unknown-field');
  assert.match(apply(input, fix), /inner_product_param \{ num_output: 10 \}/);
});

test('a value written without quotes: the quick fix quotes it (a Windows path with its backslashes doubled)', () => {
  const net = actionsAt('net: examples/mnist/lenet<|>.prototxt\nbase_lr: 0.01\n');
  const fix = net.actions.find((a) => a.title === 'Change to "examples/mnist/lenet.prototxt"');
  assert.ok(fix, JSON.stringify(net.actions.map((a) => a.title)));
  assert.equal(fix.isPreferred, true);
  assert.match(apply(net.input, fix), /^net: "examples\/mnist\/lenet\.prototxt"\n/);
  const windows = actionsAt('snapshot_prefix: C:\\snap<|>\\x\nbase_lr: 0.01\n');
  const quoted = windows.actions.find((a) => a.title.startsWith('Change to'));
  assert.ok(quoted, JSON.stringify(windows.actions.map((a) => a.title)));
  assert.match(apply(windows.input, quoted), /^snapshot_prefix: "C:\\\\snap\\\\x"\n/);
});

test('a string in typographic quotes: the quick fix writes plain quotes', () => {
  const { input, actions } = actionsAt('layer {\n  name: \u201cco<|>nv1\u201d\n  type: "ReLU"\n}\n');
  const fix = actions.find((a) => a.title === 'Change to "conv1"');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.diagnostics?.[0].code, 'syntax');
  assert.match(apply(input, fix), /name: "conv1"\n/);
});

test('what only looks like white space: replaced by plain spaces, or removed when it has no width', () => {
  const nbsp = actionsAt('layer {\u00a0\u00a0<|>name: "a" type: "ReLU" bottom: "x" top: "x" }\n');
  const spaces = nbsp.actions.find((a) => a.title === 'Replace with plain spaces');
  assert.ok(spaces, JSON.stringify(nbsp.actions.map((a) => a.title)));
  assert.equal(spaces.isPreferred, true);
  assert.equal(apply(nbsp.input, spaces), 'layer {  name: "a" type: "ReLU" bottom: "x" top: "x" }\n');
  const bom = actionsAt('\ufeff<|>name: "n"\n');
  const removal = bom.actions.find((a) => a.title === 'Remove the invisible character');
  assert.ok(removal, JSON.stringify(bom.actions.map((a) => a.title)));
  assert.equal(apply(bom.input, removal), 'name: "n"\n');
});

test('enum value and layer type suggestions', () => {
  const pool = actionsAt('layer {\n  name: "p"\n  type: "Pooling"\n  pooling_param { pool: MXA<|> }\n}\n');
  const fix = pool.actions.find((a) => a.title === "Change to 'MAX'");
  assert.ok(fix, JSON.stringify(pool.actions.map((a) => a.title)));
  assert.match(apply(pool.input, fix), /pool: MAX /);
  const type = actionsAt('layer {\n  name: "c"\n  type: "Convolutoin<|>"\n}\n');
  const typeFix = type.actions.find((a) => a.title === 'Change to "Convolution"');
  assert.ok(typeFix, JSON.stringify(type.actions.map((a) => a.title)));
  assert.match(apply(type.input, typeFix), /type: "Convolution"\n/);
});

test('solver_type: SGD -> type: "SGD"', () => {
  const { input, actions } = actionsAt('base_lr: 0.01\nsolver_<|>type: NESTEROV\n');
  const fix = actions.find((a) => a.title === 'Replace with type: "Nesterov"');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.isPreferred, true);
  assert.equal(apply(input, fix), 'base_lr: 0.01\ntype: "Nesterov"\n');
});

test('deprecated format: a quick fix upgrades the whole net', () => {
  const { input, actions } = actionsAt(
    'name: "n"\nlay<|>ers {\n  name: "r"\n  type: RELU\n  bottom: "x"\n  top: "x"\n}\n',
  );
  const fix = actions.find((a) => a.title === 'Upgrade this net to the current format');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.kind, CodeActionKind.QuickFix);
  assert.equal(fix.diagnostics?.[0].code, 'deprecated-format');
  assert.equal(
    apply(input, fix),
    'name: "n"\nlayer {\n  name: "r"\n  type: "ReLU"\n  bottom: "x"\n  top: "x"\n}\n',
  );
});

test('a net mixing layer and layers: the quick fix writes its layers in the current format, in place', () => {
  const { input, actions } = actionsAt(
    'layer { name: "in" type: "Input" top: "x" }\nlay<|>ers { name: "r" type: RELU bottom: "x" top: "x" }\n',
  );
  const fix = actions.find((a) => a.title === 'Upgrade this net to the current format');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.diagnostics?.[0].code, 'mixed-format');
  assert.equal(
    apply(input, fix),
    'layer { name: "in" type: "Input" top: "x" }\nlayer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n',
  );
  // Offered as a source action too, though the net's first layer is current.
  const source = actionsAt(
    'layer { name: "in" type: "Input" top: "x" }\nlayers { name: "r" type: RELU bottom: "x" top: "x" }\n<|>',
    [CodeActionKind.Source],
  );
  assert.deepEqual(
    source.actions.map((a) => a.kind),
    [UPGRADE_NET_KIND],
  );
});

test('the upgrade as a source action: when asked for source actions or invoked, not automatically', () => {
  const text =
    'input: "data"\ninput_dim: 1\ninput_dim: 1\ninput_dim: 2\ninput_dim: 2\nlayer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n<|>';
  const asked = actionsAt(text, [CodeActionKind.Source]).actions;
  assert.deepEqual(
    asked.map((a) => a.kind),
    [UPGRADE_NET_KIND],
  );
  assert.equal(actionsAt(text, undefined, CodeActionTriggerKind.Invoked).actions.length, 1);
  assert.deepEqual(actionsAt(text, undefined, CodeActionTriggerKind.Automatic).actions, []);
  assert.deepEqual(actionsAt(text, [CodeActionKind.QuickFix]).actions, []);
  const current = actionsAt('layer { name: "r" type: "ReLU" }\n<|>', [CodeActionKind.Source]).actions;
  assert.deepEqual(current, []);
});

test("a solver's upgrade: solver_type and the V1 net it holds, as a quick fix and as a source action", () => {
  const text =
    'base_lr: 0.01\nlr_policy: "fixed"\nsolver_type: SGD\nnet_param {\n  lay<|>ers { name: "r" type: RELU bottom: "x" top: "x" }\n}\n';
  const upgraded =
    'base_lr: 0.01\nlr_policy: "fixed"\ntype: "SGD"\nnet_param {\n  layer { name: "r" type: "ReLU" bottom: "x" top: "x" }\n}\n';
  const { input, actions } = actionsAt(text);
  const fix = actions.find((a) => a.title === 'Upgrade this solver to the current format');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.diagnostics?.[0].code, 'deprecated-format');
  assert.equal(apply(input, fix), upgraded);
  const source = actionsAt(text, [CodeActionKind.Source]);
  assert.deepEqual(
    source.actions.map((a) => a.kind),
    [UPGRADE_NET_KIND],
  );
  assert.equal(apply(source.input, source.actions[0]), upgraded);
  // solver_type alone is reason enough; a current solver has nothing to offer.
  assert.equal(actionsAt('base_lr: 0.01\nsolver_type: ADAM\n<|>', [CodeActionKind.Source]).actions.length, 1);
  assert.deepEqual(actionsAt('base_lr: 0.01\ntype: "Adam"\n<|>', [CodeActionKind.Source]).actions, []);
});

test('only diagnostics under the range get fixes; `only: [source]` leaves quick fixes out', () => {
  const text = 'layer {\n  name: "c"\n  type: "Convolutoin"\n}\n<|>';
  assert.deepEqual(actionsAt(text).actions, []);
  const marked = 'layer {\n  name: "c"\n  type: "Convolu<|>toin"\n}\n';
  assert.deepEqual(actionsAt(marked, [CodeActionKind.Source]).actions, []);
});

test("the client's own diagnostic is echoed back when it matches", () => {
  const input = featureInputFor('solver_type: SGD\n');
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } };
  const sent = { range, message: 'from the client', code: 'deprecated-field' };
  const actions = provideCodeActions(input, {
    textDocument: { uri: input.doc.uri },
    range,
    context: { diagnostics: [sent] },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].diagnostics?.[0], sent);
});

test('param blocks a layer has no blob for: one quick fix removes them, keeping the layout', () => {
  const net = (conv: string) =>
    'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n' +
    conv +
    'layer { name: "relu" type: "ReLU" bottom: "c" top: "c" param { lr_mult: 1 } param { lr_mult: 2 } }\n';
  const conv =
    'layer {\n  name: "c"\n  type: "Convolution"\n  bottom: "x"\n  top: "c"\n' +
    '  param { lr_mult: 1 }\n  para<|>m { lr_mult: 2 }\n' +
    '  convolution_param { num_output: 4 kernel_size: 3 bias_term: false }\n}\n';
  const { input, actions } = actionsAt(net(conv));
  const fix = actions.find((a) => a.title === 'Remove the param { } block that has no blob');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.diagnostics?.[0].code, 'param-count');
  assert.equal(
    apply(input, fix),
    net(conv.replace('<|>', '').replace('  param { lr_mult: 2 }\n', '')).replace('<|>', ''),
  );
  // Two blocks on the layer's own line: both go, with the spaces before them.
  const relu = actionsAt(
    net(conv.replace('<|>', '')).replace('param { lr_mult: 1 } param', '<|>param { lr_mult: 1 } param'),
  );
  const both = relu.actions.find((a) => a.title === 'Remove the 2 param { } blocks that have no blob');
  assert.ok(both, JSON.stringify(relu.actions.map((a) => a.title)));
  assert.match(apply(relu.input, both), /layer \{ name: "relu" type: "ReLU" bottom: "c" top: "c" \}\n$/);
  // Two blocks sharing a line of their own (a fuzz case once made overlapping edits): the line goes.
  const shared =
    'layer {\n  name: "r"\n  type: "ReLU"\n  bottom: "x"\n  top: "r"\n' +
    '  <|>param {lr_mult: 1 decay_mult: 1} param {lr_mult: 2 decay_mult: 0}\n}\n';
  const sharing = actionsAt(net('').replace(/$/, shared));
  const line = sharing.actions.find((a) => a.title === 'Remove the 2 param { } blocks that have no blob');
  assert.ok(line, JSON.stringify(sharing.actions.map((a) => a.title)));
  assert.match(apply(sharing.input, line), / {2}top: "r"\n\}\n$/);
});

test('V1 multipliers in a layer { }: the quick fix writes them as param blocks, the i-th of each in the i-th', () => {
  const input_ =
    'layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';
  const conv =
    'layer {\n  name: "c"\n  type: "Convolution"\n  bottom: "x"\n  top: "c"\n' +
    '  blobs_lr: 1\n  blobs_lr: 2\n  weight_decay: 1\n  weight<|>_decay: 0.\n' +
    '  convolution_param { num_output: 4 kernel_size: 3 }\n}\n';
  const { input, actions } = actionsAt(input_ + conv);
  const fix = actions.find((a) => a.title === 'Write blobs_lr and weight_decay as 2 param { } blocks');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.diagnostics?.[0].code, 'unknown-field');
  const fixed = apply(input, fix);
  assert.equal(
    fixed,
    input_ +
      'layer {\n  name: "c"\n  type: "Convolution"\n  bottom: "x"\n  top: "c"\n' +
      '  param { lr_mult: 1 decay_mult: 1 }\n  param { lr_mult: 2 decay_mult: 0. }\n' +
      '  convolution_param { num_output: 4 kernel_size: 3 }\n}\n',
  );
  // The result is a net Caffe reads: nothing is left to fix.
  const again = featureInputFor(fixed);
  assert.deepEqual(
    again.analysis.diagnostics.map((d) => d.code),
    [],
  );
  // On one line, and with a single multiplier.
  const inline = actionsAt(
    input_ +
      'layer { name: "r" type: "Scale" bottom: "x" top: "r" blo<|>bs_lr: 0 scale_param { bias_term: false } }\n',
  );
  const one = inline.actions.find((a) => a.title === 'Write blobs_lr and weight_decay as a param { } block');
  assert.ok(one, JSON.stringify(inline.actions.map((a) => a.title)));
  assert.match(apply(inline.input, one), /top: "r" param \{ lr_mult: 0 \} scale_param/);
  // A layer with param blocks of its own is left to the user.
  const mixed = actionsAt(
    input_ + conv.replace('<|>', '').replace('  blobs_lr: 1\n', '  param { name: "w" }\n  blobs<|>_lr: 1\n'),
  );
  assert.ok(!mixed.actions.some((a) => a.title.startsWith('Write blobs_lr')));
});

test('a label that would get a gradient: the quick fix writes propagate_down, false for the label', () => {
  const head =
    'layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }\n' +
    'layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 3 } }\n' +
    'layer { name: "lab" type: "InnerProduct" bottom: "data" top: "lab" inner_product_param { num_output: 1 } }\n';
  const loss = 'layer {\n  name: "loss"\n  type: "SoftmaxWithLoss"\n  bottom: "ip"\n  bottom: "l<|>ab"\n}\n';
  const { input, actions } = actionsAt(head + loss);
  const fix = actions.find((a) => a.title === 'Pass no gradient to "lab" (propagate_down: false)');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.diagnostics?.[0].code, 'backward-refused');
  const fixed = apply(input, fix);
  assert.equal(
    fixed,
    head +
      loss
        .replace('<|>', '')
        .replace('  bottom: "lab"\n', '  bottom: "lab"\n  propagate_down: true\n  propagate_down: false\n'),
  );
  const after = featureInputFor(fixed).analysis.diagnostics.map((d) => d.code);
  assert.ok(!after.includes('backward-refused'), after.join(', '));
  // Values already written: the label's is turned to false.
  const written =
    head +
    'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "l<|>ab" propagate_down: [1, 1] }\n';
  const again = actionsAt(written);
  const turn = again.actions.find((a) => a.title.startsWith('Pass no gradient'));
  assert.ok(turn, JSON.stringify(again.actions.map((a) => a.title)));
  assert.match(apply(again.input, turn), /propagate_down: \[1, false\] \}\n$/);
});

test('a layer that learns without a loss after it: the quick fix freezes it, and the information goes', () => {
  const head =
    'layer { name: "in" type: "Input" top: "data" top: "label" input_param { shape { dim: 2 dim: 3 } shape { dim: 2 } } }\n' +
    'layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 3 } }\n';
  const side =
    'layer {\n  name: "si<|>de"\n  type: "InnerProduct"\n  bottom: "data"\n  top: "side"\n' +
    '  inner_product_param { num_output: 3 }\n}\n';
  const loss = 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" }\n';
  const { input, actions } = actionsAt(head + side + loss);
  const fix = actions.find((a) => a.title === 'Freeze side (lr_mult: 0 and decay_mult: 0)');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.diagnostics?.[0].code, 'no-gradient');
  const fixed = apply(input, fix);
  // Both blobs of the InnerProduct (weights and bias) get a block.
  assert.equal((fixed.match(/param \{\s*lr_mult: 0\s*decay_mult: 0\s*\}/g) ?? []).length, 2, fixed);
  const after = featureInputFor(fixed).analysis.diagnostics.map((d) => d.code);
  assert.ok(!after.includes('no-gradient'), after.join(', '));
  // The same net in a solver's net_param: the same fix.
  const solver = (net: string) => `base_lr: 0.01\nlr_policy: "fixed"\nnet_param {\n${net}}\n`;
  const embedded = actionsAt(solver(head + side + loss));
  const embeddedFix = embedded.actions.find((a) => a.title === 'Freeze side (lr_mult: 0 and decay_mult: 0)');
  assert.ok(embeddedFix, JSON.stringify(embedded.actions.map((a) => a.title)));
  const fixedSolver = apply(embedded.input, embeddedFix);
  assert.equal(fixedSolver, solver(fixed));
});

test("what only forks define: a quick fix checks the workspace against a fork's shipped schema, for clients with the command", () => {
  const net =
    'layer { name: "p" type: "PSROI<|>Pooling" bottom: "a" bottom: "b" top: "p"\n  psroi_pooling_<|>param { spatial_scale: 0.0625 output_dim: 3 group_size: 1 } }\n';
  // On the layer's type and on its block, which that type's warning lists as a related place.
  for (const marked of [net.replace('_<|>', '_'), net.replace('I<|>P', 'IP')]) {
    const { input, position } = featureInputAt(marked);
    const ask = (commands: string[]) =>
      provideCodeActions(
        { ...input, client: { ...input.client, commands } },
        {
          textDocument: { uri: input.doc.uri },
          range: { start: position, end: position },
          context: { diagnostics: [] },
        },
      );
    const [fix] = ask([Commands.useBundledSchema]);
    assert.equal(
      fix?.title,
      'Check this workspace against the R-FCN (Microsoft/caffe) schema shipped with the extension',
    );
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.command?.arguments, [{ setting: 'bundled:rfcn', uri: input.doc.uri }]);
    assert.deepEqual(
      fix.diagnostics?.map((d) => d.code),
      ['unknown-layer-type'],
    );
    // A client that cannot run the command gets no such fix.
    assert.deepEqual(ask([]), []);
  }
});

test('a field the chosen caffe.proto lacks and bundled schemas have: a quick fix per bundled schema, BVLC Caffe first', () => {
  const marked = 'layer { name: "c" type: "Clip" bottom: "x" top: "c"\n  clip_pa<|>ram { min: 0 max: 1 } }\n';
  const settings = { schema: { ...DEFAULT_SETTINGS.schema, paths: ['bundled:fastrcnn'] } };
  const { input, position } = featureInputAt(marked, { settings });
  const actions = provideCodeActions(
    { ...input, client: { ...input.client, commands: [Commands.useBundledSchema] } },
    {
      textDocument: { uri: input.doc.uri },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    },
  );
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred, a.command?.arguments?.[0]?.setting]),
    [
      ['Check this workspace against the BVLC Caffe schema shipped with the extension', true, 'bundled:bvlc'],
      [
        'Check this workspace against the Synopsys Caffe (synopsys-caffe) schema shipped with the extension',
        false,
        'bundled:synopsys',
      ],
    ],
  );
  assert.deepEqual(
    actions[0].diagnostics?.map((d) => d.code),
    ['unknown-field'],
  );
});
