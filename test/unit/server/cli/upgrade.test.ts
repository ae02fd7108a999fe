import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { analyze } from '../../../../server/src/analysis/analyze';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { runCliIn } from '../../../helpers/run-cli';

const V1_NET = `name: "v1"
# the first layer
layers { name: "relu" type: RELU bottom: "x" top: "x" }
`;

const CURRENT_NET = 'layer { name: "a" type: "ReLU" }\n';

async function inFolder(
  files: Record<string, string>,
  body: (
    run: (...args: string[]) => Promise<{ code: number; out: string; err: string }>,
    dir: string,
  ) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-upgrade-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const run = async (...args: string[]) => {
    const out = { out: '', err: '' };
    const io = {
      stdout: (t: string) => void (out.out += t),
      stderr: (t: string) => void (out.err += t),
      cwd: dir,
    };
    return { code: await runCli(['upgrade', ...args], io), ...out };
  };
  try {
    await body(run, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Problems the analysis reports on `text`, errors and deprecations alike. */
function problemsOf(text: string): string[] {
  return analyze(text, parse(text), { schema: loadBundledSchema(), schemaKind: 'bundled' })
    .diagnostics.filter((d) => d.severity === 'error' || d.code === 'deprecated-field')
    .map((d) => d.message);
}

test('upgrade writes a V1 net to standard output, to -o, or in place; a current net is written as it is', () =>
  inFolder({ 'v1.prototxt': V1_NET, 'current.prototxt': CURRENT_NET }, async (run, dir) => {
    const out = await run('v1.prototxt');
    assert.equal(out.code, 0, out.err);
    assert.match(out.out, /# the first layer\nlayer \{ name: "relu" type: "ReLU" bottom: "x" top: "x" \}\n/);
    assert.match(out.err, /v1\.prototxt: Upgraded: "layers" became "layer" with type strings\./);
    assert.equal((await run('v1.prototxt', '-o', 'v2.prototxt')).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'v2.prototxt'), 'utf8'), out.out);
    assert.equal(fs.readFileSync(path.join(dir, 'v1.prototxt'), 'utf8'), V1_NET);
    assert.equal((await run('v1.prototxt', '--in-place')).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'v1.prototxt'), 'utf8'), out.out);

    const current = await run('current.prototxt');
    assert.equal(current.code, 0);
    assert.equal(current.out, CURRENT_NET);
    assert.match(current.err, /current\.prototxt: This net is already in the current format\./);
    assert.equal((await run('current.prototxt', '-o', 'copy.prototxt')).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'copy.prototxt'), 'utf8'), CURRENT_NET);
    const before = fs.statSync(path.join(dir, 'current.prototxt')).mtimeMs;
    const inPlace = await run('current.prototxt', '--in-place');
    assert.deepEqual([inPlace.code, inPlace.out], [0, '']);
    assert.equal(fs.statSync(path.join(dir, 'current.prototxt')).mtimeMs, before);
    const unwritable = await run('v2.prototxt', '-o', path.join('no-such-folder', 'out.prototxt'));
    assert.equal(unwritable.code, 1);
    assert.match(
      unwritable.err,
      /caffe-prototxt upgrade: cannot write no-such-folder\/out\.prototxt: ENOENT/,
    );
  }));

test('upgrade -: the net on standard input, to standard output or -o; not --in-place', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-upgrade-stdin-'));
  const run = (stdin: string | Buffer, ...args: string[]) => runCliIn(dir, ['upgrade', ...args], stdin);
  try {
    const piped = await run(V1_NET, '-');
    assert.equal(piped.code, 0, piped.err);
    assert.match(piped.out, /^layer \{ name: "relu" type: "ReLU" bottom: "x" top: "x" \}$/m);
    assert.match(piped.err, /^<stdin>: Upgraded: "layers" became "layer"/m);
    assert.equal((await run(V1_NET, '-', '-o', 'v2.prototxt')).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'v2.prototxt'), 'utf8'), piped.out);
    assert.equal((await run(CURRENT_NET, '-', '-o', '-')).out, CURRENT_NET);
    const inPlace = await run(V1_NET, '-', '--in-place');
    assert.equal(inPlace.code, 2);
    assert.match(inPlace.err, /--in-place needs a file, not standard input/);
    const binary = await run(Buffer.from([0x0a, 0x00, 0x01]), '-');
    assert.deepEqual([binary.code, binary.out], [2, '']);
    assert.match(binary.err, /standard input holds a binary file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const OLD_SOLVER = `base_lr: 0.01\nlr_policy: "fixed"\nsolver_type: ADAM  # the old enum\nnet_param {\n  ${V1_NET.replace(/\n/g, '\n  ')}}\n`;

test('upgrade of a solver: solver_type becomes type, and the nets it holds are upgraded', () =>
  inFolder(
    {
      'solver.prototxt': OLD_SOLVER,
      'numbered.prototxt': 'base_lr: 0.01\nsolver_type: 1\n',
      'current.prototxt': 'base_lr: 0.01\ntype: "Adam"\n',
      'both.prototxt': 'base_lr: 0.01\nsolver_type: SGD\ntype: "Adam"\n',
      'unknown.prototxt': 'base_lr: 0.01\nsolver_type: 9\n',
      'mixed.prototxt':
        'base_lr: 0.01\nnet_param { layer { name: "a" } layers { layer { name: "b" type: "relu" } } }\n',
    },
    async (run) => {
      const solver = await run('solver.prototxt');
      assert.equal(solver.code, 0, solver.err);
      assert.match(solver.out, /^type: "Adam" # the old enum$/m);
      assert.doesNotMatch(solver.out, /solver_type|layers \{/);
      assert.match(
        solver.out,
        /net_param \{\n {2}name: "v1"\n {2}# the first layer\n {2}layer \{ name: "relu" type: "ReLU" bottom: "x" top: "x" \}\n\}\n/,
      );
      assert.match(
        solver.err,
        /Upgraded: solver_type: ADAM became type: "Adam"; net_param: "layers" became "layer" with type strings\./,
      );
      // The analysis flagged the old file's solver_type and V1 layers; the new one has nothing to say.
      assert.ok(problemsOf(OLD_SOLVER).some((m) => m.includes('"solver_type" is deprecated')));
      assert.deepEqual(problemsOf(solver.out), []);

      assert.match((await run('numbered.prototxt')).out, /^type: "Nesterov"$/m);
      const current = await run('current.prototxt');
      assert.equal(current.code, 0);
      assert.match(current.err, /This solver is already in the current format\./);

      const both = await run('both.prototxt');
      assert.equal(both.code, 1);
      assert.equal(both.out, '');
      assert.match(both.err, /sets both "solver_type" and "type": Caffe refuses to upgrade it/);
      const unknown = await run('unknown.prototxt');
      assert.equal(unknown.code, 1);
      assert.match(unknown.err, /"solver_type: 9" is no solver type Caffe knows/);
      const mixed = await run('mixed.prototxt');
      assert.equal(mixed.code, 1);
      assert.match(mixed.err, /In net_param: The net mixes "layer" and V0 "layers \{ layer \{ \} \}"/);
    },
  ));

test("upgrade for a Caffe without the Input layer (--schema; else the checkout's proto, as check finds it): legacy inputs stay", () =>
  inFolder(
    {
      'deploy.prototxt':
        'input: "data"\ninput_dim: 1\ninput_dim: 3\nlayers { name: "r" type: RELU bottom: "data" top: "r" }\n',
    },
    async (run) => {
      const fastrcnn = await run('deploy.prototxt', '--schema', 'bundled:fastrcnn');
      assert.equal(fastrcnn.code, 0, fastrcnn.err);
      assert.match(fastrcnn.out, /^input: "data"\ninput_dim: 1\ninput_dim: 3\nlayer \{/);
      assert.match(
        fastrcnn.err,
        /Upgraded: "layers" became "layer" with type strings; its caffe\.proto has no Input layer, so the legacy inputs stay\./,
      );
      // BVLC's proto (bundled:bvlc): an Input layer.
      assert.match((await run('deploy.prototxt', '--schema', 'bundled:bvlc')).out, /type: "Input"/);
      const bad = await run('deploy.prototxt', '--schema', 'nope.proto');
      assert.equal(bad.code, 2);
      assert.match(bad.err, /cannot use --schema nope\.proto/);
    },
  ));

test('upgrade of a V0 field Caffe has no place for: the rest is upgraded and written, the field kept and named, exit 1', () =>
  inFolder(
    {
      'v0.prototxt':
        'layers {\n  layer { name: "data" type: "data" source: "db" batchsize: 2 det_context_pad: 16 }\n  top: "data"\n}\n',
      'tanh.prototxt': 'layers {\n  layer { name: "t" type: "TanH" }\n  bottom: "data"\n  top: "t"\n}\n',
    },
    async (run, dir) => {
      const out = await run('v0.prototxt', '-o', 'v2.prototxt');
      assert.equal(out.code, 1, out.err);
      assert.match(
        out.err,
        /Caffe has no place for "det_context_pad" in a "data" layer; it was kept as written\./,
      );
      const written = fs.readFileSync(path.join(dir, 'v2.prototxt'), 'utf8');
      assert.match(written, /layer \{/);
      assert.match(written, /type: "Data"/);
      assert.match(written, /det_context_pad: 16/);
      const unknown = await run('tanh.prototxt');
      assert.equal(unknown.code, 1);
      assert.match(
        unknown.err,
        /no name for the V0 type "TanH" and stops there \("Unknown layer name: TanH"\)/,
      );
    },
  ));

test('upgrade: a file that cannot be read and bad usage exit 2', () =>
  inFolder({}, async (run) => {
    const absent = await run('absent.prototxt');
    assert.equal(absent.code, 2);
    assert.match(absent.err, /cannot read absent\.prototxt/);
    assert.equal((await run()).code, 2);
    assert.equal((await run('a.prototxt', '-o', 'b', '--in-place')).code, 2);
  }));

test('upgrade of a file with syntax errors exits 1 and writes nothing; a YAML file is told as one', () =>
  inFolder(
    {
      'broken.prototxt': 'layers { name: "a" type: RELU\n',
      'config.prototxt': 'TRAIN:\n  SCALES: !!python/tuple [600]\n',
    },
    async (run, dir) => {
      const broken = await run('broken.prototxt', '--in-place');
      assert.deepEqual([broken.code, broken.out], [1, '']);
      assert.match(broken.err, /broken\.prototxt: The file has syntax errors: fix them before upgrading\./);
      const yaml = await run('config.prototxt', '--in-place');
      assert.deepEqual([yaml.code, yaml.out], [1, '']);
      assert.match(yaml.err, /^config\.prototxt:2:11: error: This file is YAML, .*\[not-prototxt\]\n$/);
      assert.equal(
        fs.readFileSync(path.join(dir, 'config.prototxt'), 'utf8'),
        'TRAIN:\n  SCALES: !!python/tuple [600]\n',
      );
    },
  ));
