// The net the harness writes for pycaffe (client/python/caffe_prototxt_harness/pycaffe_net.py) is
// read by Caffe's own text-format parser. There is no pycaffe here, so the generated text is judged by
// this engine (no errors, the same names and param_str back) and, where installed, by protoc itself.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../../server/src/analysis/analyze';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { parse } from '../../../../server/src/parser/parse';
import { repoRoot, SYSTEM_PYTHON } from './helpers';
import { has } from '../../../helpers/resources';

const harness = path.join(repoRoot, 'client', 'python');
const corpusProto = path.resolve(repoRoot, '../shared/corpus/schemas/bvlc/caffe.proto');

interface Case {
  layerName: string;
  module: string;
  layer: string;
  paramStr: string;
  bottoms: { name: string; shape: number[] }[];
  tops: string[];
}

/** The text net_text writes for `c`, from the harness itself. */
function netText(c: Case): string {
  const script = [
    'import json, sys',
    'import numpy as np',
    `sys.path.insert(0, ${JSON.stringify(harness)})`,
    'from caffe_prototxt_harness.pycaffe_net import net_text',
    'c = json.loads(sys.stdin.read())',
    'parsed = dict(c, bottoms=[(b["name"], np.zeros(b["shape"], dtype=np.float32)) for b in c["bottoms"]])',
    'sys.stdout.write(net_text(parsed))',
  ].join('\n');
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify(c), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const CASES: Case[] = [
  {
    layerName: 'loss',
    module: 'pyloss',
    layer: 'EuclideanLossLayer',
    paramStr: '',
    bottoms: [
      { name: 'pred', shape: [2, 10] },
      { name: 'label', shape: [2, 10] },
    ],
    tops: ['loss'],
  },
  {
    layerName: 'tricky "name" \\ with\ttab',
    module: 'pkg.sub.layers',
    layer: 'Scale',
    // JSON, quotes, backslashes, a newline, control and non-ASCII characters.
    paramStr: '{"scale": 0.5, "path": "C:\\\\data", "note": "line1\nline2 \u0001 é 漢"}',
    bottoms: [{ name: 'data/x', shape: [1, 3, 4, 4] }],
    tops: ['out a', 'out b'],
  },
];

test('the pycaffe net: this engine reads it without errors and gets every string back', (t) => {
  if (!has(t, 'python')) return;
  const schema = loadBundledSchema();
  for (const c of CASES) {
    const text = netText(c);
    const ast = parse(text);
    const errors = analyze(text, ast, { schema, schemaKind: 'bundled' }).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    assert.deepEqual(errors, [], text);
    const net = buildNet(ast, schema);
    const python = net.layers.find((l) => l.type === 'Python');
    assert.ok(python, text);
    assert.equal(python.name, c.layerName);
    assert.deepEqual(
      python.bottoms.map((b) => b.name),
      c.bottoms.map((b) => b.name),
    );
    assert.deepEqual(
      python.tops.map((b) => b.name),
      c.tops,
    );
    const block = python.paramBlocks.get('python_param');
    const value = (name: string) => {
      const v = block?.fields.find((f) => f.name === name)?.value;
      return v?.kind === 'string' ? v.value : undefined;
    };
    assert.equal(value('module'), c.module);
    assert.equal(value('layer'), c.layer);
    // Decoded strings are bytes read as UTF-8 (protobuf's \ooo escapes of each UTF-8 byte).
    assert.equal(value('param_str'), c.paramStr);
    const inputs = net.layers.filter((l) => l.type === 'Input');
    assert.deepEqual(
      inputs.map((l) => l.tops[0]?.name),
      c.bottoms.map((b) => b.name),
    );
  }
});

test('the pycaffe net: protoc encodes it as a caffe.NetParameter and decodes the same param_str', (t) => {
  if (!has(t, 'python', 'protoc', 'corpus')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'pycaffe-net-'));
  try {
    for (const [i, c] of CASES.entries()) {
      const file = path.join(dir, `net${i}.prototxt`);
      writeFileSync(file, netText(c));
      const protoArgs = ['--proto_path', path.dirname(corpusProto), 'caffe.proto'];
      const encoded = spawnSync('sh', [
        '-c',
        `protoc --encode=caffe.NetParameter ${protoArgs.map((a) => JSON.stringify(a)).join(' ')} < ${JSON.stringify(file)}`,
      ]);
      assert.equal(encoded.status, 0, encoded.stderr.toString());
      const decoded = spawnSync('protoc', ['--decode=caffe.NetParameter', ...protoArgs], {
        input: encoded.stdout,
      });
      assert.equal(decoded.status, 0, decoded.stderr.toString());
      // protoc writes the message back in text format; read its param_str with this engine.
      const back = decoded.stdout.toString('utf8');
      const net = buildNet(parse(back));
      const python = net.layers.find((l) => l.type === 'Python');
      const v = python?.paramBlocks.get('python_param')?.fields.find((f) => f.name === 'param_str')?.value;
      assert.equal(v?.kind === 'string' ? v.value : undefined, c.paramStr, back);
      assert.equal(python?.name, c.layerName);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
