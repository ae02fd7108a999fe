// Every field's definition in the resolved tree is the schema's own for the block it is written in,
// whatever the sizes of the blocks and however deeply they nest: the walk keeps the definitions in
// lists of a bounded size and starts a new one when a block does not fit, so blocks of every size
// before, across and past those bounds are checked, with nested blocks begun in one list and ended in
// another.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentNode, MessageNode } from '../../../../../server/src/parser/ast';
import { resolveTree } from '../../../../../server/src/analysis/model/resolve';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import type { MessageDef } from '../../../../../server/src/schema/model';

const schema = loadBundledSchema();

/** Checks each field of the tree against `schema.field` of its block's message; returns how many. */
function checkAgainstSchema(text: string): number {
  const ast = parse(text);
  assert.equal(ast.errors.length, 0);
  const net = schema.message('caffe.NetParameter') as MessageDef;
  const tree = resolveTree(ast, schema, net);
  let checked = 0;
  const visit = (block: MessageNode | DocumentNode, def: MessageDef | undefined): void => {
    const resolved = tree.blockOf(block);
    assert.equal(resolved?.def, def, `block at ${block.start}`);
    block.fields.forEach((field, i) => {
      const expected = def && schema.field(def, field.name);
      assert.equal(resolved?.fieldDef(i), expected, `${field.name} at ${field.start}`);
      checked++;
      const inner = expected?.kind === 'message' ? schema.messageOf(expected) : undefined;
      const v = field.value;
      if (v?.kind === 'message') visit(v, inner);
      else if (v?.kind === 'list')
        for (const item of v.items) if (item.kind === 'message') visit(item, inner);
    });
  };
  visit(ast, net);
  return checked;
}

/** A layer whose convolution_param has `repeats` × 3 fields, with a nested filler and unknown fields. */
function layer(i: number, repeats: number): string {
  const many = Array.from({ length: repeats }, () => 'pad: 1 stride: 1 bogus: 2').join(' ');
  return `layer { name: "l${i}" type: "Convolution" bottom: "b${i}" top: "b${i + 1}"
  convolution_param { num_output: 8 ${many} weight_filler { type: "xavier" std: 0.1 } }
  param { lr_mult: 1 } unknown_block { x: 1 } }\n`;
}

test('definitions match the schema in blocks of every size around the walk lists', () => {
  // Sizes chosen to fill lists exactly, to leave a few slots, and to exceed the first lists and the
  // largest list (65,536 fields) in one block.
  const sizes = [1, 2, 40, 85, 86, 120, 300, 700, 1, 3, 2_000, 5, 22_000, 1, 7];
  let text = 'name: "n"\n';
  sizes.forEach((n, i) => (text += layer(i, n)));
  for (let i = 0; i < 3_000; i++) text += layer(100 + i, 1 + (i % 4));
  const checked = checkAgainstSchema(text);
  assert.ok(checked > 100_000, `checked ${checked} fields`);
});

test('a document whose own fields outnumber the largest walk list', () => {
  const text = 'name: "n"\n' + 'input: "data"\n'.repeat(70_000) + layer(0, 2);
  assert.ok(checkAgainstSchema(text) > 70_000);
});
