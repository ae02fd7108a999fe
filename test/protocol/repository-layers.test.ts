// A repository that ships the C++ sources of its own layers beside its nets (no whole Caffe): the
// types they register are no unknown ones; hover says where each is registered, definition opens the
// line, and a source written or removed on disk is taken into account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { completionLabels, definitionTargets, fileUri, startServer } from '../helpers/lsp-client';

const NET = `name: "n"
input: "data"
input_shape { dim: 1 dim: 8 dim: 4 dim: 4 }
layer { name: "a" type: "Mixer" bottom: "data" top: "a" }
layer { name: "g" type: "GateNorm" bottom: "a" top: "g" }
`;

test("the types a repository's own sources register: no warning, hover and definition", async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repository-layers-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const repo = path.join(root, 'senet-like');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'src', 'caffe', 'layers'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'models'));
  const mixer = path.join(repo, 'src', 'caffe', 'layers', 'mixer_layer.cpp');
  fs.writeFileSync(
    mixer,
    'namespace caffe {\n// The layer.\nINSTANTIATE_CLASS(MixerLayer);\nREGISTER_LAYER_CLASS(Mixer);\n}\n',
  );
  // A neighbouring clone's registration is not this repository's.
  fs.mkdirSync(path.join(root, 'other', '.git'), { recursive: true });
  fs.writeFileSync(path.join(root, 'other', 'gate_norm_layer.cpp'), 'REGISTER_LAYER_CLASS(GateNorm);\n');
  const netPath = path.join(repo, 'models', 'net.prototxt');
  fs.writeFileSync(netPath, NET);

  const s = await startServer({ rootPath: root });
  t.after(() => s.stop());
  const uri = fileUri(netPath);
  s.open(uri, NET);
  const unknownTypes = (d: { code?: unknown; range: { start: { line: number } } }[]) =>
    d.filter((x) => x.code === 'unknown-layer-type').map((x) => x.range.start.line);
  assert.deepEqual(unknownTypes(await s.diagnostics(uri)), [4]);

  const position = { line: 3, character: 28 };
  const hover = (await s.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position,
  })) as Hover;
  const value = (hover.contents as MarkupContent).value;
  assert.match(value, /Registered by a source of this repository/);
  assert.ok(value.includes(`(${fileUri(mixer)}#L4)`), value);
  assert.deepEqual(await definitionTargets(s, uri, position), [[fileUri(mixer), 3]]);

  // Completion of a type offers it beside BVLC's.
  const labels = await completionLabels(s, uri, { line: 4, character: 29 });
  assert.ok(labels.includes('Mixer') && labels.includes('Convolution'), labels.join(' '));
  assert.ok(!labels.includes('GateNorm'), "a neighbour's type is not offered");

  // A source registering GateNorm written into the repository: the warning goes.
  const gate = path.join(repo, 'src', 'caffe', 'layers', 'gate_norm_layer.cu');
  fs.writeFileSync(gate, 'REGISTER_LAYER_CLASS(GateNorm);\n');
  await s.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(gate), type: 1 }],
  });
  await s.diagnostics(uri, (p) => unknownTypes(p.diagnostics).length === 0);
  // Mixer's source removed: Mixer is unknown again.
  fs.rmSync(mixer);
  await s.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: fileUri(mixer), type: 3 }],
  });
  const after = await s.diagnostics(uri, (p) => unknownTypes(p.diagnostics).includes(3));
  assert.deepEqual(unknownTypes(after), [3]);
});
