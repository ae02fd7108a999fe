// check on what is not a plain file: FIFOs, devices, symbolic links (valid, broken, in a cycle),
// unreadable folders. Nothing blocks or grows without bound; each gets its message and exit code,
// and what is skipped inside folders is counted on stderr while stdout stays valid JSON.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';

let dir: string;
const NET = 'name: "n"\nlayer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 } } }\n';
const canMkfifo = process.platform !== 'win32';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-check-edges-'));
  mkdirSync(path.join(dir, 'nets'));
  writeFileSync(path.join(dir, 'real.prototxt'), NET);
  writeFileSync(path.join(dir, 'nets', 'own.prototxt'), NET);
  symlinkSync(path.join(dir, 'real.prototxt'), path.join(dir, 'nets', 'linked.prototxt'));
  symlinkSync('missing.prototxt', path.join(dir, 'nets', 'broken.prototxt'));
  symlinkSync('..', path.join(dir, 'nets', 'up')); // a folder cycle
  symlinkSync('b.prototxt', path.join(dir, 'a.prototxt'));
  symlinkSync('a.prototxt', path.join(dir, 'b.prototxt'));
  if (canMkfifo) {
    execFileSync('mkfifo', [path.join(dir, 'pipe.prototxt')]);
    mkdirSync(path.join(dir, 'with-pipe'));
    execFileSync('mkfifo', [path.join(dir, 'with-pipe', 'pipe.prototxt')]);
    writeFileSync(path.join(dir, 'with-pipe', 'ok.prototxt'), NET);
  }
  mkdirSync(path.join(dir, 'locked'));
  chmodSync(path.join(dir, 'locked'), 0o000);
});
after(() => {
  chmodSync(path.join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

async function check(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['check', ...argv], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd: dir,
  });
  return { code, out, err };
}

test('a FIFO given by name is refused at once with exit 2, never opened', { skip: !canMkfifo }, async () => {
  const { code, err } = await check('pipe.prototxt');
  assert.equal(code, 2);
  assert.equal(err, 'caffe-prototxt check: cannot check pipe.prototxt: a FIFO (named pipe), not a file\n');
});

test('/dev/zero is refused as a device', { skip: !existsSync('/dev/zero') }, async () => {
  const { code, err } = await check('/dev/zero');
  assert.equal(code, 2);
  assert.match(err, /cannot check \/dev\/zero: a character device, not a file/);
});

test('a cycle of symbolic links is a cycle, not "no such file"; a broken link says so', async () => {
  const cycle = await check('a.prototxt');
  assert.equal(cycle.code, 2);
  assert.equal(cycle.err, 'caffe-prototxt check: cannot check a.prototxt: a cycle of symbolic links\n');
  const broken = await check('nets/broken.prototxt');
  assert.equal(broken.code, 2);
  assert.match(broken.err, /cannot check nets\/broken.prototxt: a symbolic link to nothing/);
});

test('in a folder: a link to a real file is checked once, what cannot be checked is skipped and counted', async () => {
  const { code, out, err } = await check('--format', 'json', 'nets', '.');
  assert.equal(code, 0, err);
  const paths = (JSON.parse(out) as { path: string }[]).map((r) => r.path).sort();
  // real.prototxt is reached twice (by name and through nets/linked.prototxt) and checked once.
  assert.equal(paths.filter((p) => p.endsWith('own.prototxt')).length, 1);
  assert.equal(paths.filter((p) => /(^|\/)(real|linked)\.prototxt$/.test(p)).length, 1);
  assert.match(err, /skipped nets\/broken.prototxt: a symbolic link to nothing/);
  // The root is reached first through the folder link nets/up (and walked once).
  assert.match(err, /skipped (nets\/up\/)?a.prototxt: a cycle of symbolic links/);
  if (canMkfifo)
    assert.match(err, /skipped (nets\/up\/)?with-pipe\/pipe.prototxt: a FIFO \(named pipe\), not a file/);
  assert.match(
    err,
    /caffe-prototxt check: \d+ files checked, \d+ left out \(\d+ skipped in folders, 0 unreadable\)\n$/,
  );
});

test(
  'an unreadable folder given by name is refused',
  { skip: isRoot ? 'root reads every folder' : false },
  async () => {
    const { code, err } = await check('locked');
    assert.equal(code, 2);
    assert.match(err, /cannot check locked: a folder that cannot be read \(permission denied\)/);
  },
);

test('a file with characters beyond ASCII is read as UTF-8: its names and columns are those of the text', async () => {
  // A comment and a layer name in Chinese (common in Caffe repositories), then an unknown field.
  const text =
    '# 网络\nname: "网络"\nlayer { name: "卷积" type: "Input" top: "data" input_param { shape { dim: 1 } } typo: 1 }\n';
  writeFileSync(path.join(dir, 'utf8.prototxt'), text);
  const { code, out } = await check('--format', 'json', 'utf8.prototxt');
  assert.equal(code, 1);
  const [file] = JSON.parse(out) as { diagnostics: { line: number; column: number; message: string }[] }[];
  const unknown = file.diagnostics.find((d) => d.message.includes('"typo"'));
  assert.ok(unknown, out);
  assert.equal(unknown.line, 3);
  assert.equal(unknown.column, text.split('\n')[2].indexOf('typo') + 1);
});

test('a solver naming a path too long for the file system: the path is not found, no internal error', async () => {
  // stat fails with ENAMETOOLONG there, not ENOENT.
  const long = 'n'.repeat(5000);
  writeFileSync(
    path.join(dir, 'long-solver.prototxt'),
    `net: "${long}.prototxt"\nsnapshot_prefix: "${long}/x"\nbase_lr: 0.1\nlr_policy: "fixed"\n`,
  );
  const { code, out, err } = await check('long-solver.prototxt');
  assert.equal(code, 1, err);
  assert.match(out, /\(net\) does not exist: looked for /);
  assert.match(out, /The snapshot folder of "n+/);
  assert.doesNotMatch(out + err, /internal error|ENAMETOOLONG/);
});

test("in a folder a binary .pt is PyTorch's and passed over; named, or a binary .prototxt, it is reported", async () => {
  const folder = path.join(dir, 'mixed');
  mkdirSync(folder);
  // A PyTorch checkpoint is a zip archive; a .binaryproto renamed .prototxt is protobuf's binary form.
  writeFileSync(path.join(folder, 'weights.pt'), Buffer.from('PK\x03\x04\x00\x00\x08\x00archive/data.pkl'));
  writeFileSync(path.join(folder, 'mean.prototxt'), Buffer.from([0x08, 0x01, 0x10, 0x03, 0x00, 0x00]));
  writeFileSync(path.join(folder, 'net.prototxt'), NET);
  const walked = await check('--format', 'json', 'mixed');
  assert.equal(walked.code, 0, walked.err);
  const reports = JSON.parse(walked.out) as { path: string; diagnostics: { code: string }[] }[];
  assert.deepEqual(reports.map((r) => [path.basename(r.path), r.diagnostics.map((d) => d.code)]).sort(), [
    ['mean.prototxt', ['binary-file']],
    ['net.prototxt', []],
  ]);
  const named = await check('mixed/weights.pt');
  assert.equal(named.code, 0);
  assert.match(named.out, /^mixed\/weights\.pt:1:1: warning: binary file, not checked \[binary-file\]/m);
});

test('a folder checked from outside it (no git) is one workspace root: a solver finds a net named from the folder', async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'caffe-check-project-'));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'caffe-check-cwd-'));
  try {
    const solverDir = path.join(project, 'models', 'a');
    mkdirSync(solverDir, { recursive: true });
    mkdirSync(path.join(project, 'other'));
    writeFileSync(path.join(solverDir, 'train.prototxt'), NET);
    // Caffe started at the top of the project: the net is named from there.
    writeFileSync(
      path.join(solverDir, 'solver.prototxt'),
      'net: "models/a/train.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\n',
    );
    // A file of the name the next solver asks for, in a folder of its own: not beside that solver.
    writeFileSync(path.join(project, 'other', 'alone.prototxt'), NET);
    mkdirSync(path.join(project, 'c'));
    writeFileSync(
      path.join(project, 'c', 'solver.prototxt'),
      'net: "alone.prototxt"\nbase_lr: 0.1\nlr_policy: "fixed"\n',
    );
    let out = '';
    let err = '';
    const code = await runCli(['check', project], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      cwd: elsewhere,
    });
    assert.equal(err, 'caffe-prototxt check: 4 files checked: 1 error in 1 of them\n');
    assert.equal(code, 1, out);
    assert.doesNotMatch(out, /models\/a\/train\.prototxt" \(net\) does not exist/);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 1, out);
    assert.match(
      lines[0],
      /c[\\/]solver\.prototxt:1:6: error: "alone\.prototxt" \(net\) does not exist: looked for [^\n]*c[\\/]alone\.prototxt, [^\n]*alone\.prototxt\. /,
    );
    assert.doesNotMatch(lines[0], /other[\\/]alone/);
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('folders holding no file to check: one line says so, exit 0; a clean folder stays silent', async () => {
  mkdirSync(path.join(dir, 'empty', 'docs'), { recursive: true });
  writeFileSync(path.join(dir, 'empty', 'docs', 'notes.md'), '# notes\n');
  const none = await check('empty');
  assert.equal(none.code, 0);
  assert.equal(none.out, '');
  assert.equal(
    none.err,
    'caffe-prototxt check: no file to check in empty: none is a *.prototxt, *.pt, solver file without an extension or Python layer file\n',
  );
  const clean = await check('real.prototxt');
  assert.deepEqual([clean.code, clean.err], [0, '']);
});
