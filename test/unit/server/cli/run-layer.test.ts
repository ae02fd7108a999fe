import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { parseRunLayerArgs, prettyJson } from '../../../../server/src/cli/commands/run-layer';
import { fixtures, lineOf, repoRoot, SYSTEM_PYTHON } from '../../common/run/helpers';
import { has, needs } from '../../../helpers/resources';

const skip = needs('python');
const NET = path.join('test', 'fixtures', 'layers', 'layers.prototxt');
const TWO_PHASES = path.join('test', 'fixtures', 'layers', 'two-phases.prototxt');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: repoRoot,
  });
  return { code, out, err };
}

const run = (...args: string[]) =>
  cli('run-layer', NET, '--python', SYSTEM_PYTHON, '--pycaffe', 'never', ...args);

test(
  'Euclidean loss: runs, reports the top, timings and bottom diffs, and passes the gradient check',
  skip,
  async () => {
    // `squared` comes from a Python layer, so its shape is given; `label` comes from the Input layer.
    const r = await run('--layer', 'loss', '--shape', '2,3,4,5', '--gradcheck');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /Using \/usr\/bin\/python3/);
    assert.match(r.out, /^layer "loss" \(euclidean_loss\.EuclideanLoss\), phase TRAIN$/m);
    assert.match(
      r.out,
      /^ {2}loss: 1 float32 {2}min \S+ {2}max \S+ {2}mean \S+ {2}std 0 {2}NaN 0 {2}Inf 0$/m,
    );
    assert.match(
      r.out,
      /^timings: setup [\d.e-]+ ms, reshape [\d.e-]+ ms, forward [\d.e-]+ ms, backward [\d.e-]+ ms, gradcheck/m,
    );
    assert.match(r.out, /^bottom diffs:\n {2}squared: 2×3×4×5 float32/m);
    assert.match(r.out, /^gradient check: PASSED \(step 0\.01, threshold 0\.001/m);
    assert.match(
      r.out,
      /^ {2}largest error: bottom\[\d\] \((squared|label)\) at \[\d, \d, \d, \d\]: error /m,
    );
  },
);

test('the broken backward fails the gradient check with exit 1 and says where', skip, async () => {
  const r = await run('--layer', 'square', '--shape', '2,3,4,5', '--gradcheck');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^gradient check: FAILED/m);
  assert.match(r.out, /largest error: bottom\[0\] \(shifted\) at \[\d, \d, \d, \d\]: error 0\.\d+/);
  // Without --gradcheck the same layer runs fine.
  assert.equal((await run('--layer', 'square', '--shape', '2,3,4,5')).code, 0);
});

test('a layer raising in setup: exit 1 with the file and line of the raise', skip, async () => {
  const file = path.join(fixtures, 'setup_raises.py');
  const r = await run('--layer', 'fails');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^error in setup: ValueError: bad param_str of length 1$/m);
  assert.ok(r.out.includes(`at ${file}:${lineOf(file, 'SETUP_RAISES_LINE')} in setup`), r.out);
});

test('shapes known from the net need no --shape; --json prints shapes as plain lists', skip, async () => {
  const r = await run('--layer', 'scale', '--json');
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /"shape": \[2, 3, 4, 5\]/);
  const report = JSON.parse(r.out) as {
    passed: boolean;
    bottomShapes: number[][];
    searchPaths: string[];
    result: { tops: { shape: number[] }[]; timings: Record<string, number> };
  };
  assert.equal(report.passed, true);
  assert.deepEqual(report.bottomShapes, [[2, 3, 4, 5]]);
  assert.deepEqual(report.searchPaths, [fixtures]);
  assert.deepEqual(report.result.tops[0]?.shape, [2, 3, 4, 5]);
  assert.equal(typeof report.result.timings.forward, 'number');
});

test('a layer that never finishes is stopped at the timeout: exit 1', skip, async () => {
  const r = await run('--layer', 'spin', '--timeout', '1');
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /error in timeout: Timeout: The layer did not finish within 1 s/);
});

test('bad usage exits 2 with a precise message', async () => {
  const cases: [string[], RegExp][] = [
    [[NET], /no --layer given/],
    [['--layer', 'loss'], /no net file given/],
    [[NET, '--layer', 'nope'], /no layer named "nope"; the Python layers are "scale", "shift"/],
    [[NET, '--layer', 'data'], /layer "data" has type Input, not Python/],
    [[NET, '--layer', 'loss'], /the shape of bottom #0 is unknown/],
    [
      [NET, '--layer', 'loss', '--shape', '1', '--shape', '2', '--shape', '3'],
      /3 shapes given; the layer has 2 bottoms, 1 of unknown shape/,
    ],
    [[NET, '--layer', 'loss', '--shape', '2,0'], /--shape: 0 in "2,0" is not a positive dimension/],
    [[NET, '--layer', 'loss', '--shape', '2,a'], /--shape: "a" in "2,a" is not a positive whole number/],
    [[NET, '--layer', 'scale', '--phase', 'VAL'], /--phase must be TRAIN or TEST, not VAL/],
    [[NET, '--layer', 'scale', '--timeout', '0'], /--timeout needs a positive number/],
    [[NET, '--layer', 'scale', '--frobnicate'], /unknown option --frobnicate/],
    [['missing.prototxt', '--layer', 'scale'], /cannot read missing\.prototxt/],
    // A name used once per phase: the phase of each, and the other one named when it may help.
    [
      [TWO_PHASES, '--layer', 'proposal'],
      /layer "proposal" in TRAIN \(bottoms data; known shapes \?\): .*; the net has another "proposal" layer, in TEST: --phase TEST runs that one/,
    ],
    [
      [TWO_PHASES, '--layer', 'target', '--phase', 'TEST'],
      /layer "target" is not in the TEST phase \(its include\/exclude rules leave it out\): run it with --phase TRAIN/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli('run-layer', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.out, '');
  }
});

test('an unknown bottom is traced to the layer its shape is lost at, with the one option that helps', async () => {
  const r = await cli('run-layer', NET, '--layer', 'loss');
  assert.equal(r.code, 2, r.err);
  // `squared` comes from the Python layer "square", whose input comes from the Python layer "shift".
  assert.match(
    r.err,
    /^ {2}bottom #0 squared: unknown from the Python layer "\w+" \(\w+\.\w+\) on: its tops are known once it runs$/m,
  );
  assert.match(r.err, /Give each unknown bottom its shape with --shape, in order/);
  // Not the whole usage: that is for mistakes in the arguments themselves.
  assert.doesNotMatch(r.err, /^Usage:/m);
  const given = await cli(
    'run-layer',
    NET,
    '--layer',
    'loss',
    '--shape',
    '1',
    '--shape',
    '2',
    '--shape',
    '3',
  );
  assert.match(given.err, /^Usage:/m);
});

test('an interpreter that cannot be started is bad usage (exit 2), named in the message', async () => {
  const r = await cli('run-layer', NET, '--layer', 'scale', '--python', '/nonexistent/python3');
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /configured Python interpreter cannot run layers: \/nonexistent\/python3: no such file/,
  );
});

test('--help prints the usage; argument forms', () => {
  assert.equal(parseRunLayerArgs(['-h']), 'help');
  const parsed = parseRunLayerArgs([
    'n.prototxt',
    '--layer=x',
    '--shape',
    '2,3; 4',
    '--shape=5x6',
    '--phase',
    'test',
  ]);
  assert.ok(typeof parsed === 'object');
  assert.deepEqual(parsed.shapes, [[2, 3], [4], [5, 6]]);
  assert.equal(parsed.phase, 'TEST');
  assert.equal(parsed.layer, 'x');
});

test('prettyJson keeps numeric lists on one line and everything else indented', () => {
  const text = prettyJson({ a: [1, 2], b: [{ c: null }], d: [], e: undefined });
  assert.equal(text, '{\n  "a": [1, 2],\n  "b": [\n    {\n      "c": null\n    }\n  ],\n  "d": []\n}');
  assert.deepEqual(JSON.parse(text), { a: [1, 2], b: [{ c: null }], d: [] });
});

test('--fill zeros gives zero bottoms (a zero Euclidean loss); bad --fill values are usage errors', async (t) => {
  assert.equal(
    parseRunLayerArgs(['n.prototxt', '--layer', 'l', '--fill', 'ones']),
    '--fill must be random, zeros or a .npy file, not ones',
  );
  const parsed = parseRunLayerArgs(['n.prototxt', '--layer', 'l', '--fill', 'zeros', '--fill=a.npy']);
  assert.ok(typeof parsed === 'object');
  assert.deepEqual(parsed.fills, ['zeros', { npy: 'a.npy' }]);
  if (!has(t, 'python')) return;
  const tooMany = await run(
    '--layer',
    'loss',
    '--shape',
    '2,3,4,5',
    '--fill',
    'zeros',
    '--fill',
    'zeros',
    '--fill',
    'zeros',
  );
  assert.equal(tooMany.code, 2, tooMany.out + tooMany.err);
  assert.match(tooMany.err, /--fill was given 3 times for 2 bottoms/);
  const r = await run('--layer', 'loss', '--shape', '2,3,4,5', '--fill', 'zeros', '--json');
  assert.equal(r.code, 0, r.out + r.err);
  const result = JSON.parse(r.out) as { result: { tops: { min: number; max: number }[] } };
  assert.deepEqual([result.result.tops[0].min, result.result.tops[0].max], [0, 0]);
});

test(
  'given a solver, run-layer runs the layer of the net it trains, from its file or its net_param',
  skip,
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-layer-solver-'));
    try {
      const layers = path.join(repoRoot, 'test', 'fixtures', 'layers');
      const netText = fs.readFileSync(path.join(layers, 'layers.prototxt'), 'utf8');
      fs.writeFileSync(
        path.join(dir, 'solver.prototxt'),
        `net: "${path.join(layers, 'layers.prototxt')}"\nbase_lr: 0.1\n`,
      );
      fs.writeFileSync(path.join(dir, 'embedded.prototxt'), `base_lr: 0.1\nnet_param {\n${netText}}\n`);
      fs.writeFileSync(path.join(dir, 'nonet.prototxt'), 'base_lr: 0.1\n');
      const args = ['--layer', 'scale', '--python', SYSTEM_PYTHON, '--pycaffe', 'never'];
      const viaFile = await cli('run-layer', path.join(dir, 'solver.prototxt'), ...args);
      assert.equal(viaFile.code, 0, viaFile.out + viaFile.err);
      assert.match(
        viaFile.err,
        /solver\.prototxt: the layer of the TRAIN net of the solver \(net\), found in/,
      );
      assert.match(viaFile.out, /^layer "scale" \(scale_layer\.ChannelScale\), phase TRAIN$/m);
      // In net_param the module is looked for from the solver's folder: here it is given.
      const embedded = await cli(
        'run-layer',
        path.join(dir, 'embedded.prototxt'),
        ...args,
        '--python-path',
        layers,
      );
      assert.equal(embedded.code, 0, embedded.out + embedded.err);
      assert.match(embedded.err, /the layer of the TRAIN net of the solver \(net_param\)/);
      assert.match(embedded.out, /^ {2}scaled: 2×3×4×5 float32/m);
      const nonet = await cli('run-layer', path.join(dir, 'nonet.prototxt'), ...args);
      assert.equal(nonet.code, 1);
      assert.match(nonet.err, /nonet\.prototxt: the solver names no train net: no layer to run/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
