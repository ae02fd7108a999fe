// `shapes -` and `graph -`: the net (or solver) on standard input, read as <stdin> or as the file
// --stdin-name names (its folder finds a solver's net file and the caffe.proto of its checkout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ShapesJson } from '../../../../server/src/cli/commands/shapes';
import { repoRoot } from '../../../helpers/paths';
import { tempDir } from '../../../helpers/temp-dir';
import { runCliIn } from '../../../helpers/run-cli';

const run = (cwd: string, stdin: string | Buffer | undefined, ...argv: string[]) =>
  runCliIn(cwd, argv, stdin);

const NET = `name: "piped"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 4 kernel_size: 3 } }
`;

/** A workspace with a solver whose net file sits beside it; the solver's unsaved text names another. */
function solverWorkspace(): string {
  const ws = tempDir('net-stdin-ws-');
  fs.mkdirSync(path.join(ws, 'models'));
  fs.writeFileSync(path.join(ws, 'models', 'train.prototxt'), NET);
  fs.writeFileSync(
    path.join(ws, 'models', 'wide.prototxt'),
    NET.replace('num_output: 4', 'num_output: 16').replace('"conv"', '"wide"'),
  );
  fs.writeFileSync(path.join(ws, 'models', 'solver.prototxt'), 'net: "train.prototxt"\nbase_lr: 0.1\n');
  return ws;
}

test('shapes -: the net on standard input, shown as <stdin>, as a table and as JSON', async () => {
  const cwd = tempDir('net-stdin-shapes-');
  const table = await run(cwd, NET, 'shapes', '-');
  assert.equal(table.code, 0, table.err);
  assert.equal(table.err, '');
  assert.match(table.out, /^<stdin> \(TEST\): 2 layers\n/);
  assert.match(table.out, /\nconv +Convolution +conv 2×4×6×6 +112 +7,776 /);
  const json = await run(cwd, NET, 'shapes', '--json', '-');
  assert.equal(json.code, 0, json.err);
  const parsed = JSON.parse(json.out) as ShapesJson;
  assert.deepEqual(parsed.layers.find((l) => l.name === 'conv')?.tops[0].shape, [2, 4, 6, 6]);
  // Problems are placed in the text read, under the name it is shown by.
  const broken = await run(
    cwd,
    `${NET}layer { name: "relu" type: "ReLU" bottom: "nothing" top: "relu" }\n`,
    'shapes',
    '-',
  );
  assert.match(broken.err, /^<stdin>:5:\d+: /m);
});

test('--stdin-name: a solver on standard input builds the net file beside the file it stands for', async () => {
  const ws = solverWorkspace();
  // The solver as an editor holds it unsaved: it names wide.prototxt, the one on disk train.prototxt.
  const unsaved = 'net: "wide.prototxt"\nbase_lr: 0.1\n';
  const shapes = await run(ws, unsaved, 'shapes', '--stdin-name', 'models/solver.prototxt', '-');
  assert.equal(shapes.code, 0, shapes.err);
  assert.match(
    shapes.err,
    /^models\/solver\.prototxt: shapes of the TRAIN net of the solver \(net\), found in/m,
  );
  assert.match(shapes.out, /^models\/wide\.prototxt \(TRAIN\): 2 layers/);
  assert.match(shapes.out, /\nwide +Convolution +conv 2×16×6×6 /);
  assert.equal(shapes.reads, 1);
  const graph = await run(ws, unsaved, 'graph', '--stdin-name=models/solver.prototxt', '-');
  assert.equal(graph.code, 0, graph.err);
  assert.match(graph.err, /^models\/solver\.prototxt: graph of the TRAIN net of the solver \(net\)/m);
  assert.match(graph.out, /wide\.prototxt · TRAIN/);
  assert.match(graph.out, />wide</);
  // Unnamed, the text stands for a file in the working folder, where no wide.prototxt is.
  const unnamed = await run(ws, unsaved, 'shapes', '-');
  assert.equal(unnamed.code, 1);
  assert.match(unnamed.err, /^<stdin>: the net "wide\.prototxt" was found neither beside the solver/m);
});

test('graph -: the SVG of the net on standard input, captioned with the name it is shown by', async () => {
  const cwd = tempDir('net-stdin-graph-');
  const plain = await run(cwd, NET, 'graph', '-');
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.out, /^<svg /);
  assert.match(plain.out, /&lt;stdin&gt; · TEST/);
  const named = await run(
    cwd,
    NET,
    'graph',
    '--phase',
    'TRAIN',
    '--stdin-name',
    'nets/mine.prototxt',
    '-',
    '-o',
    'out.svg',
  );
  assert.equal(named.code, 0, named.err);
  assert.match(named.err, /^out\.svg: 2 nodes, 1 edges \(TRAIN\)/m);
  assert.match(fs.readFileSync(path.join(cwd, 'out.svg'), 'utf8'), /mine\.prototxt · TRAIN/);
});

test('standard input for shapes and graph: bad usage exits 2, a binary input 1, before anything is read', async () => {
  const cwd = tempDir('net-stdin-usage-');
  for (const command of ['shapes', 'graph']) {
    const nameOnly = await run(cwd, NET, command, '--stdin-name', 'a.prototxt', 'b.prototxt');
    assert.equal(nameOnly.code, 2, command);
    assert.match(
      nameOnly.err,
      /--stdin-name names what standard input stands for: give - as the (NET|net file)/,
    );
    const python = await run(cwd, NET, command, '--stdin-name', 'layer.py', '-');
    assert.equal(python.code, 2, command);
    assert.match(python.err, /cannot name a Python file/);
    const empty = await run(cwd, NET, command, '--stdin-name', '-');
    assert.equal(empty.code, 2, command);
    assert.equal(nameOnly.reads + python.reads, 0);
    const none = await run(cwd, undefined, command, '-');
    assert.equal(none.code, 2, command);
    assert.match(none.err, /standard input cannot be read here/);
    const binary = await run(cwd, Buffer.from([0x0a, 0x00, 0x01]), command, '-');
    assert.equal(binary.code, 1, command);
    assert.match(binary.err, /standard input holds a binary file, not a prototxt/);
    assert.equal(binary.out, '');
  }
});

test('the installed command reads a net piped to shapes -', () => {
  const cwd = tempDir('net-stdin-process-');
  const cli = path.join(repoRoot, 'bin', 'caffe-prototxt.js');
  const result = spawnSync(process.execPath, [cli, 'shapes', '-'], { cwd, input: NET, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^<stdin> \(TEST\): 2 layers/);
});

test('a solver on standard input with -o -: the net file is drawn to standard output', async () => {
  const ws = solverWorkspace();
  const graph = await run(
    ws,
    'net: "wide.prototxt"\n',
    'graph',
    '--stdin-name',
    'models/solver.prototxt',
    '-',
    '-o',
    '-',
  );
  assert.equal(graph.code, 0, graph.err);
  assert.match(graph.out, /^<svg [^]*>wide</);
  assert.match(graph.out, /wide\.prototxt · TRAIN/);
});
