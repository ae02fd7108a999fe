// Layers written alike are shaped once (twin-layers.ts): the same results and problems as when each is
// shaped on its own, over the whole corpus, and each repeat with its own layer, bottoms and words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferNetShapes, type NetShapes } from '../../../../../server/src/analysis/shapes/net-shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { listFiles } from '../../../../helpers/files';
import { corpusRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';
import { inputLayer as input } from './infer-text';

const schema = loadBundledSchema();

/** Everything inference says of a net, phase by phase, as plain data. */
function said(shapes: NetShapes): string {
  return JSON.stringify(
    (['TRAIN', 'TEST'] as const).map((phase) => {
      const r = shapes[phase];
      if (r === undefined) return null;
      return {
        layers: r.layers.map((l) => [
          l.layer.index,
          l.bottoms,
          l.tops,
          l.params,
          l.stats,
          l.macs,
          l.status,
          l.sharedParams,
          l.automaticTops,
        ]),
        problems: r.problems.map((p) => [p.start, p.end, p.code, p.severity, p.message]),
        blobs: (r.blobs as unknown as { shapes: unknown }).shapes,
        totals: r.totals,
      };
    }),
  );
}

function both(text: string) {
  const net = buildNet(parse(text), schema);
  return { alone: inferNetShapes(net, schema), twins: inferNetShapes(net, schema, { text }) };
}

test('over the corpus, shaping twins once says what shaping every layer says', needs('corpus'), () => {
  let nets = 0;
  for (const file of listFiles(path.join(corpusRoot, 'files'))) {
    if (!file.endsWith('.prototxt')) continue;
    const text = readFileSync(file, 'utf8');
    const { alone, twins } = both(text);
    if (alone.TRAIN === undefined && alone.TEST === undefined) continue;
    nets++;
    assert.equal(said(twins), said(alone), path.relative(corpusRoot, file));
  }
  assert.ok(nets > 300, `${nets} nets`);
});

const conv = (name: string, bottom: string, top = name, kernel = 3) =>
  `layer { name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${top}"\n` +
  `  convolution_param { num_output: 8 kernel_size: ${kernel} pad: 1 } }\n`;

test('a repeat takes the first result with its own layer and bottoms; in place or not tells them apart', () => {
  const text =
    input([1, 3, 16, 16]) +
    conv('a', 'data') +
    conv('b', 'data') +
    'layer { name: "r1" type: "ReLU" bottom: "a" top: "a" }\n' +
    'layer { name: "r2" type: "ReLU" bottom: "b" top: "b2" }\n' +
    'layer { name: "r3" type: "ReLU" bottom: "b2" top: "b2" }\n';
  const { alone, twins } = both(text);
  assert.equal(said(twins), said(alone));
  const layers = twins.TEST!.layers;
  const [a, b] = [layers[1], layers[2]];
  assert.equal(b.layer.name, 'b');
  assert.deepEqual(b.tops, [[1, 8, 16, 16]]);
  // Shaped once: b's top is a's, the same array (shaped on its own, it would be another).
  assert.equal(b.tops[0], a.tops[0]);
  assert.notEqual(alone.TEST!.layers[2].tops[0], alone.TEST!.layers[1].tops[0]);
  // The same learned blobs and work, and bottoms of its own.
  assert.equal(b.params, a.params);
  assert.equal(b.bottoms[0], twins.TEST!.blobs.get('data'));
  // r3 repeats r1 (both in place): its top is its own bottom's shape, not r1's.
  const r3 = layers[5];
  assert.equal(r3.tops[0], r3.bottoms[0]);
  assert.deepEqual(twins.TEST!.blobs.get('b2'), [1, 8, 16, 16]);
});

test('a repeat whose first reported a problem is shaped anew and reported at its own place', () => {
  // A 7×7 kernel on 2×2 (padded to 4×4) is refused, in both layers, each with its own span.
  const text = input([1, 3, 2, 2]) + conv('a', 'data', 'a', 7) + conv('b', 'data', 'b', 7);
  const { alone, twins } = both(text);
  assert.equal(said(twins), said(alone));
  const problems = twins.TEST!.problems;
  assert.equal(problems.length, 2);
  assert.notEqual(problems[0].start, problems[1].start);
  assert.ok(problems[1].start > text.indexOf('name: "b"'));
});

test('bottoms of other shapes, another parameter or a comment between fields make another layer', () => {
  const text =
    input([1, 3, 16, 16]) +
    conv('a', 'data') +
    conv('b', 'a') +
    conv('c', 'data').replace('num_output: 8', 'num_output: 9') +
    conv('d', 'data').replace('  convolution_param', '  # wider\n  convolution_param');
  const { alone, twins } = both(text);
  assert.equal(said(twins), said(alone));
  const tops = Object.fromEntries(twins.TEST!.layers.map((l) => [l.layer.name, l.tops[0]]));
  assert.deepEqual(tops.b, [1, 8, 16, 16]);
  assert.deepEqual(tops.c, [1, 9, 16, 16]);
  assert.deepEqual(tops.d, [1, 8, 16, 16]);
});
