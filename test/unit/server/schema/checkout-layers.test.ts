// The layer types a Caffe checkout registers, read from its C++ sources, and what a check says with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { readCheckoutLayerTypes, registrationsIn } from '../../../../server/src/schema/checkout-layers';

test('registrations: both macros, any spacing; comments and macro definitions are no registration', () => {
  const source = [
    '#include "caffe/layer_factory.hpp"',
    '#define REGISTER_LAYER_CLASS(type) something(type)',
    '// REGISTER_LAYER_CLASS(Commented);',
    '/* REGISTER_LAYER_CLASS(Blocked);',
    '   REGISTER_LAYER_CLASS(StillBlocked); */',
    'INSTANTIATE_CLASS(CenterLossLayer);',
    'REGISTER_LAYER_CLASS(CenterLoss);',
    'REGISTER_LAYER_CREATOR( Convolution , GetConvolutionLayer);',
    '  REGISTER_LAYER_CLASS_R(Fork);',
  ].join('\n');
  assert.deepEqual(registrationsIn(source), [
    { type: 'CenterLoss', line: 6 },
    { type: 'Convolution', line: 7 },
    { type: 'Fork', line: 8 },
  ]);
  assert.deepEqual(registrationsIn('int main() {}'), []);
});

const CORE = ['Convolution', 'InnerProduct', 'Pooling', 'ReLU', 'Softmax'];
const PROTO = `syntax = "proto2";
package caffe;
message NetParameter { optional string name = 1; repeated LayerParameter layer = 100; }
message LayerParameter {
  optional string name = 1;
  optional string type = 2;
  repeated string bottom = 3;
  repeated string top = 4;
}
`;

/** A folder with a Caffe checkout (`caffe/`: its proto and layer sources) and a net beside it. */
function workspace(layers: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-layers-'));
  const src = path.join(dir, 'caffe', 'src', 'caffe');
  fs.mkdirSync(path.join(src, 'proto'), { recursive: true });
  fs.mkdirSync(path.join(src, 'layers'), { recursive: true });
  fs.writeFileSync(path.join(src, 'proto', 'caffe.proto'), PROTO);
  fs.writeFileSync(
    path.join(src, 'layer_factory.cpp'),
    layers
      .filter((t) => CORE.includes(t))
      .map((t) => `REGISTER_LAYER_CREATOR(${t}, Get${t}Layer);\n`)
      .join(''),
  );
  for (const t of layers.filter((t) => !CORE.includes(t))) {
    fs.writeFileSync(
      path.join(src, 'layers', `${t.toLowerCase()}_layer.cpp`),
      `REGISTER_LAYER_CLASS(${t});\n`,
    );
  }
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(
    path.join(dir, 'models', 'net.prototxt'),
    [
      'name: "n"',
      'layer { name: "c" type: "CenterLoss" top: "a" }',
      'layer { name: "s" type: "Sparsify" bottom: "a" top: "b" }',
      'layer { name: "r" type: "ReLU" bottom: "b" top: "b" }',
      '',
    ].join('\n'),
  );
  return dir;
}

async function typeLines(dir: string): Promise<string[]> {
  let out = '';
  await runCli(['check', '--root', dir, 'models/net.prototxt'], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    cwd: dir,
  });
  return out.split('\n').filter((l) => /layer-type/.test(l));
}

test("a checkout's sources decide which types are registered: its own are known, others named", async () => {
  const dir = workspace([...CORE, 'CenterLoss']);
  try {
    const read = readCheckoutLayerTypes(path.join(dir, 'caffe'));
    assert.deepEqual([...(read?.types ?? [])].sort(), ['CenterLoss', ...CORE].sort());
    assert.equal(
      read?.registrations.get('CenterLoss')?.file,
      path.join(dir, 'caffe/src/caffe/layers/centerloss_layer.cpp'),
    );
    const lines = await typeLines(dir);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0],
      /^models\/net\.prototxt:3:25: warning: Unknown layer type: Sparsify: the Caffe checkout at caffe, whose caffe\.proto this file is checked against, does not register it, so building this net fails there\. .*\[layer-type-not-registered\]$/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkout whose sources do not register the core types is not trusted: the known types decide', async () => {
  const dir = workspace(['Convolution', 'CenterLoss']);
  try {
    assert.equal(readCheckoutLayerTypes(path.join(dir, 'caffe')), undefined);
    const lines = await typeLines(dir);
    assert.deepEqual(
      lines.map((l) => l.replace(/: warning: .*\[/, ' [')),
      ['models/net.prototxt:2:25 [unknown-layer-type]', 'models/net.prototxt:3:25 [unknown-layer-type]'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
