// The plot-log command: SVG panels and JSON of a real Caffe log, nan/inf in JSON, exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { parseTrainLog } from '../../../../common/training/train-log';
import { repoRoot } from '../../../helpers/paths';
import { runCliIn } from '../../../helpers/run-cli';

const logs = path.join(repoRoot, 'test/fixtures/training/logs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plot-log-cli-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['plot-log', ...argv], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd,
  });
  return { code, out, err };
}

test('-o writes a panel per kind of curve and says what it read', async () => {
  const { code, out, err } = await run(logs, 'tests.log', '-o', path.join(scratch, 'curves.svg'));
  assert.equal(code, 0);
  assert.equal(out, '');
  assert.match(
    err,
    /curves\.svg: 5 displayed iterations \(0 to 8\), 6 tests of 2 test nets, 4 learning rates\n$/,
  );
  const svg = fs.readFileSync(path.join(scratch, 'curves.svg'), 'utf8');
  const titles = [...svg.matchAll(/class="panel-title"[^>]*>([^<]*)</g)].map((m) => m[1]);
  // average_loss: 2 makes the logged loss differ from the loss output, so both are drawn.
  assert.deepEqual(titles, [
    'training loss',
    'train net outputs',
    'test net #0 outputs',
    'test net #1 outputs',
    'learning rate',
  ]);
  for (const name of ['mean[0]', 'mean[3]', 'lr'])
    assert.match(svg, new RegExp(`<title>${name.replace(/[[\]]/g, '\\$&')}</title>`));
});

test('a loss output equal to the logged loss is not drawn twice', async () => {
  const { code, out } = await run(logs, 'step.log');
  assert.equal(code, 0);
  const titles = [...out.matchAll(/class="panel-title"[^>]*>([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(titles, ['training loss', 'learning rate']);
});

test('--smooth draws the moving average over the logged values, drawn faint; the rate as it is', async () => {
  const plain = await run(logs, 'tests.log');
  assert.doesNotMatch(plain.out, /class="raw"/);
  const { code, out } = await run(logs, 'tests.log', '--smooth', '0.6');
  assert.equal(code, 0);
  const series = [...out.matchAll(/<g class="series[^"]*"[^>]*><title>([^<]*)<\/title>\n(<g class="raw")?/g)];
  const raw = series.filter((m) => m[2]).map((m) => m[1]);
  assert.ok(raw.includes('loss') && raw.includes('mean[0]'), raw.join(' '));
  assert.ok(!raw.includes('lr'));
  assert.equal(series.length - raw.length, 1, 'only the rate is drawn as logged');
});

test('a log of several runs: the last plotted, --run N another, --run all every one as one', async () => {
  const glog = (line: string) => `I1202 10:00:00.000000 42 solver.cpp:1] ${line}`;
  const runLines = (name: string, loss: number) => [
    glog('Initializing solver from parameters: '),
    glog(`Solving ${name}`),
    glog(`Iteration 0 (0 iter/s, 0s/1 iters), loss = ${loss}`),
    glog(`Iteration 10 (1 iter/s, 1s/10 iters), loss = ${loss / 2}`),
  ];
  fs.writeFileSync(
    path.join(scratch, 'runs.log'),
    [...runLines('first', 4), ...runLines('second', 2)].join('\n') + '\n',
  );
  const title = (svg: string) => /<text class="title"[^>]*>([^<]*)</.exec(svg)?.[1];
  const last = await run(scratch, 'runs.log', '-o', 'runs.svg');
  assert.equal(last.code, 0);
  assert.equal(
    last.err,
    'runs.svg: 4 displayed iterations (0 to 10), in 2 runs; plotted run 2 of 2 (second) (--run N for another, --run all for all)\n',
  );
  assert.equal(
    title(fs.readFileSync(path.join(scratch, 'runs.svg'), 'utf8')),
    'runs.log: run 2 of 2 (second)',
  );
  const first = await run(scratch, 'runs.log', '--run', '1');
  assert.equal(title(first.out), 'runs.log: run 1 of 2 (first)');
  assert.match(first.out, /<title>loss<\/title>/);
  const all = await run(scratch, 'runs.log', '--run=all');
  assert.equal(title(all.out), 'runs.log');
  const beyond = await run(scratch, 'runs.log', '--run', '3');
  assert.equal(beyond.code, 1);
  assert.equal(beyond.err, 'runs.log: the log holds 2 runs, not 3\n');
});

test('--json is the parsed log; nan and inf become null', async () => {
  const { code, out } = await run(logs, 'tests.log', '--json');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), parseTrainLog(fs.readFileSync(path.join(logs, 'tests.log'), 'utf8')));
  fs.writeFileSync(
    path.join(scratch, 'nan.log'),
    'Iteration 7 (1 iter/s, 1s/1 iters), loss = nan\n    Train net output #0: loss = -inf\nIteration 7, lr = 0.1\n',
  );
  const nan = await run(scratch, 'nan.log', '--json');
  assert.deepEqual(JSON.parse(nan.out), {
    train: [{ iter: 7, loss: null, outputs: { loss: null } }],
    test: [],
    lr: [{ iter: 7, lr: 0.1 }],
    runs: [{ train: 0, test: 0, lr: 0 }],
  });
  // --json with -o: both.
  const both = await run(scratch, 'nan.log', '--json', '-o', 'nan.svg');
  assert.equal(both.code, 0);
  assert.ok(JSON.parse(both.out));
  assert.match(fs.readFileSync(path.join(scratch, 'nan.svg'), 'utf8'), /^<svg /);
});

test('exit 1 for an unreadable file or one without Caffe log lines; exit 2 on bad usage', async () => {
  const missing = await run(scratch, 'absent.log');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^caffe-prototxt plot-log: cannot read absent\.log: ENOENT/);
  fs.writeFileSync(path.join(scratch, 'other.txt'), 'hello\nIteration x\n');
  const other = await run(scratch, 'other.txt');
  assert.equal(other.code, 1);
  assert.equal(other.err, 'other.txt: no training, test or learning-rate lines of a Caffe log found\n');
  for (const argv of [[], ['a', 'b'], ['a', '-o'], ['a', '--json=1'], ['a', '--bogus']]) {
    const { code, err } = await run(scratch, ...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err, /^caffe-prototxt plot-log: .+\n\nUsage: caffe-prototxt plot-log LOG/);
  }
  const help = await run(scratch, '-h');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: caffe-prototxt plot-log LOG/);
});

test('plot-log -: a log piped in (caffe train 2>&1 | caffe-prototxt plot-log -) is read to its end', async () => {
  const text = fs.readFileSync(path.join(logs, 'tests.log'), 'utf8');
  const piped = (stdin: string | Buffer | undefined, ...argv: string[]) =>
    runCliIn(scratch, ['plot-log', ...argv], stdin);
  const json = await piped(text, '-', '--json');
  assert.equal(json.code, 0, json.err);
  assert.deepEqual(JSON.parse(json.out), parseTrainLog(text));
  const svg = await piped(text, '-');
  assert.equal(svg.code, 0, svg.err);
  assert.match(svg.out, /^<svg /);
  assert.match(svg.out, /&lt;stdin&gt;/);
  const empty = await piped('I1204 no training here\n', '-');
  assert.equal(empty.code, 1);
  assert.match(empty.err, /^<stdin>: no training, test or learning-rate lines of a Caffe log found/);
  const binary = await piped(Buffer.from([0x49, 0x00, 0x01]), '-');
  assert.equal(binary.code, 1);
  assert.match(binary.err, /standard input holds a binary file, not a log/);
  const none = await piped(undefined, '-');
  assert.equal(none.code, 2);
  assert.match(none.err, /standard input cannot be read here/);
});
