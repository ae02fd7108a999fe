// The lr command: the table, JSON and SVG of a solver's schedule, the problems it prints, exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, usage } from '../../../../server/src/cli/commands';
import type { LrJson } from '../../../../server/src/cli/commands/lr';
import { repoRoot } from '../../../helpers/paths';
import { runCliIn } from '../../../helpers/run-cli';

const fixtures = path.join(repoRoot, 'test/fixtures/training');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-cli-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['lr', ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd });
  return { code, out, err };
}

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(scratch, name), text);
  return name;
}

test('the table: the rate at 0 and at each step; the repeated stepvalue warned about', async () => {
  const { code, out, err } = await run(fixtures, 'multistep.prototxt');
  assert.equal(code, 0);
  assert.equal(
    out,
    [
      'multistep.prototxt: lr_policy "multistep", base_lr 0.0137, gamma 0.63, stepvalue 3, 3, 5, 9, max_iter 12',
      'iteration  lr',
      '0          0.0137',
      '3          0.008631',
      '4          0.00543753',
      '5          0.0034256438',
      '9          0.0021581557',
      '',
    ].join('\n'),
  );
  assert.match(
    err,
    /^multistep\.prototxt:14:12: warning: stepvalue 3 is not above the one before it \(3\).*\[lr-schedule\]\n$/,
  );
});

test('the table of a smooth policy samples every tenth; --at gives those iterations instead', async () => {
  const smooth = await run(fixtures, 'poly.prototxt');
  assert.equal(smooth.out.trimEnd().split('\n').length, 2 + 11);
  assert.match(smooth.out, /\n12 {9}0\n$/);
  const at = await run(fixtures, 'step.prototxt', '--at', '3', '--at=4');
  assert.equal(
    at.out.split('\n').slice(1).join('\n'),
    'iteration  lr\n3          0.0137\n4          0.008631\n',
  );
});

test('--json: policy, points on both sides of each step, one "at" per --at, null where no number', async () => {
  const { code, out } = await run(fixtures, 'poly.prototxt', '--json', '--at', '6', '--at', '13');
  assert.equal(code, 0);
  const json = JSON.parse(out) as LrJson;
  assert.equal(json.policy, 'poly');
  assert.deepEqual(
    json.points.map((p) => p.iter),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  );
  assert.equal(json.points[12].lr, 0);
  // 0.0137 * (1 - 6/12)^0.9 = 0.0137 * 0.535886731 = 0.00734164821
  assert.ok(Math.abs((json.at[0].lr ?? 0) - 0.00734164821) < 1e-9);
  assert.deepEqual(json.at[1], { iter: 13, lr: null });

  const long = write(
    'long.prototxt',
    'base_lr: 0.1\nlr_policy: "step"\ngamma: 0.1\nstepsize: 100000\nmax_iter: 450000\n',
  );
  const many = JSON.parse((await run(scratch, long, '--json')).out) as LrJson;
  assert.ok(many.points.length <= 1000 && many.points.length > 900);
  const at = new Map(many.points.map((p) => [p.iter, p.lr]));
  for (const step of [100000, 200000, 300000, 400000]) {
    assert.ok(at.has(step - 1) && at.has(step), `both sides of ${step}`);
    assert.ok((at.get(step) ?? 1) < (at.get(step - 1) ?? 0) / 5);
  }
  assert.deepEqual(JSON.parse((await run(scratch, long, '--json', '--at', '0')).out).at, [
    { iter: 0, lr: 0.1 },
  ]);
});

test('-o draws the schedule from 0 to max_iter (or --until) as SVG', async () => {
  const { code, out, err } = await run(fixtures, 'step.prototxt', '-o', path.join(scratch, 'lr.svg'));
  assert.equal(code, 0);
  assert.equal(out, '');
  assert.match(err, /lr\.svg: lr_policy "step" over iterations 0 to 12 \(13 points\)\n$/);
  const svg = fs.readFileSync(path.join(scratch, 'lr.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="line-plot"/);
  assert.match(
    svg,
    />step\.prototxt: lr_policy &quot;step&quot;, base_lr 0\.0137, gamma 0\.63, stepsize 4, max_iter 12<\/text>/,
  );
  const until = await run(
    fixtures,
    'step.prototxt',
    '-o',
    path.join(scratch, 'lr2.svg'),
    '--until',
    '40',
    '--json',
  );
  assert.match(until.err, /over iterations 0 to 40 \(41 points\)/);
  assert.equal((JSON.parse(until.out) as LrJson).points.length, 41);
});

test('without max_iter: no range (exit 1 with -o), the table has iteration 0 and --at still answers', async () => {
  const file = write(
    'nomax.prototxt',
    'net: "n.prototxt"\nbase_lr: 0.1\nlr_policy: "step"\ngamma: 0.1\nstepsize: 10\n',
  );
  const table = await run(scratch, file, '--at', '25');
  assert.equal(table.code, 0);
  assert.match(table.err, /max_iter is not set, so there is no range to sample; give --until N/);
  assert.match(table.out, /\n25 {9}0\.001\n$/);
  assert.equal((await run(scratch, file, '-o', 'x.svg')).code, 1);
  assert.equal(fs.existsSync(path.join(scratch, 'x.svg')), false);
  assert.equal((await run(scratch, file, '-o', 'x.svg', '--until', '30')).code, 0);
});

test('exit 1: unreadable, not a solver, a schedule Caffe stops on, syntax errors', async () => {
  const missing = await run(scratch, 'absent.prototxt');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^caffe-prototxt lr: cannot read absent\.prototxt: ENOENT/);
  const net = await run(fixtures, 'net.prototxt');
  assert.equal(net.code, 1);
  assert.match(net.err, /net\.prototxt: holds a caffe\.NetParameter, not a solver/);
  const noPolicy = await run(scratch, write('np.prototxt', 'net: "n.prototxt"\nbase_lr: 0.1\n'));
  assert.equal(noPolicy.code, 1);
  assert.match(noPolicy.err, /^np\.prototxt:2:1: error: No lr_policy: Caffe stops at the first update/);
  const quiet = await run(scratch, write('q.prototxt', 'base_lr: 0.1\nmomentum: 0.9\n'));
  assert.equal(quiet.code, 1);
  assert.equal(quiet.err, 'q.prototxt: no lr_policy is set\n');
  const step = await run(scratch, write('s.prototxt', 'base_lr: 0.1\nlr_policy: "step"\ngamma: 0.1\n'));
  assert.equal(step.code, 1);
  assert.match(step.err, /s\.prototxt:2:1: error: lr_policy "step" needs stepsize > 0/);
  assert.equal(step.out, '');
  const wrongKind = await run(scratch, write('w.prototxt', 'base_lr: "x"\nlr_policy: "fixed"\n'));
  assert.equal(wrongKind.code, 1);
  assert.match(wrongKind.err, /w\.prototxt: cannot read base_lr \(values of the wrong kind\)/);
  const broken = await run(
    scratch,
    write('b.prototxt', 'base_lr: 0.1\nlr_policy: "fixed"\nmax_iter: 10\n}\n'),
  );
  assert.equal(broken.code, 1);
  assert.match(broken.err, /b\.prototxt:4:1: error: .*\[syntax\]/);
  assert.match(broken.out, /^b\.prototxt: lr_policy "fixed", base_lr 0\.1, max_iter 10\n/);
});

test('exit 2 on bad usage; --help; the command table lists lr and plot-log', async () => {
  for (const argv of [
    [],
    ['a', 'b'],
    ['a', '--at', '-1'],
    ['a', '--at', 'x'],
    ['a', '--until'],
    ['a', '--bogus'],
    ['a', '-o'],
  ]) {
    const { code, err } = await run(scratch, ...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err, /^caffe-prototxt lr: .+\n\nUsage: caffe-prototxt lr /);
  }
  const help = await run(scratch, '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: caffe-prototxt lr SOLVER\.prototxt/);
  assert.match(usage(), /\n {2}lr +print or plot the learning rate/);
  assert.match(usage(), /\n {2}plot-log +plot the loss, test outputs and learning rate/);
});

test('lr -: the solver on standard input, shown as <stdin>', async () => {
  const text = fs.readFileSync(path.join(fixtures, 'multistep.prototxt'), 'utf8');
  const piped = (stdin: string | Buffer, ...argv: string[]) => runCliIn(scratch, ['lr', ...argv], stdin);
  const fromFile = await run(fixtures, 'multistep.prototxt');
  const table = await piped(text, '-');
  assert.equal(table.code, 0, table.err);
  assert.equal(table.out, fromFile.out.replace('multistep.prototxt:', '<stdin>:'));
  assert.equal(table.err, fromFile.err.replaceAll('multistep.prototxt:', '<stdin>:'));
  const broken = await piped('base_lr: 0.1\nlr_policy: "step"\nstepsize: \n', '-');
  assert.equal(broken.code, 1);
  assert.match(broken.err, /^<stdin>:4:1: error: /m);
  const binary = await piped(Buffer.from([0x0a, 0x00]), '-');
  assert.equal(binary.code, 1);
  assert.match(binary.err, /standard input holds a binary file, not a prototxt/);
});

test('an NVIDIA Caffe solver: the warm-up from rampup_lr and the floor min_lr are in the rates', async () => {
  const name = write(
    'nvidia.prototxt',
    'net: "n.prototxt"\nbase_lr: 0.1\nlr_policy: "poly"\npower: 2\nmax_iter: 1000\nrampup_interval: 100\nrampup_lr: 0.001\nmin_lr: 0.0001\n',
  );
  const { code, out } = await run(scratch, name, '--at', '0', '--at', '50', '--at', '100', '--at', '1000');
  assert.equal(code, 0);
  assert.equal(
    out,
    [
      'nvidia.prototxt: lr_policy "poly", base_lr 0.1, power 2, max_iter 1000, rampup_interval 100 from rampup_lr 0.001, min_lr 0.0001',
      'iteration  lr',
      '0          0.001',
      '50         0.02575',
      '100        0.081019',
      '1000       0.0001',
      '',
    ].join('\n'),
  );
});
