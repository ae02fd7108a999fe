// `check -`: the prototxt on standard input (an editor's unsaved text, a generated net), checked as the
// file `--stdin-name` names (its workspace, caffe.proto, solver paths) or as <stdin>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../helpers/paths';
import { tempDir } from '../../../helpers/temp-dir';
import { runCliIn } from '../../../helpers/run-cli';

const run = (cwd: string, stdin: string | Buffer | undefined, ...argv: string[]) =>
  runCliIn(cwd, ['check', ...argv], stdin);

const TYPO =
  'name: "n"\nlayer { name: "a" type: "Input" top: "a" input_param { shape { dim: 1 } } }\nlayr { }\n';

test('the text on standard input is checked as <stdin>, in the text and the JSON reports', async () => {
  const cwd = tempDir('check-stdin-');
  const text = await run(cwd, TYPO, '-');
  assert.equal(text.code, 1);
  assert.match(text.out, /^<stdin>:3:1: error: .*"layr"/m);
  const json = await run(cwd, TYPO, '--format', 'json', '-');
  assert.equal(json.code, 1);
  const reports = JSON.parse(json.out) as { path: string; diagnostics: { line: number }[] }[];
  assert.deepEqual(
    reports.map((r) => [r.path, r.diagnostics.map((d) => d.line)]),
    [['<stdin>', [3]]],
  );
  const clean = await run(cwd, 'name: "n"\n', '-');
  assert.deepEqual([clean.code, clean.out, clean.err], [0, '', '']);
});

test('--stdin-name: the text stands for that file, which is not read from the disk', async () => {
  const ws = tempDir('check-stdin-ws-');
  fs.mkdirSync(path.join(ws, 'models'));
  fs.writeFileSync(path.join(ws, 'models', 'train.prototxt'), 'name: "t"\n');
  // On disk the solver is fine; the unsaved text names a net file that is not there.
  fs.writeFileSync(
    path.join(ws, 'models', 'solver.prototxt'),
    'net: "train.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\n',
  );
  const unsaved = 'net: "train_val.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\n';
  const named = await run(ws, unsaved, '--stdin-name', 'models/solver.prototxt', '-', 'models');
  assert.equal(named.code, 1);
  // Resolved from the folder of the file it stands for, reported under its name, once.
  assert.match(
    named.out,
    /^models\/solver\.prototxt:1:6: error: "train_val\.prototxt" \(net\) does not exist: looked for [^\n]*models\/train_val\.prototxt/m,
  );
  assert.equal(named.out.match(/solver\.prototxt:/g)?.length, 1);
  assert.equal(named.reads, 1);
});

test('standard input: given twice, named without -, or named as a Python file, is bad usage', async () => {
  const cwd = tempDir('check-stdin-usage-');
  const twice = await run(cwd, TYPO, '-', '-');
  assert.equal(twice.code, 2);
  assert.match(twice.err, /standard input \(-\) can be given once/);
  const nameOnly = await run(cwd, TYPO, '--stdin-name', 'x.prototxt', 'y.prototxt');
  assert.equal(nameOnly.code, 2);
  assert.match(nameOnly.err, /give - among the PATHs/);
  const python = await run(cwd, TYPO, '--stdin-name', 'layer.py', '-');
  assert.equal(python.code, 2);
  assert.match(python.err, /cannot name a Python file/);
  assert.equal(python.reads, 0);
  const none = await run(cwd, undefined, '-');
  assert.equal(none.code, 2);
  assert.match(none.err, /standard input cannot be read here/);
});

test('binary bytes on standard input are reported, not parsed', async () => {
  const cwd = tempDir('check-stdin-bin-');
  const binary = await run(cwd, Buffer.from([0x0a, 0x00, 0x01, 0x02]), '-');
  assert.equal(binary.code, 0);
  assert.match(binary.out, /^<stdin>:1:1: warning: binary file, not checked \[binary-file\]/m);
});

test('the installed command reads standard input to its end', () => {
  const cwd = tempDir('check-stdin-process-');
  const cli = path.join(repoRoot, 'bin', 'caffe-prototxt.js');
  const result = spawnSync(process.execPath, [cli, 'check', '-'], { cwd, input: TYPO, encoding: 'utf8' });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /^<stdin>:3:1: error: .*"layr"/m);
});
