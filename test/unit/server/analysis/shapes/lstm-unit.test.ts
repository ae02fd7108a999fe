// LSTMUnit, one timestep of an LSTM cell: its tops take the previous cell state's shape, and its
// Reshape refuses bottoms of other axes, timesteps, streams or gate sizes. Each case is checked
// against caffe.Net: the shapes it builds, or its refusal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { buildWithPycaffe } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();

interface Case {
  what: string;
  /** Shapes of c_prev, x and cont. */
  shapes: [number[], number[], number[]];
  /** The bottom (0, 1, 2) the problem is placed on; undefined when Caffe builds the net. */
  refused?: number;
}

const CASES: Case[] = [
  {
    what: 'one step of 4 streams of 5 units',
    shapes: [
      [1, 4, 5],
      [1, 4, 20],
      [1, 4],
    ],
  },
  {
    what: 'a single stream',
    shapes: [
      [1, 1, 3],
      [1, 1, 12],
      [1, 1],
    ],
  },
  {
    what: 'gate input not 4 × the state',
    shapes: [
      [1, 4, 5],
      [1, 4, 15],
      [1, 4],
    ],
    refused: 1,
  },
  {
    what: 'two timesteps',
    shapes: [
      [2, 4, 5],
      [2, 4, 20],
      [2, 4],
    ],
    refused: 0,
  },
  {
    what: 'other streams in the flags',
    shapes: [
      [1, 4, 5],
      [1, 4, 20],
      [1, 3],
    ],
    refused: 2,
  },
  {
    what: 'flags with three axes',
    shapes: [
      [1, 4, 5],
      [1, 4, 20],
      [1, 4, 1],
    ],
    refused: 2,
  },
  {
    what: 'a state of four axes',
    shapes: [
      [1, 4, 5, 1],
      [1, 4, 20],
      [1, 4],
    ],
    refused: 0,
  },
];

function netOf(c: Case): string {
  const shape = (s: number[]) => `shape { ${s.map((d) => `dim: ${d}`).join(' ')} }`;
  return `name: "unit"
layer { name: "in" type: "Input" top: "c_prev" top: "x" top: "cont"
  input_param { ${c.shapes.map(shape).join(' ')} } }
layer { name: "unit" type: "LSTMUnit" bottom: "c_prev" bottom: "x" bottom: "cont" top: "c" top: "h" }
`;
}

for (const c of CASES) {
  test(`LSTMUnit, ${c.what}: ${c.refused === undefined ? 'tops of the state' : 'refused'}`, () => {
    const text = netOf(c);
    const shapes = inferShapes(buildNet(parse(text), schema), 'TEST', schema);
    const problems = analyze(text, parse(text), { schema, schemaKind: 'bundled' }).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    if (c.refused === undefined) {
      assert.deepEqual(problems, []);
      assert.deepEqual([shapes.blobs.get('c'), shapes.blobs.get('h')], [c.shapes[0], c.shapes[0]]);
      return;
    }
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].code, 'shape-mismatch');
    const name = ['"c_prev"', '"x"', '"cont"'][c.refused];
    assert.equal(problems[0].start, text.indexOf(name, text.indexOf('LSTMUnit')), problems[0].message);
  });
}

test('caffe.Net builds and refuses the same LSTMUnit nets, with the same tops', (t) => {
  if (!has(t, 'pycaffe')) return;
  const verdicts = buildWithPycaffe(CASES.map((c) => ({ text: netOf(c), phase: 'TEST' as const })));
  CASES.forEach((c, i) => {
    const v = verdicts[i];
    if (c.refused !== undefined) {
      assert.ok('refused' in v, `${c.what}: Caffe built it`);
      return;
    }
    assert.ok('net' in v, `${c.what}: Caffe refused it: ${'refused' in v ? v.refused : ''}`);
    assert.deepEqual([v.net.blobs.c, v.net.blobs.h], [c.shapes[0], c.shapes[0]], c.what);
  });
});
