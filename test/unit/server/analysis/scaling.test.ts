// Inputs that used to overflow the stack or take time quadratic in their size, at the sizes that
// showed it: each must give the right diagnostics (the test runner's timeout catches a relapse).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../server/src/analysis/analyze';
import { MAX_STAGES_CHECKED } from '../../../../server/src/analysis/checks/blobs';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import { provideFoldingRanges } from '../../../../server/src/features/folding/folding';
import { featureInputFor } from '../../../helpers/analyzed-document';

const options = { timeout: 120_000 };
const analyzeText = (text: string) =>
  analyze(text, parse(text), { schema: loadBundledSchema(), schemaKind: 'user' });
const INPUT = 'layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 1 } } }\n';

test('300,000 stray braces: syntax errors listed and counted, no internal parser error', options, () => {
  const text = '}\n'.repeat(300_000);
  const { diagnostics } = analyzeText(text);
  assert.ok(!diagnostics.some((d) => /internal/i.test(d.message)), diagnostics[0]?.message);
  const syntax = diagnostics.filter((d) => d.code === 'syntax');
  assert.equal(syntax.length, 1001);
  assert.equal(syntax[1000].omitted, 299_000);
});

// Quadratic, this took 84 s here; linear, 6 s.
test('40,000 undefined bottoms: one diagnostic each, saying why', { timeout: 30_000 }, () => {
  let text = INPUT;
  for (let i = 0; i < 40_000; i++)
    text += `layer { name: "l${i}" type: "ReLU" bottom: "x${i}" top: "y${i}" }\n`;
  // One blob produced later and one produced only in TEST, to check the explanations.
  text += 'layer { name: "late" type: "ReLU" bottom: "data" top: "x7" }\n';
  text += 'layer { name: "t" type: "ReLU" bottom: "data" top: "x0" include { phase: TEST } }\n';
  const undefinedBottoms = analyzeText(text).diagnostics.filter((d) => d.code === 'undefined-bottom');
  // x0 is undefined in TRAIN only (in TEST "t" comes later, which is a separate report for the same place).
  assert.equal(undefinedBottoms.length, 40_000);
  const byLayer = (name: string) => undefinedBottoms.find((d) => d.message.includes(`layer "${name}"`));
  assert.match(byLayer('l5')!.message, /No layer or input declares it\./);
  assert.match(byLayer('l7')!.message, /Layer "late" produces it later/);
  assert.match(byLayer('l0')!.message, /Layer "t" produces it later/);
});

test('10,000 stages: checked for the first few, and a note says so', options, () => {
  let text = INPUT;
  for (let i = 0; i < 10_000; i++)
    text += `layer { name: "l${i}" type: "ReLU" bottom: "${i === 3 ? 'nowhere' : 'data'}" top: "y${i}" include { stage: "s${i}" } }\n`;
  const { diagnostics } = analyzeText(text);
  const note = diagnostics.find((d) => d.code === 'stages-not-checked');
  assert.match(note!.message, new RegExp(`name 10000 stages.*first ${MAX_STAGES_CHECKED} only`));
  // Stage s3 is among those checked: its layer's bottom is found undefined.
  assert.equal(diagnostics.filter((d) => d.code === 'undefined-bottom').length, 1);
});

test('a list of 150,000 values and a message of 150,000 fields are read and folded', options, () => {
  const list = analyzeText(`name: [${Array(150_000).fill('1').join(',')}]\n`);
  assert.equal(list.diagnostics.filter((d) => d.code === 'expected-string').length, 150_000);
  const fields = Array.from({ length: 150_000 }, (_, i) => `  dim: ${i}`).join('\n');
  const folds = provideFoldingRanges(featureInputFor(`input_shape {\n${fields}\n}\n`));
  assert.deepEqual(folds, [{ startLine: 0, endLine: 150_000 }]);
});
