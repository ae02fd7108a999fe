// The bounded search of bottom candidates gives what the whole search gives, cut as completion cuts
// it: on real nets (with and without phase rules), at sampled layers, for several typed prefixes and
// limits small enough that the search stops early on these nets too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bottomCandidates,
  matchesTyped,
  nearestBottomCandidates,
} from '../../../../../server/src/features/completion/values';
import type { NetLayer, NetModel } from '../../../../../server/src/analysis/model/net';
import type { PhaseGraphs } from '../../../../../server/src/analysis/model/net-blobs';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');

/** The old answer: every candidate, then the first `limit` matching `typed` when there are too many. */
function expected(net: NetModel, layer: NetLayer, typed: string, limit: number, graphs?: PhaseGraphs) {
  const all = bottomCandidates(net, layer, undefined, graphs);
  if (all.length <= limit) return { blobs: all, cut: false };
  return { blobs: all.filter((b) => matchesTyped(b.name, typed)).slice(0, limit), cut: true };
}

function compare(label: string, net: NetModel, graphs: PhaseGraphs | undefined, step: number): number {
  let compared = 0;
  for (const layer of net.layers.filter((_, i) => i % step === 0)) {
    const nearest = net.layers[layer.index - 1]?.tops[0]?.name ?? '';
    for (const typed of ['', nearest.slice(0, 1), nearest.slice(0, 3), 'zz']) {
      for (const limit of [1, 3, 10, 1000]) {
        assert.deepEqual(
          nearestBottomCandidates(net, layer, typed, limit, undefined, graphs),
          expected(net, layer, typed, limit, graphs),
          `${label}: ${layer.name} typed "${typed}" limit ${limit}`,
        );
        compared++;
      }
    }
  }
  return compared;
}

test('on every 20th corpus net: the bounded search equals the whole one, cut', needs('corpus'), () => {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  let compared = 0;
  let cut = 0;
  for (const rel of rows.filter((_, i) => i % 20 === 0).map((r) => r.split('\t')[0])) {
    const input = featureInputFor(readFileSync(path.join(corpus, 'files', rel), 'utf8'));
    const net = input.analysis.net;
    if (!net || net.layers.length < 2) continue;
    const step = Math.max(1, Math.floor(net.layers.length / 12));
    compared += compare(rel, net, input.analysis.graphs, step);
    // Without the analysis's phase lists too (each phase's layers worked out here).
    compared += compare(`${rel} (no graphs)`, net, undefined, step * 3);
    const last = net.layers[net.layers.length - 1];
    if (nearestBottomCandidates(net, last, '', 3).cut) cut++;
  }
  assert.ok(compared > 1000, `compared ${compared}`);
  assert.ok(cut > 10, `cut on ${cut} nets`);
});

test('phase rules, a net input, a name written twice, and bottoms already written', () => {
  const net = `input: "data"
input_shape { dim: 1 dim: 3 }
layer { name: "a" type: "ReLU" bottom: "data" top: "x" }
layer { name: "t" type: "ReLU" bottom: "x" top: "y" include { phase: TRAIN } }
layer { name: "b" type: "ReLU" bottom: "x" top: "x" }
layer { name: "c" type: "Concat" bottom: "x" bottom: "data" top: "z" top: "w" }
layer { name: "d" type: "Concat" bottom: "z" bottom: "x" top: "out" }
`;
  const input = featureInputFor(net);
  const model = input.analysis.net!;
  for (const ruled of [
    model,
    featureInputFor(net.replace(/ include \{ phase: TRAIN \}/, '')).analysis.net!,
  ]) {
    for (const layer of ruled.layers) {
      for (const typed of ['', 'x', 'd', 'q']) {
        for (const limit of [1, 2, 3, 10]) {
          assert.deepEqual(
            nearestBottomCandidates(ruled, layer, typed, limit),
            expected(ruled, layer, typed, limit),
            `${layer.name} "${typed}" ${limit}`,
          );
        }
      }
    }
  }
  const d = model.layers[model.layers.length - 1];
  assert.deepEqual(
    nearestBottomCandidates(model, d, '', 10).blobs.map((b) => b.name),
    ['w', 'y', 'data'],
  );
});
