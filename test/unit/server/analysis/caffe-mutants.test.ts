// Corpus nets that caffe.Net builds, each changed in one place (a number of a layer's parameters, a
// layer taken out or moved, a line taken out, a bottom pointed at another blob, a field put into a
// param block), then built by the real Caffe: it refuses a mutant exactly when the analysis reports an
// error, and each blob of a mutant it builds has the inferred shape. The mutants come from a fixed
// seed, so a failure names a mutant that fails again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../../server/src/analysis/analyze';
import { buildNet } from '../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../server/src/analysis/shapes';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { buildWithPycaffe, caffeLayerTypes } from '../../../helpers/pycaffe-nets';
import { has } from '../../../helpers/resources';
import { bvlcNets, prepareNets, type PreparedNet } from './shapes/real-caffe-nets';

const NUMBERS = ['0', '1', '2', '3', '5', '7', '13', '64', '1000', '-1', '0.5', '100000'];
/** Settings whose value is a float (any number is a value Caffe takes). */
const FLOAT_SETTING =
  /^(lr_mult|decay_mult|std|value|mean|min|max|negative_slope|dropout_ratio|eps|moving_average_fraction|alpha|beta|k|scale|min_size|max_size)$/;
const EXTRA = [
  'axis: 2',
  'axis: -1',
  'group: 2',
  'group: 3',
  'bias_term: false',
  'dilation: 2',
  'stride: 3',
  'pad: 5',
  'num_output: 7',
  'kernel_size: 9',
  'global_pooling: true',
  'pool: STOCHASTIC',
  'operation: PROD',
  'coeff: 2',
  'top_k: 5',
  'ignore_label: 3',
  'across_channels: true',
  'pad_h: 1',
  'kernel_h: 3',
];

interface Mutant {
  text: string;
  phase: 'TRAIN' | 'TEST';
  what: string;
}

/** A small deterministic generator (the same mutants on every run). */
function generator(seed: number): <T>(items: readonly T[]) => T {
  let state = seed;
  return (items) => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return items[Math.floor((state / 0x80000000) * items.length)];
  };
}

function mutate(net: PreparedNet, pick: <T>(items: readonly T[]) => T): Mutant | undefined {
  const text = net.text;
  const at = (index: number, removed: number, put: string) =>
    text.slice(0, index) + put + text.slice(index + removed);
  const kind = pick(['number', 'number', 'layer', 'bottom', 'field', 'field', 'move', 'line']);
  let changed: string;
  let what: string;
  if (kind === 'number') {
    const settings = [...text.matchAll(/\b([a-z_]+): (-?[0-9.]+)\b/g)].filter(
      (m) => !FLOAT_SETTING.test(m[1]),
    );
    if (settings.length === 0) return undefined;
    const m = pick(settings);
    const value = pick(NUMBERS);
    changed = at((m.index ?? 0) + m[1].length + 2, m[2].length, value);
    what = `${m[1]}: ${m[2]} -> ${value}`;
  } else if (kind === 'layer') {
    const starts = [...text.matchAll(/^layers? \{/gm)].map((m) => m.index ?? 0);
    if (starts.length < 3) return undefined;
    // Not the first layer: most nets' data layer, whose loss leaves everything unknown.
    const i = starts.indexOf(pick(starts.slice(1)));
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    changed = at(starts[i], end - starts[i], '');
    what = `without ${JSON.stringify(text.slice(starts[i], starts[i] + 50))}`;
  } else if (kind === 'move') {
    // A layer put before another one (its producer, a reader of its top, or the data layer).
    const starts = [...text.matchAll(/^layers? \{/gm)].map((m) => m.index ?? 0);
    if (starts.length < 3) return undefined;
    const i = starts.indexOf(pick(starts.slice(1)));
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const layer = text.slice(starts[i], end);
    const rest = at(starts[i], end - starts[i], '');
    const to = pick([...rest.matchAll(/^layers? \{/gm)].map((m) => m.index ?? 0));
    changed = rest.slice(0, to) + layer + rest.slice(to);
    what = `moved ${JSON.stringify(layer.slice(0, 50))}`;
  } else if (kind === 'line') {
    // One `name: value` line of a layer taken out (its type, a bottom, a parameter).
    const lines = [...text.matchAll(/^[ \t]+[a-z_]+: [^\n{]*\n/gm)];
    if (lines.length === 0) return undefined;
    const m = pick(lines);
    changed = at(m.index ?? 0, m[0].length, '');
    what = `without the line ${JSON.stringify(m[0].trim())}`;
  } else if (kind === 'bottom') {
    const bottoms = [...text.matchAll(/bottom: "([^"]+)"/g)];
    const tops = [...new Set([...text.matchAll(/top: "([^"]+)"/g)].map((m) => m[1]))];
    if (bottoms.length === 0 || tops.length === 0) return undefined;
    const m = pick(bottoms);
    const top = pick(tops);
    changed = at(m.index ?? 0, m[0].length, `bottom: "${top}"`);
    what = `bottom "${m[1]}" -> "${top}"`;
  } else {
    const blocks = [
      ...text.matchAll(
        /(convolution|pooling|inner_product|eltwise|concat|softmax|lrn|accuracy|batch_norm|scale)_param \{/g,
      ),
    ];
    if (blocks.length === 0) return undefined;
    const m = pick(blocks);
    const field = pick(EXTRA);
    changed = at((m.index ?? 0) + m[0].length, 0, ` ${field} `);
    what = `${m[1]}_param { ${field} }`;
  }
  // The phase in the file: the analysis and Caffe build the same one.
  return { text: `state { phase: ${net.phase} }\n${changed}`, phase: net.phase, what };
}

test('caffe.Net refuses a mutant of a corpus net exactly when the analysis reports an error', (t) => {
  if (!has(t, 'pycaffe', 'corpus')) return;
  const schema = loadBundledSchema();
  // Stages are left out: the analysis allows for the stages a solver may add, caffe.Net adds none.
  const nets = prepareNets(bvlcNets(), schema, caffeLayerTypes()).prepared.filter(
    (p) => p.text.length < 60_000 && !p.text.includes('stage'),
  );
  assert.ok(nets.length > 100, `${nets.length} nets`);
  const pick = generator(2026);
  const mutants: Mutant[] = [];
  while (mutants.length < 120) {
    const mutant = mutate(pick(nets), pick);
    if (mutant) mutants.push(mutant);
  }
  const verdicts = buildWithPycaffe(mutants.map((m) => ({ text: m.text, phase: m.phase })));
  const disagreements: string[] = [];
  let refused = 0;
  let compared = 0;
  mutants.forEach((m, i) => {
    const verdict = verdicts[i];
    const errors = analyze(m.text, parse(m.text), { schema, schemaKind: 'user' }).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    if ('refused' in verdict) refused++;
    else if (errors.length === 0) {
      // Built by both: each blob has Caffe's shape (a split's copies aside).
      const shapes = inferShapes(buildNet(parse(m.text), schema), m.phase, schema);
      for (const [name, shape] of Object.entries(verdict.net.blobs)) {
        const ours = shapes.blobs.get(name);
        if (ours === undefined && /_split_\d+$/.test(name)) continue;
        compared++;
        if (ours?.join('×') !== shape.join('×'))
          disagreements.push(
            `${m.what}: blob ${name} is ${ours?.join('×') ?? 'unknown'} here, ${shape.join('×')} in Caffe`,
          );
      }
    }
    if ('refused' in verdict === errors.length > 0) return;
    const caffe = 'refused' in verdict ? `refuses: ${verdict.refused.slice(0, 200)}` : 'builds it';
    const ours = errors.map((e) => `[${e.code}] ${e.message.slice(0, 160)}`).join(' / ') || 'no error';
    disagreements.push(`${m.what}: Caffe ${caffe}; the analysis: ${ours}\n${m.text.slice(0, 300)}`);
  });
  // Both kinds are among the mutants, or the comparison says little.
  assert.ok(refused > 20 && refused < mutants.length - 20, `${refused} of ${mutants.length} refused`);
  assert.deepEqual(disagreements, []);
  assert.ok(compared > 500, `${compared} blob shapes compared`);
});
