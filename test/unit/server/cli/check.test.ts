// The check command through the CLI's command table: exit codes, text and JSON output, usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { bundledChoices } from '../../../../server/src/workspace/bundled-choices';
import { repoRoot } from '../../../helpers/paths';

const fixtures = path.join(repoRoot, 'test/fixtures/check');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: fixtures });
  return { code, out, err };
}

test('a clean folder exits 0; solver files without extension are checked, a C++ header named so is not; node_modules skipped', async () => {
  const { code, out, err } = await run('check', 'ok');
  assert.equal(err, '');
  assert.equal(code, 0);
  assert.equal(
    out,
    `${path.join('ok', 'lenet_solver')}:3:1: information: "solver_type" is deprecated: Caffe still reads it, but write type: "SGD" instead. [deprecated-field]\n`,
  );
});

test('errors give exit 1 and path:line:col: severity: message [code]', async () => {
  const { code, out } = await run('check', 'bad');
  assert.equal(code, 1);
  assert.equal(
    out,
    `${path.join('bad', 'net.pt')}:3:3: error: Message type "caffe.LayerParameter" has no field named "nmae". Did you mean "name"? [unknown-field]\n`,
  );
});

test('--format json: one array with 1-based ranges', async () => {
  const { code, out } = await run('check', '--format', 'json', 'bad/net.pt', 'ok/net.prototxt');
  assert.equal(code, 1);
  const reports = JSON.parse(out) as { path: string; diagnostics: Record<string, unknown>[] }[];
  assert.deepEqual(
    reports.map((r) => r.path),
    ['bad/net.pt', 'ok/net.prototxt'],
  );
  assert.deepEqual(reports[1].diagnostics, []);
  const d = reports[0].diagnostics[0];
  assert.deepEqual(
    {
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      severity: d.severity,
      code: d.code,
    },
    { line: 3, column: 3, endLine: 3, endColumn: 7, severity: 'error', code: 'unknown-field' },
  );
});

test('--schema replaces the bundled schema', async () => {
  const { code, out } = await run('check', '--schema', 'proto/caffe.proto', 'bad/net.pt');
  assert.equal(code, 1);
  assert.match(
    out,
    /:1:1: error: Message type "caffe.NetParameter" has no field named "name". BVLC Caffe, .* define it/,
  );
  assert.doesNotMatch(out, /:3:3/);
});

test('--schema bundled:NAME checks against a schema shipped with the tool, as the schema in use', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-bundled-'));
  try {
    const net = path.join(dir, 'net.prototxt');
    fs.writeFileSync(
      net,
      'layer { name: "p" type: "PSROIPooling" bottom: "a" bottom: "b" top: "p" psroi_pooling_param { spatial_scale: 0.0625 output_dim: 3 group_size: 1 } }\n',
    );
    // Under the bundled BVLC schema R-FCN's field is a warning naming the fork; chosen, R-FCN's is clean
    // and another fork's makes it an error.
    assert.match((await run('check', net)).out, /Choose the R-FCN schema/);
    const rfcn = await run('check', '--schema', 'bundled:rfcn', net);
    assert.doesNotMatch(rfcn.out, /psroi_pooling_param/);
    const ssd = await run('check', '--schema', 'bundled:ssd', net);
    assert.equal(ssd.code, 1);
    assert.match(
      ssd.out,
      /error: Message type "caffe.LayerParameter" has no field named "psroi_pooling_param"/,
    );
    const nope = await run('check', '--schema', 'bundled:nope', net);
    assert.equal(nope.code, 2);
    assert.match(
      nope.err,
      /cannot use --schema bundled:nope: No bundled schema is called bundled:nope: the bundled schemas are bundled:bvlc, /,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The help names every schema shipped.
  const help = (await run('check', '--help')).out.replace(/\s+/g, ' ');
  for (const { setting } of bundledChoices()) assert.ok(help.includes(setting), setting);
});

/** A new folder with `text` at layers/caffe.proto, beside where its nets go. */
function additionsBeside(text: string): { dir: string; proto: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-additions-'));
  fs.mkdirSync(path.join(dir, 'layers'));
  const proto = path.join(dir, 'layers', 'caffe.proto');
  fs.writeFileSync(proto, text);
  return { dir, proto };
}

test('--schema with a proto of additions: the bundled schema with them; a proto of another package is refused', async () => {
  // A repository's new layer, its field added to LayerParameter; FillerParameter is Caffe's own.
  // Kept beside the nets' folder, as a repository of new layers may keep it: not found for them.
  const { dir, proto } = additionsBeside(
    'syntax = "proto2";\npackage caffe;\nmessage LayerParameter {\n  optional JfdaLossParameter jfda_loss_param = 23333;\n}\n' +
      'message JfdaLossParameter {\n  optional float drop_loss_rate = 1 [default = 0];\n  optional FillerParameter filler = 2;\n}\n',
  );
  try {
    const net = path.join(dir, 'net.prototxt');
    fs.writeFileSync(
      net,
      'layer { name: "l" type: "EuclideanLoss" bottom: "a" bottom: "b" top: "l" jfda_loss_param { drop_loss_rate: 0.3 } }\n',
    );
    const plain = await run('check', net);
    assert.match(plain.out, /no field named "jfda_loss_param"/);
    const added = await run('check', '--schema', proto, net);
    assert.doesNotMatch(added.out, /jfda_loss_param/);
    const typo = net.replace('net.prototxt', 'typo.prototxt');
    fs.writeFileSync(typo, 'layer { name: "l" type: "EuclideanLoss" jfda_loss_param { drop_rate: 0.3 } }\n');
    const wrong = await run('check', '--schema', proto, typo);
    assert.match(wrong.out, /Message type "caffe.JfdaLossParameter" has no field named "drop_rate"/);
    // Not Caffe's: another package, nothing added to caffe's messages.
    fs.writeFileSync(
      path.join(dir, 'other.proto'),
      'syntax = "proto2";\npackage other;\nmessage A { optional int32 b = 1; }\n',
    );
    const other = await run('check', '--schema', path.join(dir, 'other.proto'), net);
    assert.equal(other.code, 2);
    assert.match(
      other.err,
      /defines no message caffe.NetParameter and adds nothing to those of package caffe/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--schema twice: a proto of additions goes into the fork given with it; two schemas of nets are refused', async () => {
  // A layer built on PSPNet's Caffe: its net uses PSPNet's BN and the layer's own block.
  const { dir, proto } = additionsBeside(
    'message LayerParameter {\n  optional AttentionParameter attention_param = 1001;\n}\n' +
      'message AttentionParameter {\n  optional uint32 mask_h = 1;\n}\n',
  );
  try {
    const net = path.join(dir, 'net.prototxt');
    fs.writeFileSync(
      net,
      'input: "x"\ninput_shape { dim: 1 dim: 4 dim: 8 dim: 8 }\n' +
        'layer { name: "bn" type: "BN" bottom: "x" top: "y" bn_param { momentum: 0.9 } }\n' +
        'layer { name: "a" type: "ReLU" bottom: "y" top: "z" attention_param { mask_h: 3 } }\n',
    );
    // The fork alone does not know the layer's block; the additions alone leave BN to a fork.
    const fork = await run('check', '--schema', 'bundled:pspnet', net);
    assert.match(fork.out, /no field named "attention_param"/);
    const additions = await run('check', '--schema', proto, net);
    assert.match(additions.out, /Choose the PSPNet or Temporal Segment Networks schema .*layer type "BN"/);
    for (const order of [
      ['--schema', 'bundled:pspnet', '--schema', proto],
      ['--schema', proto, '--schema', 'bundled:pspnet'],
    ]) {
      const both = await run('check', ...order, net);
      assert.deepEqual([both.code, both.out], [0, ''], order.join(' '));
    }
    // A typo in the layer's block is still one.
    fs.writeFileSync(net, fs.readFileSync(net, 'utf8').replace('mask_h', 'mask_x'));
    const typo = await run('check', '--schema', 'bundled:pspnet', '--schema', proto, net);
    assert.match(typo.out, /Message type "caffe.AttentionParameter" has no field named "mask_x"/);
    // The same one twice is given once.
    const twice = await run(
      'check',
      '--schema',
      'bundled:pspnet',
      '--schema',
      proto,
      '--schema',
      'bundled:pspnet',
      net,
    );
    assert.equal(twice.code, 1, twice.err);
    const two = await run('check', '--schema', 'bundled:pspnet', '--schema', 'bundled:ssd', net);
    assert.equal(two.code, 2);
    assert.match(two.err, /--schema bundled:pspnet and --schema bundled:ssd are both schemas of nets/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad usage exits 2 with a usage text; --help exits 0', async () => {
  for (const argv of [
    [],
    ['check'],
    ['check', '--format', 'xml', 'ok'],
    ['check', '--nope', 'ok'],
    ['frobnicate'],
  ]) {
    const { code, err } = await run(...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err, /Usage: caffe-prototxt/, argv.join(' '));
  }
  const missing = await run('check', 'no/such/dir');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file or folder: no\/such\/dir/);
  const schema = await run('check', '--schema', 'missing.proto', 'ok');
  assert.equal(schema.code, 2);
  const help = await run('check', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /--format FORMAT/);
  assert.match(help.out, /sarif: SARIF 2\.1\.0/);
});

test('the examples workspace: only the broken file is reported', async () => {
  let out = '';
  const code = await runCli(['check', 'examples'], {
    stdout: (t) => (out += t),
    stderr: () => {},
    cwd: repoRoot,
  });
  assert.equal(code, 1);
  const files = new Set(
    out
      .trim()
      .split('\n')
      .map((l) => l.split(':')[0]),
  );
  assert.deepEqual([...files], [path.join('examples', 'broken', 'broken.prototxt')]);
});
