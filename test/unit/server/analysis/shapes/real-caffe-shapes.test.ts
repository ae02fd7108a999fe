// Shapes against the real Caffe: every corpus net that BVLC pycaffe can build (deploy nets as written,
// train/val nets with their data readers replaced by Input layers of the shapes inferred here) is built
// with caffe.Net in each phase, and every blob shape, every layer's parameter count and top bytes, and
// the net's data memory (the "Memory required for data" line of Caffe's log) must equal Caffe's. The
// blobs of the Split layers Caffe inserts are not compared one by one (the memory figure counts them).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryOf } from '../../../../../server/src/analysis/shapes/memory';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { buildWithPycaffe, caffeLayerTypes, type CaffeNet } from '../../../../helpers/pycaffe-nets';
import { has } from '../../../../helpers/resources';
import { bvlcNets, prepareNets, type PreparedNet } from './real-caffe-nets';

/** Reached on the shared corpus with the pycaffe of scripts/pycaffe.sh; a drop is a regression. */
const FLOOR = { nets: 162, blobs: 5875, layers: 9628, memory: 239 };
const MAX_REFUSED = 7;

interface Tally {
  /** Nets whose "Memory required for data" was compared. */
  memory: number;
  blobs: number;
  layers: number;
  mismatches: string[];
}

function compareNet(p: PreparedNet, caffe: CaffeNet, tally: Tally): void {
  const where = `${p.file} (${p.phase})`;
  const caffeLayers = new Set(caffe.layers.map(([name]) => name));
  for (const [name, shape] of Object.entries(caffe.blobs)) {
    const ours = p.shapes.blobs.get(name);
    if (ours === undefined && /_split_\d+$/.test(name)) continue;
    tally.blobs++;
    if (ours === undefined)
      tally.mismatches.push(`${where}: blob ${name} ${shape.join('×')} is not listed here`);
    else if (ours === null)
      tally.mismatches.push(`${where}: blob ${name} ${shape.join('×')} is unknown here`);
    else if (ours.join(',') !== shape.join(','))
      tally.mismatches.push(`${where}: blob ${name} is ${ours.join('×')} here, ${shape.join('×')} in Caffe`);
  }
  const memory = memoryOf(p.shapes);
  tally.memory++;
  if (memory.dataBytes !== caffe.dataBytes)
    tally.mismatches.push(
      `${where}: data memory ${memory.dataBytes ?? '?'} bytes here, ${caffe.dataBytes ?? '?'} in Caffe's log`,
    );
  const caffeTops = new Map(
    caffe.layers.map(([name], i) => [name, caffe.topCounts[i].reduce((a, b) => a + b, 0)]),
  );
  p.shapes.layers.forEach((l, i) => {
    const theirs = caffeTops.get(l.layer.name);
    if (theirs !== undefined && memory.topBytes[i] !== theirs * 4)
      tally.mismatches.push(
        `${where}: layer ${l.layer.name} tops ${memory.topBytes[i] ?? '?'} bytes here, ${theirs * 4} in Caffe`,
      );
  });
  if (!p.shapes.layers.some((l) => l.sharedParams)) {
    const theirs =
      Object.values(caffe.params)
        .flat()
        .reduce((a, b) => a + b, 0) * 4;
    if (memory.paramBytes !== theirs)
      tally.mismatches.push(
        `${where}: parameter memory ${memory.paramBytes ?? '?'} bytes here, ${theirs} in Caffe`,
      );
  }
  for (const l of p.shapes.layers) {
    if (!caffeLayers.has(l.layer.name)) continue; // a reader replaced by its Input layer keeps its name
    tally.layers++;
    const theirs = (caffe.params[l.layer.name] ?? []).reduce((a, b) => a + b, 0);
    const ours = l.params === null ? null : l.params + l.stats;
    if (ours !== theirs)
      tally.mismatches.push(
        `${where}: layer ${l.layer.name} (${l.layer.type}) has ${ours ?? '?'} parameters here, ${theirs} in Caffe`,
      );
  }
}

test('every blob shape and parameter count equals what caffe.Net builds, over the corpus', async (t) => {
  if (!has(t, 'pycaffe', 'corpus')) return;
  const { prepared, skipped } = prepareNets(bvlcNets(), loadBundledSchema(), caffeLayerTypes());
  const verdicts = buildWithPycaffe(prepared.map((p) => ({ text: p.text, phase: p.phase })));
  const tally: Tally = { memory: 0, blobs: 0, layers: 0, mismatches: [] };
  const refused: string[] = [];
  const files = new Set<string>();
  prepared.forEach((p, i) => {
    const v = verdicts[i];
    if ('refused' in v) {
      refused.push(`${p.file} (${p.phase}): ${v.refused}`);
      return;
    }
    files.add(p.file);
    compareNet(p, v.net, tally);
  });
  console.log(
    `real Caffe shapes: ${files.size} nets (${prepared.length - refused.length} net-phases) compared, ` +
      `${tally.blobs} blobs, ${tally.layers} layers, ${tally.memory} memory figures; ${tally.mismatches.length} mismatches; ` +
      `${refused.length} net-phases Caffe refused, ${skipped.length} not buildable by BVLC Caffe`,
  );
  for (const r of refused) console.log(`  refused by Caffe: ${r}`);
  const reasons = new Map<string, number>();
  for (const s of skipped) {
    const why = s.why.replace(/data layer .* are/, 'a data layer are').replace(/type \S+ is/, 'type X is');
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  for (const [why, n] of reasons) console.log(`  not built (${n}): ${why}`);
  assert.deepEqual(tally.mismatches, []);
  // The nets Caffe refuses are broken in that phase (a bottom nothing produces there): more means the
  // text given to Caffe is wrong.
  assert.ok(refused.length <= MAX_REFUSED, `Caffe refused ${refused.length} net-phases`);
  assert.ok(files.size >= FLOOR.nets, `${files.size} nets compared, at least ${FLOOR.nets} expected`);
  assert.ok(tally.blobs >= FLOOR.blobs, `${tally.blobs} blobs compared, at least ${FLOOR.blobs} expected`);
  assert.ok(
    tally.memory >= FLOOR.memory,
    `${tally.memory} memory figures compared, at least ${FLOOR.memory} expected`,
  );
  assert.ok(
    tally.layers >= FLOOR.layers,
    `${tally.layers} layers compared, at least ${FLOOR.layers} expected`,
  );
});

/** Layers no corpus net uses, each in a small net of its own. */
const SMALL_NETS: Record<string, string> = {
  lstm: `layer { name: "in" type: "Input" top: "x" top: "cont" input_param { shape { dim: 3 dim: 2 dim: 4096 } shape { dim: 3 dim: 2 } } }
layer { name: "lstm" type: "LSTM" bottom: "x" bottom: "cont" top: "h" recurrent_param { num_output: 256 } }`,
  'lstm with a static input, exposed states': `layer { name: "in" type: "Input" top: "x" top: "cont" top: "s" top: "h0" top: "c0"
  input_param { shape { dim: 4 dim: 2 dim: 3 dim: 5 } shape { dim: 4 dim: 2 } shape { dim: 2 dim: 6 } shape { dim: 1 dim: 2 dim: 8 } shape { dim: 1 dim: 2 dim: 8 } } }
layer { name: "lstm" type: "LSTM" bottom: "x" bottom: "cont" bottom: "s" bottom: "h0" bottom: "c0" top: "h" top: "hT" top: "cT"
  recurrent_param { num_output: 8 expose_hidden: true } }`,
  'rnn with a static input, exposed state, a loss without top': `layer { name: "in" type: "Input" top: "x" top: "cont" top: "s" top: "h0"
  input_param { shape { dim: 4 dim: 2 dim: 5 } shape { dim: 4 dim: 2 } shape { dim: 2 dim: 6 } shape { dim: 1 dim: 2 dim: 8 } } }
layer { name: "rnn" type: "RNN" bottom: "x" bottom: "cont" bottom: "s" bottom: "h0" top: "h" top: "hT"
  recurrent_param { num_output: 8 expose_hidden: true } }
layer { name: "loss" type: "EuclideanLoss" bottom: "hT" bottom: "h0" }`,
};

test('recurrent layers and automatic tops in small nets: the same shapes, counts and memory as caffe.Net', async (t) => {
  if (!has(t, 'pycaffe')) return;
  const schema = loadBundledSchema();
  const prepared: PreparedNet[] = Object.entries(SMALL_NETS).map(([name, text]) => ({
    file: name,
    phase: 'TEST',
    text,
    shapes: inferShapes(buildNet(parse(text), schema), 'TEST', schema),
    readersReplaced: 0,
  }));
  const verdicts = buildWithPycaffe(prepared.map((p) => ({ text: p.text, phase: p.phase })));
  const tally: Tally = { memory: 0, blobs: 0, layers: 0, mismatches: [] };
  prepared.forEach((p, i) => {
    const v = verdicts[i];
    assert.ok('net' in v, `${p.file}: ${'refused' in v ? v.refused : ''}`);
    compareNet(p, v.net, tally);
  });
  assert.deepEqual(tally.mismatches, []);
  assert.equal(tally.memory, prepared.length);
});
