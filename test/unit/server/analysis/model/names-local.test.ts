// What one request reads of the name index (the name at an offset, the layers that write a blob) is
// worked out from the layers concerned; it must agree with the whole index and the whole blob graph,
// on real nets of every format and on solvers with embedded nets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  indexNames,
  isDeclaration,
  occurrencesOf,
  producersOf,
  type NameOccurrence,
} from '../../../../../server/src/analysis/model/names';
import { layersInPhase } from '../../../../../server/src/analysis/model/net-filter';
import {
  blobGraph,
  blobUses,
  latestWriter,
  positionIn,
} from '../../../../../server/src/analysis/model/net-blobs';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { corpusDir, needs } from '../../../../helpers/resources';

const key = (o: NameOccurrence | undefined) =>
  o && [o.kind, o.role, o.name, o.value.start, o.layer, o.slot, o.scope];

function check(text: string, where: string): number {
  const analysis = featureInputFor(text).analysis;
  const whole = indexNames(analysis);
  let checked = 0;
  for (const scope of whole.scopes) {
    for (const occ of scope.occurrences) {
      // A fresh index per name: nothing made for one ask helps the next.
      const local = indexNames(analysis);
      const mid = (occ.value.start + occ.value.end) >> 1;
      const found = local.scopes[occ.scope].at(mid);
      assert.deepEqual(key(found), key(occ), `${where}: the name at ${mid}`);
      assert.deepEqual(
        producersOf(local, found as NameOccurrence).map(key),
        producersOf(whole, occ).map(key),
        `${where}: writers of ${occ.name} at ${mid}`,
      );
      const same = occurrencesOf(indexNames(analysis), occ);
      assert.deepEqual(same.map(key), occurrencesOf(whole, occ).map(key), `${where}: uses of ${occ.name}`);
      checked++;
      if (checked % 7 !== 0) continue;
      assert.equal(isDeclaration(local, found as NameOccurrence), isDeclaration(whole, occ));
      // Now the whole list: the occurrence handed out before is the one in it.
      assert.ok(local.scopes[occ.scope].occurrences.includes(found as NameOccurrence));
    }
    for (const phase of ['TRAIN', 'TEST'] as const) {
      const layers = layersInPhase(scope.net, phase);
      const graph = blobGraph(scope.net, layers);
      layers.forEach((layer, pos) => {
        assert.equal(positionIn(layers, layer), pos);
        layer.bottoms.forEach((b, slot) => {
          assert.deepEqual(
            latestWriter(scope.net, layers, pos, b.name),
            graph.sources.get(layer.index)?.[slot],
            `${where}: ${phase} writer of ${b.name}`,
          );
        });
      });
      for (const [name, node] of graph.blobs) assert.deepEqual(blobUses(scope.net, layers, name), node);
    }
  }
  return checked;
}

test('names at offsets, their writers, every use of a name and a blob’s uses agree with the whole index and graph', () => {
  const text = `input: "data"
input_dim: 1 input_dim: 3 input_dim: 4 input_dim: 4
layer { name: "c" type: "Convolution" bottom: "data" top: "c" param { name: "w" } convolution_param { num_output: 2 kernel_size: 1 } }
layer { name: "r" type: "ReLU" bottom: "c" top: "c" }
layer { name: "d" type: "Dropout" bottom: "c" top: "c" include { phase: TRAIN } }
layer { name: "c2" type: "Convolution" bottom: ["c", "data"] top: "c2" param { name: "w" } }
layer { name: "c" type: "Eltwise" bottom: "c2" bottom: "ghost" top: "sum" }
`;
  assert.ok(check(text, 'inline') >= 15);
});

test('the same on corpus nets and solvers', needs('corpus'), () => {
  const rows = readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  let checked = 0;
  for (const rel of rows.filter((_, i) => i % 15 === 0).map((r) => r.split('\t')[0])) {
    checked += check(readFileSync(path.join(corpusDir, 'files', rel), 'utf8'), rel);
  }
  assert.ok(checked > 5_000, `checked ${checked} names`);
});
