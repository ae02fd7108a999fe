// Freeze and Unfreeze over the real nets of ../shared/corpus (current-format nets accepted by BVLC's
// schema): for a layer in the middle of each net and for its last layer, after Freeze every learnable
// blob before the layer has lr_mult 0 and decay_mult 0, no layer from it on changes (unless it shares a
// parameter with an earlier one), the file has no error it did not have, and Unfreeze then gives back
// the original text exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../../server/src/analysis/analyze';
import { buildNet, type NetModel } from '../../../../server/src/analysis/model/net';
import { lineBreakOf } from '../../../../server/src/analysis/transforms/format';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import {
  planFreeze,
  probeFreeze,
  type FreezeInput,
  type FreezeOutcome,
  type FreezeProbe,
} from '../../../../server/src/training/freeze';
import { planUnfreeze, probeUnfreeze } from '../../../../server/src/training/unfreeze';
import { layerRates } from '../../../../server/src/training/param-rates';
import { applyEdits } from '../../../../server/src/training/text-edits';
import { corpusRoot } from '../../../helpers/paths';

const corpus = corpusRoot;
const skip = fs.existsSync(path.join(corpus, 'ORACLE.tsv')) ? false : `corpus not found at ${corpus}`;
const schema = loadBundledSchema();

function inputOf(text: string): FreezeInput {
  const ast = parse(text);
  return { text, ast, net: buildNet(ast, schema), schema, indent: '  ', eol: lineBreakOf(text) };
}

function errors(text: string): string[] {
  return analyze(text, parse(text), { schema, schemaKind: 'bundled' })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code}: ${d.message}`);
}

function layerText(text: string, net: NetModel, index: number): string {
  const node = net.layers[index].node;
  return text.slice(node.start, node.end);
}

/** What the probe of an outcome must say: the plan summed up without its edits. */
function summed(outcome: FreezeOutcome): FreezeProbe {
  if (outcome === undefined || 'refused' in outcome) return outcome;
  return { sharing: outcome.sharing };
}

/** The problems of freezing `net` up to layer `upTo`, '' when there are none. */
function check(file: string, text: string, upTo: number): { problems: string[]; changed: boolean } {
  const before = inputOf(text);
  const outcome = planFreeze(before, upTo);
  // Offering the actions probes them; the probe must agree with the plan it stands for.
  assert.deepEqual(probeFreeze(before, upTo), summed(outcome), `${file}: probeFreeze up to #${upTo}`);
  const unfreezeBefore = planUnfreeze(before, upTo);
  assert.deepEqual(
    probeUnfreeze(before, upTo),
    summed(unfreezeBefore),
    `${file}: probeUnfreeze up to #${upTo}`,
  );
  if (outcome === undefined) return { problems: [], changed: false };
  if ('refused' in outcome) return { problems: [`${file}: refused: ${outcome.refused}`], changed: false };
  const frozen = applyEdits(text, outcome.edits);
  const after = inputOf(frozen);
  const problems: string[] = [];
  const where = `${file} up to #${upTo} (${before.net.layers[upTo].name})`;
  for (const layer of after.net.layers.slice(0, upTo)) {
    if (layer.type === 'BatchNorm') continue;
    const rates = layerRates(layer, { baseLr: 1, weightDecay: 1 }, schema);
    for (const blob of rates.blobs) {
      if (blob.lrMult !== 0 || blob.decayMult !== 0)
        problems.push(
          `${where}: ${layer.name} ${blob.role} lr_mult ${blob.lrMult} decay_mult ${blob.decayMult}`,
        );
    }
  }
  for (let i = upTo; i < before.net.layers.length; i++) {
    const name = before.net.layers[i].name;
    if (outcome.sharing.includes(name)) continue;
    if (layerText(text, before.net, i) !== layerText(frozen, after.net, i))
      problems.push(`${where}: layer ${name} changed`);
  }
  const old = new Set(errors(text));
  for (const e of errors(frozen)) if (!old.has(e)) problems.push(`${where}: new error ${e}`);
  const undo = planUnfreeze(after, upTo);
  assert.deepEqual(probeUnfreeze(after, upTo), summed(undo), `${where}: probeUnfreeze after Freeze`);
  if (undo === undefined || 'refused' in undo) problems.push(`${where}: no Unfreeze after Freeze`);
  else if (applyEdits(frozen, undo.edits) !== text) {
    const back = applyEdits(frozen, undo.edits);
    let at = 0;
    while (at < text.length && text[at] === back[at]) at++;
    problems.push(`${where}: Unfreeze differs at ${at}: ${JSON.stringify(back.slice(at - 40, at + 60))}`);
  }
  return { problems, changed: true };
}

test('Freeze then Unfreeze on every current-format corpus net BVLC accepts', { skip }, () => {
  const rows = fs
    .readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[1] === 'net' && c[2] === 'v2' && c[3].split(',').includes('bvlc'));
  const problems: string[] = [];
  let nets = 0;
  let changed = 0;
  for (const [rel] of rows) {
    const text = fs.readFileSync(path.join(corpus, 'files', rel), 'utf8');
    const net = buildNet(parse(text), schema);
    if (net.layers.length < 2) continue;
    nets++;
    for (const upTo of new Set([Math.floor(net.layers.length / 2), net.layers.length - 1])) {
      const result = check(rel, text, upTo);
      problems.push(...result.problems);
      if (result.changed) changed++;
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  assert.ok(nets >= 150, `${nets} nets`);
  assert.ok(changed >= 200, `${changed} freezes`);
});
