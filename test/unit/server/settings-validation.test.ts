// Settings that reach a matcher, a path or a process: bad values are left out with a reason, lists
// are bounded, and an untrusted workspace cannot set them at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_GLOB_LENGTH } from '../../../common/glob';
import { DEFAULT_SETTINGS, MAX_LIST_ENTRIES, readSettingsChecked } from '../../../server/src/settings';
import { repoRoot } from '../../helpers/paths';

test('globs that cannot be compiled are left out of the exclude settings, with the reason', () => {
  const long = 'a'.repeat(MAX_GLOB_LENGTH + 1);
  const braces = Array.from({ length: 8 }, () => '{a,b}').join('');
  const { settings, problems } = readSettingsChecked({
    python: { exclude: ['****************zz', long, 'venv/**'] },
    schema: { exclude: [braces, 'third_party'] },
  });
  // Many stars are fine: the matcher is linear whatever the pattern.
  assert.deepEqual(settings.python.exclude, ['****************zz', 'venv/**']);
  assert.deepEqual(settings.schema.exclude, ['third_party']);
  assert.equal(problems.length, 2);
  assert.match(
    problems[1],
    /^prototxt\.python\.exclude: the glob "a{40}…" is longer than 1000 characters; left out$/,
  );
  assert.match(
    problems[0],
    /^prototxt\.schema\.exclude: the glob .* is more than 64 \{\} alternatives; left out$/,
  );
});

test('paths and the interpreter must be plain strings of sane length', () => {
  const { settings, problems } = readSettingsChecked({
    schema: { paths: ['caffe.proto', 'x\u0000y'] },
    python: { extraPaths: ['lib', 'a'.repeat(5000)], interpreter: 'python3\nrm -rf /' },
  });
  assert.deepEqual(settings.schema.paths, ['caffe.proto']);
  assert.deepEqual(settings.python.extraPaths, ['lib']);
  assert.equal(settings.python.interpreter, DEFAULT_SETTINGS.python.interpreter);
  assert.deepEqual(
    problems.map((p) => p.split(':')[0]),
    ['prototxt.python.interpreter', 'prototxt.schema.paths', 'prototxt.python.extraPaths'],
  );
});

test('a list setting uses at most MAX_LIST_ENTRIES entries and says so', () => {
  const many = Array.from({ length: MAX_LIST_ENTRIES + 10 }, (_, i) => `dir${i}`);
  const { settings, problems } = readSettingsChecked({ python: { exclude: many } });
  assert.equal(settings.python.exclude.length, MAX_LIST_ENTRIES);
  assert.deepEqual(problems, [
    `prototxt.python.exclude: more than ${MAX_LIST_ENTRIES} entries; the first ${MAX_LIST_ENTRIES} are used`,
  ]);
  assert.deepEqual(readSettingsChecked({}).problems, []);
});

test('an untrusted workspace cannot set any setting that names a program, a path or a glob', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  const restricted = new Set(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations);
  const reaching = [
    'prototxt.python.interpreter',
    'prototxt.python.extraPaths',
    'prototxt.python.exclude',
    'prototxt.schema.paths',
    'prototxt.schema.exclude',
    'prototxt.files.solverGlobs',
  ];
  for (const name of reaching) {
    assert.ok(name in manifest.contributes.configuration.properties, `${name} is a setting`);
    assert.ok(restricted.has(name), `${name} is restricted`);
  }
});

test('diagnostics.ignore takes diagnostic codes only', () => {
  const { settings, problems } = readSettingsChecked({
    diagnostics: { ignore: ['python2-syntax', 'Fork Field', 'fork-field', 42, 'x'.repeat(81)] },
  });
  assert.deepEqual(settings.diagnostics.ignore, ['python2-syntax', 'fork-field']);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^prototxt\.diagnostics\.ignore: "Fork Field" is no diagnostic code/);
  assert.deepEqual(readSettingsChecked({}).settings.diagnostics.ignore, []);
});
