// Input shapes the file cannot say: --input-shape, the `# input-shape:` comment line, a deploy net
// beside the file, and force_color / force_gray on an encoded data layer.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../server/src/analysis/shapes';
import { parseInputShape } from '../../../../server/src/analysis/shapes/input-shapes';
import { runCli } from '../../../../server/src/cli/commands';
import { parseShapesArgs, type ShapesJson } from '../../../../server/src/cli/commands/shapes';
import { parse } from '../../../../server/src/parser/parse';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shapes-inputs-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['shapes', ...args], {
    cwd: scratch,
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

function write(name: string, text: string): string {
  fs.mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
  fs.writeFileSync(path.join(scratch, name), text);
  return name;
}

const TRAIN_VAL = (extra = '') => `name: "net"
${extra}layer { name: "data" type: "Data" top: "data" top: "label"
  data_param { source: "db" batch_size: 32 backend: LMDB } transform_param { mean_file: "mean.binaryproto" crop_size: 24 } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 8 kernel_size: 5 } }
layer { name: "loss" type: "HingeLoss" bottom: "conv" bottom: "label" top: "loss" }
`;

function topsOf(json: ShapesJson, layer: string) {
  return json.layers.find((l) => l.name === layer)?.tops;
}

test('NAME=DIMS: positive integer dims only', () => {
  assert.deepEqual(parseInputShape('data=64,3,224,224'), { name: 'data', shape: [64, 3, 224, 224] });
  assert.deepEqual(parseInputShape('im/info=1x3'), { name: 'im/info', shape: [1, 3] });
  for (const bad of ['data', '=1,2', 'data=1,0', 'data=1,-2', 'data=1,,2', 'data=a'])
    assert.equal(typeof parseInputShape(bad), 'string', bad);
  const args = parseShapesArgs(['--input-shape', 'data=0', 'n.prototxt']);
  assert.match('problem' in args ? args.problem : '', /^--input-shape: /);
});

test('--input-shape fills a data layer the file cannot size; the source is in the JSON and the table', async () => {
  const file = write('alone/train_val.prototxt', TRAIN_VAL());
  const unknown = JSON.parse((await run('--json', file)).out) as ShapesJson;
  // The file says the batch and the crop only: channels are unknown (null), and so is the memory.
  assert.deepEqual(topsOf(unknown, 'data')?.[0], { name: 'data', shape: [32, null, 24, 24] });
  assert.equal(unknown.totals.dataBytes, null);
  const given = await run('--json', '--input-shape', 'data=32,1,24,24', file);
  const json = JSON.parse(given.out) as ShapesJson;
  assert.deepEqual(topsOf(json, 'data'), [
    { name: 'data', shape: [32, 1, 24, 24], source: '--input-shape' },
    { name: 'label', shape: [32] },
  ]);
  assert.deepEqual(topsOf(json, 'conv')?.[0].shape, [32, 8, 20, 20]);
  assert.equal(json.layers.find((l) => l.name === 'conv')?.params, 8 * 25 + 8);
  assert.equal(json.totals.dataBytes, (32 * 576 + 32 + 32 * 8 * 400 + 1) * 4);
  const text = (await run('--input-shape=data=32,1,24,24', file)).out;
  assert.match(text, /\ndata 32×1×24×24: from --input-shape\n/);
});

test('a # input-shape: comment line states it in the file; --input-shape wins over it', async () => {
  const net = buildNet(parse(TRAIN_VAL('# input-shape: data=32,3,24,24\n')));
  assert.deepEqual(inferShapes(net, 'TRAIN').blobs.get('conv'), [32, 8, 20, 20]);
  const file = write('comment/train_val.prototxt', TRAIN_VAL('# input-shape: data=32,3,24,24\n'));
  const json = JSON.parse((await run('--json', file)).out) as ShapesJson;
  assert.deepEqual(topsOf(json, 'data')?.[0], {
    name: 'data',
    shape: [32, 3, 24, 24],
    source: '# input-shape: comment',
  });
  const over = JSON.parse((await run('--json', '--input-shape', 'data=2,1,24,24', file)).out) as ShapesJson;
  assert.deepEqual(topsOf(over, 'data')?.[0].shape, [2, 1, 24, 24]);
});

test("a deploy net beside the file gives C×H×W; the batch and crop stay the data layer's", async () => {
  const file = write('beside/train_val.prototxt', TRAIN_VAL());
  write('beside/deploy.prototxt', 'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 28 dim: 28 }\n');
  write(
    'beside/other.prototxt',
    'layer { name: "d" type: "Data" top: "data" data_param { batch_size: 1 } }\n',
  );
  const json = JSON.parse((await run('--json', file)).out) as ShapesJson;
  assert.deepEqual(topsOf(json, 'data')?.[0], {
    name: 'data',
    shape: [32, 3, 24, 24],
    source: 'deploy.prototxt beside it (its input data is 3×28×28)',
  });
});

test('force_color and force_gray say the channels of an encoded data layer', () => {
  const net = (flag: string) =>
    buildNet(
      parse(`layer { name: "d" type: "Data" top: "data" data_param { batch_size: 4 }
  transform_param { crop_size: 8 ${flag} } }`),
    );
  assert.deepEqual(inferShapes(net('force_color: true'), 'TRAIN').blobs.get('data'), [4, 3, 8, 8]);
  assert.deepEqual(inferShapes(net('force_gray: true'), 'TRAIN').blobs.get('data'), [4, 1, 8, 8]);
  // Without either flag, the channels are unknown.
  assert.deepEqual(inferShapes(net(''), 'TRAIN').blobs.get('data'), [4, NaN, 8, 8]);
});
