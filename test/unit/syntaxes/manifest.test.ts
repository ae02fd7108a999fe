// The manifest's language contributions and language-configuration.json say what the brief asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Commands } from '../../../common/protocol';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import { repoRoot } from './tokenizer';

interface Manifest {
  engines: { vscode: string };
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { path: string; scopeName: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const languageConfig = JSON.parse(
  readFileSync(path.join(repoRoot, 'language-configuration.json'), 'utf8'),
) as {
  comments: { lineComment: string };
  brackets: string[][];
  wordPattern: string;
};

test('every contributed file exists', () => {
  const c = manifest.contributes;
  for (const f of [
    ...c.languages.map((l) => l.configuration),
    ...c.grammars.map((g) => g.path),
    ...c.snippets.map((s) => s.path),
  ]) {
    assert.ok(existsSync(path.join(repoRoot, f)), f);
  }
});

test('language, activation, engine and trust', () => {
  const lang = manifest.contributes.languages.find((l) => l.id === 'prototxt');
  assert.deepEqual(lang?.extensions, ['.prototxt', '.pt']);
  // The debug type `caffe-layer` may be started from a launch.json before any prototxt is open.
  assert.deepEqual(manifest.activationEvents, [
    'onLanguage:prototxt',
    'onLanguage:python',
    'onDebugResolve:caffe-layer',
  ]);
  const m = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
  assert.ok(m && Number(m[1]) >= 100 && Number(m[1]) <= 139, manifest.engines.vscode);
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), [
    'prototxt.files.solverGlobs',
    'prototxt.python.exclude',
    'prototxt.python.extraPaths',
    'prototxt.python.interpreter',
    'prototxt.schema.exclude',
    'prototxt.schema.paths',
  ]);
});

test('commands match the shared protocol ids (internal ones aside), in the Caffe category', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  const expected = Object.values(Commands)
    // Internal commands, run by the server's code lenses and quick fixes or by the e2e suite.
    .filter(
      (id) =>
        id !== Commands.getStatus &&
        id !== Commands.showReferences &&
        id !== Commands.addPythonPath &&
        id !== Commands.useBundledSchema,
    )
    .sort();
  assert.deepEqual(contributed, expected);
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'Caffe', c.command);
  assert.ok(manifest.contributes.menus['editor/title'].some((m) => m.command === Commands.showGraph));
});

test('every setting is documented with its default, equal to the server defaults', () => {
  const props = manifest.contributes.configuration.properties;
  for (const [key, p] of Object.entries(props)) {
    assert.ok('default' in p, `${key} has a default`);
    assert.match(p.markdownDescription ?? '', /Default: /, `${key} documents its default`);
  }
  const flat: Record<string, unknown> = {};
  for (const [section, values] of Object.entries(DEFAULT_SETTINGS)) {
    // A Map (the input shapes by blob name) is an object in the manifest's JSON.
    for (const [k, v] of Object.entries(values as Record<string, unknown>))
      flat[`prototxt.${section}.${k}`] = v instanceof Map ? Object.fromEntries(v) : v;
  }
  for (const [key, value] of Object.entries(flat)) assert.deepEqual(props[key]?.default, value, key);
  assert.equal(props['prototxt.trace.server']?.default, 'off');
  assert.deepEqual(props['prototxt.files.solverGlobs']?.default, []);
});

test('language configuration: # comments, brackets, blob names kept whole', () => {
  assert.equal(languageConfig.comments.lineComment, '#');
  assert.deepEqual(
    languageConfig.brackets.map((b) => b[0]),
    ['{', '<', '['],
  );
  const words = (text: string) =>
    [...text.matchAll(new RegExp(languageConfig.wordPattern, 'g'))].map((m) => m[0]);
  assert.deepEqual(words('bottom: "conv1/3x3_reduce"'), ['bottom', 'conv1/3x3_reduce']);
  assert.deepEqual(words('top: "res2a_branch2a" # x'), ['top', 'res2a_branch2a', 'x']);
  assert.deepEqual(words('base_lr: 1e-4 gamma: -0.5 a: .875'), [
    'base_lr',
    '1e-4',
    'gamma',
    '-0.5',
    'a',
    '.875',
  ]);
  assert.deepEqual(words('include { phase: TEST }'), ['include', 'phase', 'TEST']);
});
