// Solvers of the training fixtures, each changed in one to three places (a setting taken out, changed
// or added: learning rate policies and their parameters, solver types, test nets, averages, decays,
// snapshots), then solved by the real Caffe as `caffe train` does (three iterations): it stops on a
// mutant exactly when the analysis reports an error. The mutants come from a fixed seed, so a failure
// names a mutant that fails again. The nets stay as they are, and max_iter stays 3: every mutant
// trains, so a setting read at the first update is read.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';
import { findPycaffe, runWithPycaffe, withTrainingNet } from '../../../../helpers/caffe-solver';
import { repoRoot } from '../../../../helpers/paths';
import { has } from '../../../../helpers/resources';

const FIXTURES = path.join(repoRoot, 'test/fixtures/training');
const BASES = ['step', 'tests', 'multistep', 'fixed', 'exp', 'inv', 'poly', 'sigmoid'];

/** Settings a mutant may get, in place of the same setting or added. */
const SETTINGS = [
  'lr_policy: "fixed"',
  'lr_policy: "step"',
  'lr_policy: "exp"',
  'lr_policy: "inv"',
  'lr_policy: "multistep"',
  'lr_policy: "poly"',
  'lr_policy: "sigmoid"',
  'lr_policy: "Step"',
  'lr_policy: "cosine"',
  'gamma: -1',
  'gamma: 0',
  'gamma: 0.5',
  'stepsize: 0',
  'stepsize: -3',
  'stepsize: 2',
  'stepvalue: 2',
  'stepvalue: 0',
  'power: 0.5',
  'power: -1',
  'test_iter: 1',
  'test_iter: 0',
  'test_interval: 0',
  'test_interval: 1',
  'test_interval: -2',
  'test_initialization: false',
  'test_state { stage: "a" }',
  'test_net: "net.prototxt"',
  'train_net: "net.prototxt"',
  'average_loss: 0',
  'average_loss: 3',
  'type: "Adam"',
  'type: "AdaDelta"',
  'type: "RMSProp"',
  'type: "Nesterov"',
  'type: "AdaGrad"',
  'type: "adam"',
  'solver_type: ADAM',
  'solver_type: SGD',
  'regularization_type: "L1"',
  'regularization_type: "L0"',
  'weight_decay: 0',
  'weight_decay: 0.01',
  'momentum: 0',
  'momentum: 0.5',
  'momentum2: 0.999',
  'delta: 0.000001',
  'rms_decay: 0.5',
  'rms_decay: 1.5',
  'clip_gradients: 1',
  'snapshot: 1',
  'snapshot_prefix: "snaps/m"',
  'display: 1',
  'debug_info: true',
  'random_seed: 5',
  'base_lr: 0',
];

/** A small deterministic generator (the same mutants on every run). */
function generator(seed: number): <T>(items: readonly T[]) => T {
  let state = seed;
  return (items) => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return items[Math.floor((state / 0x80000000) * items.length)];
  };
}

interface Mutant {
  text: string;
  what: string[];
}

function mutate(base: string, pick: <T>(items: readonly T[]) => T): Mutant {
  let lines = base.split('\n');
  const what: string[] = [];
  const edits = pick([1, 2, 3]);
  for (let e = 0; e < edits; e++) {
    // The net and max_iter stay: every mutant trains the same net for three iterations.
    const settings = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => line !== '' && !/^(#|net:|max_iter:)/.test(line));
    const kind = pick(['remove', 'replace', 'add', 'add']);
    if (kind === 'remove' && settings.length > 0) {
      const { line, i } = pick(settings);
      lines = lines.filter((_, j) => j !== i);
      what.push(`-${line}`);
      continue;
    }
    const setting = pick(SETTINGS);
    const name = setting.split(/[: ]/)[0];
    const same = settings.find(({ line }) => line.split(/[: ]/)[0] === name);
    if (kind === 'replace' && same) {
      lines[same.i] = setting;
      what.push(`${same.line} => ${setting}`);
    } else {
      lines.push(setting);
      what.push(`+${setting}`);
    }
  }
  return { text: lines.join('\n'), what };
}

test('Caffe stops on a mutant of a training solver exactly when the analysis reports an error', (t) => {
  if (!has(t, 'pycaffe')) return;
  const pycaffe = findPycaffe().folder as string;
  const schema = loadBundledSchema();
  const forks = bundledForkSchemas();
  const bases = BASES.map((b) =>
    fs.readFileSync(path.join(FIXTURES, `${b}.prototxt`), 'utf8').replace(/^max_iter: \d+$/m, 'max_iter: 3'),
  );
  const pick = generator(2026);
  const mutants = Array.from({ length: 48 }, () => mutate(pick(bases), pick));
  const disagreements: string[] = [];
  let refused = 0;
  withTrainingNet('solver-mutants-', (scratch) => {
    fs.mkdirSync(path.join(scratch, 'snaps'));
    mutants.forEach((m, i) => {
      const file = `m${i}.prototxt`;
      fs.writeFileSync(path.join(scratch, file), m.text);
      const run = runWithPycaffe(
        pycaffe,
        'import sys, caffe\ncaffe.set_mode_cpu()\ncaffe.get_solver(sys.argv[1]).solve()\n',
        [file],
        scratch,
      );
      const stops = run.status !== 0;
      if (stops) refused++;
      // As a solver is checked without a caffe.proto of its own: BVLC's solvers are the ones there are.
      const errors = analyze(m.text, parse(m.text), {
        schema,
        schemaKind: 'bundled',
        forks,
      }).diagnostics.filter((d) => d.severity === 'error');
      if (stops === errors.length > 0) return;
      const why = run.log.split('\n').find((l) => /^F\d|Check failed|Error/.test(l)) ?? '';
      const caffe = stops ? `stops: ${why.slice(0, 200)}` : 'trains';
      const ours = errors.map((e) => `[${e.code}] ${e.message.slice(0, 160)}`).join(' / ') || 'no error';
      disagreements.push(`${m.what.join(' ; ')}: Caffe ${caffe}; the analysis: ${ours}`);
    });
  });
  // Both kinds are among the mutants, or the comparison says little.
  assert.ok(refused > 8 && refused < mutants.length - 8, `${refused} of ${mutants.length} refused`);
  assert.deepEqual(disagreements, []);
});
