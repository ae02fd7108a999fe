// Names that are also members of Object.prototype (`constructor`, `toString`, `__proto__`...), written
// wherever the code looks a name up in a table: each is "not in the table", never the prototype's member.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MarkupContent } from 'vscode-languageserver';
import { logPanels } from '../../../common/training/plot-panels';
import { outputRecord } from '../../../common/training/train-log';
import { buildNet } from '../../../server/src/analysis/model/net';
import { layerTypeFromV0, layerTypeFromV1 } from '../../../server/src/analysis/model/net-legacy';
import { upgradeNet } from '../../../server/src/analysis/transforms/upgrade';
import { runCli } from '../../../server/src/cli/commands';
import { fieldItems } from '../../../server/src/features/completion/fields';
import { provideCompletion } from '../../../server/src/features/completion/completion';
import { provideHover } from '../../../server/src/features/hover/hover';
import { provideInlayHints } from '../../../server/src/features/inlay-hints/inlay-hints';
import { parse } from '../../../server/src/parser/parse';
import { analyzeModule } from '../../../server/src/python/analyze-module';
import { createPythonParser } from '../../../server/src/python/parser';
import { loadBundledSchema } from '../../../server/src/schema/bundled';
import { readSettings } from '../../../server/src/settings';
import { featureInputAt, featureInputFor, FULL_CLIENT } from '../../helpers/analyzed-document';

/** Every member of Object.prototype, the ones most often met first. */
const KEYS = [
  ...new Set([
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
    ...Object.getOwnPropertyNames(Object.prototype),
  ]),
];
const schema = loadBundledSchema();

test('legacy layer types named like a prototype member pass through unchanged', () => {
  for (const key of KEYS) {
    assert.equal(layerTypeFromV0(key), key, key);
    assert.equal(layerTypeFromV1(key, false), key, key);
    assert.equal(layerTypeFromV1(key, false, schema), key, key);
  }
  // The tables still answer for their own names.
  assert.equal(layerTypeFromV0('conv'), 'Convolution');
  assert.equal(layerTypeFromV1('CONVOLUTION', false), 'Convolution');
});

test('a V0 or V1 net with such a type keeps it as its layer type', () => {
  for (const key of KEYS) {
    const v1 = buildNet(parse(`layers { name: "a" type: ${key} top: "a" }\n`), schema);
    assert.equal(v1.layers[0].type, key, key);
    const v0 = buildNet(parse(`layers { layer { name: "a" type: "${key}" } top: "a" }\n`), schema);
    assert.equal(v0.layers[0].type, key, key);
  }
});

test('upgrade: a V1 type named like a prototype member is written as that string', () => {
  for (const key of KEYS) {
    const out = upgradeNet(`layers { name: "a" type: ${key} top: "a" scale: 2 }\n`, { indent: '  ' }, schema);
    assert.equal(out.text, `layer { name: "a" type: "${key}" top: "a" scale: 2 }\n`, key);
  }
});

test('upgrade: a V0 field named like a prototype member is kept and reported, not a crash', () => {
  for (const key of KEYS) {
    const text = `layers {\n  layer { name: "a" type: "${key}" ${key}: 1 }\n  top: "a"\n}\n`;
    const out = upgradeNet(text, { indent: '  ' }, schema);
    assert.deepEqual(
      out.problems,
      [
        `Caffe's upgrade has no name for the V0 type "${key}" and stops there ("Unknown layer name: ${key}"): it is written as "${key}".`,
        `Layer "a": Caffe has no place for "${key}" in a "${key}" layer; it was kept as written.`,
      ],
      key,
    );
    assert.equal(out.text, `layer {\n  name: "a"\n  type: "${key}"\n  top: "a"\n  ${key}: 1\n}\n`, key);
  }
});

test('solver_type named like a prototype member gets the general advice, no suggestion', () => {
  for (const key of KEYS) {
    const input = featureInputFor(`base_lr: 0.01\nsolver_type: ${key}\n`);
    const found = input.analysis.diagnostics.find((d) => d.code === 'deprecated-field');
    assert.ok(found, key);
    assert.equal(
      found.message,
      '"solver_type" is deprecated: Caffe still reads it, but use the string field "type" ("SGD", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta" or "Adam") instead.',
      key,
    );
    assert.equal(found.suggestions, undefined, key);
  }
});

test('the CLI answers a command named like a prototype member as any unknown command', async () => {
  for (const key of KEYS) {
    let out = '';
    let err = '';
    const code = await runCli([key], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      cwd: os.tmpdir(),
    });
    assert.equal(code, 2, key);
    assert.equal(out, '', key);
    assert.ok(err.startsWith(`caffe-prototxt: unknown command "${key}"\n\nUsage: caffe-prototxt`), err);
  }
});

test('check takes a path named like a prototype member as a path, not an option', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-prototype-keys-'));
  try {
    for (const key of KEYS) {
      let err = '';
      const code = await runCli(['check', key], { stdout: () => {}, stderr: (t) => (err += t), cwd: dir });
      assert.equal(code, 2, key);
      assert.equal(err, `caffe-prototxt check: no such file or folder: ${key}\n`, key);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Python call named like a prototype member is no param_str loader', async () => {
  const parser = await createPythonParser();
  for (const key of KEYS) {
    const src = `class A(object):\n    def setup(self, bottom, top):\n        p = ${key}(self.param_str)\n`;
    const reads = analyzeModule(src, path.resolve('/ws/layers.py'), parser).classes[0].paramReads;
    for (const r of reads) assert.equal(typeof r.format, 'string', `${key}: ${String(r.format)}`);
    assert.ok(!reads.some((r) => r.callee === key), key);
  }
});

test('field completion in a message whose full name is a prototype member', () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const key of KEYS) {
    const def = {
      fullName: key,
      name: key,
      fields: [{ name: 'a', number: 1, label: 'optional' as const, kind: 'scalar' as const, type: 'int32' }],
    };
    const items = fieldItems({ def, present: new Set(), range, client: FULL_CLIENT });
    assert.deepEqual(
      items.map((i) => i.label),
      ['a'],
      key,
    );
  }
});

test('hover and completion over a field and a layer type named like a prototype member', () => {
  for (const key of KEYS) {
    const marked = `layer {\n  name: "a"\n  type: "${key}"\n  ${key.slice(0, 2)}<|>${key.slice(2)}: 1\n  \n}\n`;
    const { input, position } = featureInputAt(marked);
    const hover = provideHover(input, { textDocument: { uri: input.doc.uri }, position });
    const shown = hover ? (hover.contents as MarkupContent).value : '';
    assert.doesNotMatch(shown, /native code|\[object Object\]/, key);
    const typeAt = { line: 2, character: 10 };
    const typeHover = provideHover(input, { textDocument: { uri: input.doc.uri }, position: typeAt });
    const typeShown = typeHover ? (typeHover.contents as MarkupContent).value : '';
    assert.doesNotMatch(typeShown, /native code|\[object Object\]/, key);
    const completion = provideCompletion(input, {
      textDocument: { uri: input.doc.uri },
      position: { line: 4, character: 2 },
    });
    const labels = completion.items.map((i) => i.label);
    assert.ok(labels.includes('bottom'), `${key}: ${labels.join(', ')}`);
    for (const item of completion.items) {
      const doc =
        typeof item.documentation === 'string' ? item.documentation : (item.documentation?.value ?? '');
      assert.doesNotMatch(doc, /native code|\[object Object\]/, key);
    }
  }
});

test('prototxt.shapes.inputShapes states a blob named like a prototype member', () => {
  const settings = readSettings(
    JSON.parse('{"shapes":{"inputShapes":{"__proto__":[64,1,28,28],"constructor":[2,3],"toString":[5]}}}'),
  );
  assert.deepEqual(
    [...settings.shapes.inputShapes],
    [
      ['__proto__', [64, 1, 28, 28]],
      ['constructor', [2, 3]],
      ['toString', [5]],
    ],
  );
  const text =
    'layer { name: "mnist" type: "Data" top: "__proto__" data_param { source: "db" batch_size: 64 backend: LMDB } }\n' +
    'layer { name: "ip" type: "InnerProduct" bottom: "__proto__" top: "ip" inner_product_param { num_output: 10 } }\n';
  const input = featureInputFor(text, { settings: { shapes: settings.shapes } });
  const range = { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(text.length) };
  const hints = provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range }).map((h) =>
    String(h.label),
  );
  assert.ok(hints.includes('64×1×28×28'), hints.join(' | '));
  assert.ok(hints.includes('64×10'), hints.join(' | '));
});

test('a train output named like a prototype member and equal to the loss is left out of the plot', () => {
  for (const key of KEYS) {
    const log = {
      train: [
        { iter: 0, loss: 2, outputs: outputRecord([{ name: key, value: 2 }]) },
        { iter: 10, loss: 1, outputs: outputRecord([]) },
      ],
      test: [],
      lr: [],
      runs: [{ train: 0, test: 0, lr: 0 }],
    };
    assert.deepEqual(
      logPanels(log).map((p) => p.title),
      ['training loss'],
      key,
    );
  }
});
