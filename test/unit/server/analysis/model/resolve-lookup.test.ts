// The resolved tree's look-ups by offset (what a cursor query reads) agree with its maps of every
// field and block, on real nets of every format and on a solver with embedded nets and fork fields.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentNode, MessageNode } from '../../../../../server/src/parser/ast';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { corpusDir, needs } from '../../../../helpers/resources';

function checkAgreement(text: string, where: string): number {
  const { resolved, ast } = featureInputFor(text).analysis;
  let checked = 0;
  const visit = (block: MessageNode | DocumentNode): void => {
    assert.equal(
      resolved.blockOf(block)?.def,
      resolved.messages.get(block),
      `${where}: block at ${block.start}`,
    );
    for (const field of block.fields) {
      assert.equal(resolved.fieldDefIn(block, field), resolved.fields.get(field), `${where}: ${field.name}`);
      checked++;
      const v = field.value;
      if (v?.kind === 'message') visit(v);
      else if (v?.kind === 'list') for (const item of v.items) if (item.kind === 'message') visit(item);
    }
  };
  visit(ast);
  return checked;
}

test('fieldDefIn and blockOf agree with the maps, unresolved fields and blocks included', () => {
  const text = `name: "n"
layer { name: "c" type: "Convolution" bottom: "x" top: "y"
  convolution_param { num_output: 2 kernel_size: 3 weight_filler { type: "xavier" } bogus { a: 1 } }
  param { lr_mult: 1 } param { lr_mult: 2 } }
layer { name: "p" type: "Python" python_param { module: "m" layer: "L" param_str: "{}" } }
unknown_block { x { y: 1 } }
`;
  assert.ok(checkAgreement(text, 'inline') > 15);
});

test('fieldDefIn and blockOf agree with the maps on corpus nets', needs('corpus'), () => {
  const rows = readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  let checked = 0;
  for (const rel of rows.filter((_, i) => i % 10 === 0).map((r) => r.split('\t')[0])) {
    checked += checkAgreement(readFileSync(path.join(corpusDir, 'files', rel), 'utf8'), rel);
  }
  assert.ok(checked > 10_000, `checked ${checked} fields`);
});
