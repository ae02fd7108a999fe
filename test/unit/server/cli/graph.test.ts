import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, usage } from '../../../../server/src/cli/commands';
import { graphCommand, parseGraphArgs, type GraphCommandIo } from '../../../../server/src/cli/commands/graph';
import { CONV_BLOCK } from '../features/graph/graph-fixtures';

function memoryIo(files: Record<string, string>): GraphCommandIo & { out: string; err: string } {
  const io = {
    // A folder that does not exist: no caffe.proto near the files, no solver's net on disk.
    cwd: path.join(os.tmpdir(), 'graph-test-no-such-folder'),
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readFile: async (f: string) => {
      if (!(f in files)) throw new Error('ENOENT: no such file');
      return files[f];
    },
    writeFile: async (f: string, t: string) => void (files[f] = t),
  };
  return io;
}

test('graph -o writes a standalone SVG and reports the node count', async () => {
  const files: Record<string, string> = { 'net.prototxt': CONV_BLOCK };
  const io = memoryIo(files);
  assert.equal(await graphCommand(['net.prototxt', '-o', 'net.svg', '--phase', 'train'], io), 0);
  assert.match(files['net.svg'], /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(files['net.svg'], /net.prototxt · TRAIN/);
  assert.match(io.err, /net.svg: 3 nodes, 2 edges \(TRAIN\)/);
  assert.equal(io.out, '');
});

test('graph of a YAML file named .prototxt draws nothing and says what the file is', async () => {
  const files: Record<string, string> = { 'config.prototxt': 'TRAIN:\n  SCALES: [600]\nTEST:\n  NMS: 0.3\n' };
  const io = memoryIo(files);
  assert.equal(await graphCommand(['config.prototxt', '-o', 'config.svg'], io), 1);
  assert.equal(files['config.svg'], undefined);
  assert.match(io.err, /^config\.prototxt:1:1: error: This file is YAML, .* \[not-prototxt\]\n$/);
});

test('graph without -o prints the SVG; problems give exit codes 1 and 2', async () => {
  const io = memoryIo({ 'n.prototxt': 'layer { name: "x" type: "ReLU" bottom: "a" top: "x"' });
  assert.equal(await graphCommand(['n.prototxt'], io), 0);
  assert.match(io.out, /<svg /);
  assert.match(io.err, /1 syntax error/);
  assert.equal(await graphCommand(['absent.prototxt'], io), 1);
  assert.match(io.err, /cannot read absent.prototxt: ENOENT/);
  assert.equal(await graphCommand(['n.prototxt', '--phase', 'DEPLOY'], io), 2);
  assert.match(io.err, /--phase must be TRAIN or TEST, not DEPLOY/);
});

test('argument parsing', () => {
  assert.deepEqual(parseGraphArgs(['a', '-o', 'b.svg', '--schema', 'ssd/caffe.proto']), {
    input: 'a',
    output: 'b.svg',
    schema: 'ssd/caffe.proto',
  });
  assert.equal(parseGraphArgs(['a', '--schema']), '--schema needs a file');
  assert.deepEqual(parseGraphArgs(['a', '--output=b.svg', '--phase=TEST']), {
    input: 'a',
    output: 'b.svg',
    phase: 'TEST',
  });
  assert.equal(parseGraphArgs(['--help']), 'help');
  assert.equal(parseGraphArgs([]), 'no net file given');
  assert.equal(parseGraphArgs(['a', 'b']), 'one net file at a time (got a and b)');
  assert.equal(parseGraphArgs(['a', '-o']), '-o needs a file name');
  assert.equal(parseGraphArgs(['a', '--bogus']), 'unknown option --bogus');
  assert.deepEqual(parseGraphArgs(['a', '--around', 'res4b8']), {
    input: 'a',
    output: undefined,
    around: 'res4b8',
  });
  assert.deepEqual(parseGraphArgs(['a', '--around=conv1']), {
    input: 'a',
    output: undefined,
    around: 'conv1',
  });
  assert.equal(parseGraphArgs(['a', '--around']), '--around needs a layer name');
});

test('graph --around names a layer; a name no layer has is reported and the net drawn from its start', async () => {
  const io = memoryIo({ 'net.prototxt': CONV_BLOCK });
  assert.equal(await graphCommand(['net.prototxt', '--around', 'conv1'], io), 0);
  assert.doesNotMatch(io.err, /No layer is named/);
  assert.equal(await graphCommand(['net.prototxt', '--around', 'conv9'], io), 0);
  assert.match(io.err, /net.prototxt: No layer is named conv9\./);
  assert.match(io.out, /<svg /);
});

test('the CLI table runs graph with paths relative to the working folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-graph-'));
  try {
    fs.writeFileSync(path.join(dir, 'net.prototxt'), CONV_BLOCK);
    let err = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (err += t), cwd: dir };
    assert.equal(await runCli(['graph', 'net.prototxt', '-o', 'out.svg'], io), 0, err);
    assert.match(fs.readFileSync(path.join(dir, 'out.svg'), 'utf8'), /<svg /);
    assert.match(usage(), /graph +draw the network graph/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("graph's caption says the counts are unknown when no layer's shapes are, instead of 0", async () => {
  const net = `layer { name: "in" type: "Python" top: "data" python_param { module: "m" layer: "L" } }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 } }
`;
  const files: Record<string, string> = { 'train.prototxt': net };
  assert.equal(await graphCommand(['train.prototxt', '-o', 'train.svg'], memoryIo(files)), 0);
  assert.match(files['train.svg'], />train\.prototxt · TEST · params unknown: 2 layers without shapes</);
  assert.doesNotMatch(files['train.svg'], /0 params/);
});

/** A Caffe checkout whose caffe.proto gives pooling a default stride of 2 (BVLC's is 1). */
const STRIDE_TWO_PROTO = `syntax = "proto2";
package caffe;
message BlobShape { repeated int64 dim = 1 [packed = true]; }
message NetParameter {
  optional string name = 1;
  repeated string input = 3;
  repeated BlobShape input_shape = 8;
  repeated LayerParameter layer = 100;
}
message LayerParameter {
  optional string name = 1;
  optional string type = 2;
  repeated string bottom = 3;
  repeated string top = 4;
  optional PoolingParameter pooling_param = 121;
}
message PoolingParameter {
  enum PoolMethod { MAX = 0; AVE = 1; STOCHASTIC = 2; }
  optional PoolMethod pool = 1 [default = MAX];
  optional uint32 kernel_size = 2;
  optional uint32 stride = 3 [default = 2];
}
`;
const POOL_NET = `name: "n"
input: "data"
input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }
layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" pooling_param { pool: MAX kernel_size: 2 } }
`;

function withFolder(files: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-graph-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return body(dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const run = { out: '', err: '' };
  const io = { stdout: (t: string) => void (run.out += t), stderr: (t: string) => void (run.err += t), cwd };
  const code = await runCli(args, io);
  return { code, ...run };
}

test("graph and shapes read a net with its Caffe checkout's caffe.proto from anywhere in the checkout, or with --schema", () =>
  withFolder(
    {
      'fork/.git/HEAD': 'ref: refs/heads/master\n',
      'fork/src/caffe/proto/caffe.proto': STRIDE_TWO_PROTO,
      'fork/models/pool/net.prototxt': POOL_NET,
      'elsewhere/net.prototxt': POOL_NET,
    },
    async (dir) => {
      const fork = path.join(dir, 'fork');
      for (const [cwd, file] of [
        [fork, 'models/pool/net.prototxt'],
        [path.join(fork, 'models'), 'pool/net.prototxt'],
        [dir, 'fork/models/pool/net.prototxt'],
      ]) {
        const graph = await cli(['graph', file], cwd);
        assert.equal(graph.code, 0, graph.err);
        assert.match(graph.out, /1×3×16×16/, `graph from ${cwd}`);
        const shapes = await cli(['shapes', file], cwd);
        assert.equal(shapes.code, 0, shapes.err);
        assert.match(shapes.out, /pool +Pooling +pool 1×3×16×16/, `shapes from ${cwd}`);
      }
      // In a workspace without the checkout: BVLC's default stride, unless --schema names the proto.
      const elsewhere = path.join(dir, 'elsewhere');
      const bundled = await cli(['graph', 'net.prototxt'], elsewhere);
      assert.match(bundled.out, /1×3×31×31/);
      const given = await cli(
        ['graph', 'net.prototxt', '--schema', '../fork/src/caffe/proto/caffe.proto'],
        elsewhere,
      );
      assert.match(given.out, /1×3×16×16/);
      const missing = await cli(['graph', 'net.prototxt', '--schema', 'no/caffe.proto'], elsewhere);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /cannot use --schema no\/caffe.proto/);
    },
  ));

test('graph of a solver draws the net it trains, or with --phase TEST the one it tests', () =>
  withFolder(
    {
      'solver.prototxt':
        'net: "train_val.prototxt"\ntest_iter: 10\ntest_interval: 50\nbase_lr: 0.01\nmax_iter: 100\n',
      'train_val.prototxt': `${CONV_BLOCK}layer { name: "loss" type: "SoftmaxWithLoss" bottom: "conv1" bottom: "label" top: "loss" include { phase: TRAIN } }\n`,
      'embedded.prototxt': `base_lr: 0.01\nnet_param {\n${CONV_BLOCK}}\n`,
      'nonet.prototxt': 'base_lr: 0.01\nmax_iter: 100\n',
      'labels.prototxt': 'item { name: "none" label: 0 display_name: "background" }\n',
    },
    async (dir) => {
      const train = await cli(['graph', 'solver.prototxt', '-o', 'train.svg'], dir);
      assert.equal(train.code, 0, train.err);
      assert.match(train.err, /solver\.prototxt: graph of the TRAIN net of the solver \(net\), found in/);
      assert.match(train.err, /train\.svg: \d+ nodes, \d+ edges \(TRAIN\)/);
      const trainSvg = fs.readFileSync(path.join(dir, 'train.svg'), 'utf8');
      assert.match(trainSvg, /train_val\.prototxt · TRAIN/);
      assert.match(trainSvg, />loss</);
      const testPhase = await cli(['graph', 'solver.prototxt', '--phase', 'TEST'], dir);
      assert.equal(testPhase.code, 0, testPhase.err);
      assert.match(testPhase.err, /graph of the TEST net of the solver \(net\)/);
      assert.match(testPhase.out, /train_val\.prototxt · TEST/);
      assert.doesNotMatch(testPhase.out, />loss</);

      const embedded = await cli(['graph', 'embedded.prototxt'], dir);
      assert.equal(embedded.code, 0, embedded.err);
      assert.match(embedded.err, /graph of the TRAIN net of the solver \(net_param\)/);
      assert.match(embedded.out, />conv1</);

      const nonet = await cli(['graph', 'nonet.prototxt'], dir);
      assert.equal(nonet.code, 1);
      assert.match(nonet.err, /nonet\.prototxt: the solver names no train net: nothing to draw/);
      const labels = await cli(['graph', 'labels.prototxt'], dir);
      assert.equal(labels.code, 1);
      assert.match(labels.err, /labels\.prototxt: holds a caffe\.LabelMap, not a net: nothing to draw/);
    },
  ));
