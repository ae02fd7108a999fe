// The shapes of legacy net inputs, counted as Caffe reads them: under a Caffe with the Input layer,
// each case is checked against caffe.Net (the shapes it builds, or its crash); under one before it
// (py-faster-rcnn's), the messages are Net::Init's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledFork, loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { Schema } from '../../../../../server/src/schema/schema';
import { buildWithPycaffe } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';

const schema = loadBundledSchema();
const RELU = 'layer { name: "r" type: "ReLU" bottom: "x" top: "r" }\n';
const dims = (...d: number[]) => d.map((n) => `input_dim: ${n}\n`).join('');
const shape = (...d: number[]) => `input_shape { ${d.map((n) => `dim: ${n}`).join(' ')} }\n`;

interface Case {
  what: string;
  text: string;
  /** The problems, as `line:column severity`, and the text each is placed on. */
  found: [string, string][];
  /** Caffe's input shapes when it builds the net; undefined when it crashes. */
  built?: Record<string, number[]>;
}

const CASES: Case[] = [
  {
    what: 'one input_shape for two inputs',
    text: `input: "x"\ninput: "y"\n${shape(1, 2)}${RELU}`,
    found: [['2:8 error', '"y"']],
  },
  {
    what: 'two of the four input_dim values',
    text: `input: "x"\n${dims(1, 2)}${RELU}`,
    found: [['1:8 error', '"x"']],
  },
  {
    what: 'a list of three input_dim values',
    text: `input: "x"\ninput_dim: [1, 2, 3]\n${RELU}`,
    found: [['1:8 error', '"x"']],
  },
  {
    what: 'the second input short of its four',
    text: `input: "x"\ninput: "y"\n${dims(1, 2, 3, 4, 5, 6, 7)}${RELU}`,
    found: [['2:8 error', '"y"']],
  },
  {
    what: 'a fifth input_dim',
    text: `input: "x"\n${dims(1, 2, 3, 4, 5)}${RELU}`,
    found: [['6:1 warning', 'input_dim: 5']],
    built: { x: [1, 2, 3, 4] },
  },
  {
    what: 'input_dim beside input_shape',
    text: `input: "x"\n${shape(1, 2)}${dims(3, 4, 5, 6)}${RELU}`,
    found: [['3:1 warning', 'input_dim: 3']],
    built: { x: [1, 2] },
  },
  {
    what: 'a second input_shape for one input',
    text: `input: "x"\n${shape(1, 2)}${shape(3, 4)}${RELU}`,
    found: [['3:1 warning', 'input_shape { dim: 3 dim: 4 }']],
    built: { x: [1, 2] },
  },
  {
    what: 'an input_shape without an input',
    text: `${shape(1, 2)}layer { name: "in" type: "Input" top: "x" input_param { ${shape(5, 6).replace('input_', '')} } }\n${RELU}`,
    found: [['1:1 warning', 'input_shape { dim: 1 dim: 2 }']],
    built: { x: [5, 6] },
  },
  {
    what: 'two inputs with their eight input_dim values',
    text: `input: "x"\ninput: "y"\n${dims(1, 2, 3, 4, 5, 6, 7, 8)}${RELU}`,
    found: [],
    built: { x: [1, 2, 3, 4], y: [5, 6, 7, 8] },
  },
  {
    what: 'two inputs with their input_shapes',
    text: `input: "x"\ninput: "y"\n${shape(1, 2)}${shape(3)}${RELU}`,
    found: [],
    built: { x: [1, 2], y: [3] },
  },
];

function problems(text: string, under: Schema = schema) {
  return analyze(text, parse(text), { schema: under, schemaKind: 'user' }).diagnostics.filter(
    (d) => d.code === 'legacy-input',
  );
}

function where(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

for (const c of CASES) {
  test(`legacy inputs, ${c.what}: ${c.found.length === 0 ? 'nothing to say' : c.found.map(([at]) => at).join(', ')}`, () => {
    const found = problems(c.text);
    assert.deepEqual(
      found.map((d) => [`${where(c.text, d.start)} ${d.severity}`, c.text.slice(d.start, d.end)]),
      c.found,
      JSON.stringify(found),
    );
    // An error is a crash (reading past the list); a warning is what Caffe never reads.
    for (const d of found) assert.equal(d.severity === 'error', c.built === undefined);
  });
}

test('legacy inputs: the messages say what Caffe reads', () => {
  const [short] = problems(CASES[3].text);
  assert.equal(
    short.message,
    'Input "y" has 3 of its 4 input_dim values: Caffe reads four per input, in order (input 2 takes values 5 to 8), and reads past the end of the list for this one: Caffe crashes as it loads the net.',
  );
  const [shapeless] = problems(CASES[0].text);
  assert.match(shapeless.message, /^Input "y" has no input_shape: .*\(1 given for 2 inputs\)/);
  const [extra] = problems(CASES[4].text);
  assert.equal(
    extra.message,
    'This input_dim is not read: Caffe reads four per input, and the net declares 1 input.',
  );
});

test("input_dim values a template's placeholders stand for keep their places: no count is off", () => {
  // AOD-Net's test_template.prototxt: `input_dim: {height}` is told as a placeholder, once.
  const text = `input: "x"\n${dims(1, 3)}input_dim: {height}\ninput_dim: {width}\n${RELU}`;
  assert.deepEqual(problems(text), []);
  assert.deepEqual(buildNet(parse(text)).inputs[0]?.shape, [1, 3, NaN, NaN]);
});

test('an input named twice is an error on the second, under either Caffe', () => {
  const text = `input: "x"\ninput: "x"\n${shape(1, 2)}${shape(1, 2)}${RELU}`;
  const fastrcnn = loadBundledFork('fastrcnn');
  assert.ok(fastrcnn);
  for (const under of [schema, fastrcnn]) {
    const found = problems(text, under);
    assert.deepEqual(
      found.map((d) => `${where(text, d.start)} ${d.severity}`),
      ['2:8 error'],
    );
    assert.equal(
      found[0].message,
      'Input "x" is declared twice: Caffe makes a blob of each and stops building the net ("Top blob \'x\' produced by multiple sources.")',
    );
  }
});

test('each input takes the input_shape of its position: an input past the last has no shape', () => {
  const net = buildNet(parse(CASES[0].text), schema);
  assert.deepEqual(
    net.inputs.map((i) => i.shape),
    [[1, 2], null],
  );
});

test("a Caffe before the Input layer stops on any count but Net::Init's (py-faster-rcnn's)", () => {
  const fastrcnn = loadBundledFork('fastrcnn');
  assert.ok(fastrcnn);
  const said = (text: string) => problems(text, fastrcnn).map((d) => `${where(text, d.start)} ${d.message}`);
  assert.deepEqual(said(CASES[0].text), [
    '2:8 1 input_shape for 2 inputs: this Caffe wants one per input and stops building the net ("Exactly one input_shape must be specified per input.")',
  ]);
  assert.deepEqual(said(CASES[4].text), [
    '6:1 5 input_dim values for 1 input: this Caffe wants four per input and stops building the net ("Incorrect input blob dimension specifications.")',
  ]);
  assert.deepEqual(said(CASES[5].text), [
    '3:1 input_dim beside input_shape: this Caffe stops building the net ("Must specify either input_shape OR deprecated input_dim, not both.")',
  ]);
  // Inputs without any shape: Net::Init wants one per input (a newer Caffe drops them instead).
  assert.deepEqual(said(`input: "x"\n${RELU}`), [
    '1:8 0 input_shapes for 1 input: this Caffe wants one per input and stops building the net ("Exactly one input_shape must be specified per input.")',
  ]);
  assert.deepEqual(problems(`input: "x"\n${RELU}`), []);
  for (const c of [CASES[8], CASES[9]]) assert.deepEqual(said(c.text), []);
});

test('caffe.Net builds the nets with the shapes above and crashes on the others', (t) => {
  if (!has(t, 'pycaffe')) return;
  const verdicts = buildWithPycaffe(
    [...CASES.map((c) => c.text), `input: "x"\ninput: "x"\n${shape(1, 2)}${shape(1, 2)}${RELU}`].map(
      (text) => ({ text, phase: 'TEST' as const }),
    ),
  );
  const named = verdicts.pop();
  assert.ok(named && 'refused' in named, JSON.stringify(named));
  assert.match(named.refused, /Top blob 'x' produced by multiple sources/);
  CASES.forEach((c, i) => {
    const v = verdicts[i];
    if (c.built === undefined) {
      assert.ok('refused' in v, `${c.what}: Caffe built it`);
      return;
    }
    assert.ok('net' in v, `${c.what}: Caffe refused it: ${'refused' in v ? v.refused : ''}`);
    for (const [name, dims] of Object.entries(c.built)) assert.deepEqual(v.net.blobs[name], dims, c.what);
  });
});
