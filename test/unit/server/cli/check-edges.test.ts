// Bad input gets a clear message and the right exit code: a --schema that is no Caffe proto, binary
// files, the same file through overlapping paths; --version; the upgrade command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMANDS, runCli } from '../../../../server/src/cli/commands';
import { repoRoot } from '../../../helpers/paths';

async function run(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd });
  return { code, out, err };
}

function folder(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-edges-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

test('--schema that is missing, a folder, no .proto, does not parse or lacks caffe.NetParameter: exit 2 naming it', async () => {
  const root = folder({
    'net.prototxt': 'name: "n"\n',
    'notes.txt': 'message NetParameter {}\n',
    'broken.proto': 'package caffe;\nmessage NetParameter { optional string name = ; }\n',
    'other.proto': 'package caffe;\nmessage SolverParameter { optional float base_lr = 5; }\n',
    'dir.proto/x': '',
  });
  const cases: [string, RegExp][] = [
    ['missing.proto', /--schema missing\.proto: no such file/],
    ['dir.proto', /--schema dir\.proto: it is a folder/],
    ['notes.txt', /--schema notes\.txt: not a \.proto file/],
    ['broken.proto', /--schema broken\.proto: it does not parse: 2:\d+: /],
    ['other.proto', /--schema other\.proto: it defines no message caffe\.NetParameter/],
  ];
  for (const [schema, reason] of cases) {
    const { code, out, err } = await run(root, 'check', '--schema', schema, 'net.prototxt');
    assert.equal(code, 2, schema);
    assert.equal(out, '', schema);
    assert.match(err, reason, schema);
  }
});

test('a binary file is one binary-file warning; a file reached through overlapping paths is checked once', async () => {
  const root = folder({
    'nets/a.prototxt': 'name: "a"\nlayer { nmae: "x" }\n',
    'nets/weights.prototxt': Buffer.from([0x0a, 0x05, 0x00, 0xff, 0x10, 0x00, 0x01]),
  });
  const { code, out } = await run(
    root,
    'check',
    'nets',
    'nets/a.prototxt',
    './nets/a.prototxt',
    'nets/weights.prototxt',
  );
  assert.equal(code, 1);
  assert.deepEqual(out.trim().split('\n'), [
    `${path.join('nets', 'a.prototxt')}:2:9: error: Message type "caffe.LayerParameter" has no field named "nmae". Did you mean "name"? [unknown-field]`,
    `${path.join('nets', 'weights.prototxt')}:1:1: warning: binary file, not checked [binary-file]`,
  ]);
});

test('--version prints the package version; every command summary starts in lower case', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  for (const flag of ['--version', '-V']) {
    const { code, out } = await run(os.tmpdir(), flag);
    assert.equal(code, 0);
    assert.equal(out, `${manifest.version}\n`);
  }
  for (const [name, command] of Object.entries(COMMANDS)) {
    assert.match(command.summary, /^[a-z]/, name);
    assert.doesNotMatch(command.summary, /\.$/, name);
  }
});

const V1 = `# an old net
name: "old"
layers {
  name: "conv"  # the only layer
  type: CONVOLUTION
  bottom: "data"
  top: "conv"
  blobs_lr: 1
  convolution_param { num_output: 4 kernel_size: 3 }
}
`;

test('upgrade: a V1 net in the current format with its comments, to stdout, -o or --in-place', async () => {
  const root = folder({
    'old.prototxt': V1,
    'new.prototxt': 'name: "n"\nlayer { name: "x" type: "ReLU" }\n',
  });
  const { code, out, err } = await run(root, 'upgrade', 'old.prototxt');
  assert.equal(code, 0);
  assert.match(
    out,
    /^# an old net\nname: "old"\nlayer \{\n {2}name: "conv" # the only layer\n {2}type: "Convolution"/,
  );
  assert.match(out, /param \{\n {4}lr_mult: 1\n {2}\}/);
  assert.match(err, /old\.prototxt: Upgraded/);
  await run(root, 'upgrade', 'old.prototxt', '-o', 'up.prototxt');
  assert.equal(fs.readFileSync(path.join(root, 'up.prototxt'), 'utf8'), out);
  assert.equal((await run(root, 'upgrade', 'old.prototxt', '--in-place')).code, 0);
  assert.equal(fs.readFileSync(path.join(root, 'old.prototxt'), 'utf8'), out);
  const current = await run(root, 'upgrade', 'new.prototxt');
  assert.equal(current.code, 0);
  assert.equal(current.out, '');
  assert.match(current.err, /already in the current format/);
  assert.equal((await run(root, 'upgrade')).code, 2);
  // The check's deprecation message says what a CLI user can do.
  const checked = await run(root, 'check', 'up.prototxt', path.join(root, 'new.prototxt'));
  assert.equal(checked.out, '');
  fs.writeFileSync(path.join(root, 'v1.prototxt'), V1);
  assert.match((await run(root, 'check', 'v1.prototxt')).out, /caffe-prototxt upgrade FILE/);
});
