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
    phase: 'TEST',
    around: 'res4b8',
  });
  assert.deepEqual(parseGraphArgs(['a', '--around=conv1']), {
    input: 'a',
    output: undefined,
    phase: 'TEST',
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
