// The resolver's hand-over of blocks as it resolves them: ranges in order that cover every block
// once, each at least the size asked for but the last, each block whole when handed over (its fields'
// definitions as in the finished tree), and the tree the same as one resolved without a sink; a sink
// that does not keep the blocks gets the same blocks and leaves the tree's list empty.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveTree, type ResolvedTree } from '../../../../../server/src/analysis/model/resolve';
import { chooseTopMessage } from '../../../../../server/src/analysis/model/top-message';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';
import { listFiles } from '../../../../helpers/files';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

/** Each block's fields' definitions, by block. */
function definitions(tree: ResolvedTree, from = 0, to = tree.blocks.length): unknown[][] {
  return tree.blocks.slice(from, to).map((b) => b.node.fields.map((_, i) => b.fieldDef(i)));
}

function handOvers(text: string, size: number, bundled: boolean, keep = true): void {
  const schema = loadBundledSchema();
  const forks = bundled ? bundledForkSchemas() : [];
  const ast = parse(text);
  const top = schema.message(chooseTopMessage(ast, [schema]).name);
  const ranges: [number, number][] = [];
  const seen: unknown[][] = [];
  const handed: ResolvedTree['blocks'] = [];
  const tree = resolveTree(ast, schema, top, forks, schema, undefined, {
    size,
    run: (t, from, to) => {
      ranges.push([from, to]);
      seen.push(...definitions(t, from, to));
      handed.push(...t.blocks.slice(from, to));
    },
    keep,
  });
  const plain = resolveTree(ast, schema, top, forks);
  const all = { ...tree, blocks: handed } as ResolvedTree;
  assert.equal(tree.blocks.length, keep ? plain.blocks.length : 0);
  assert.deepEqual(definitions(all), definitions(plain));
  assert.deepEqual(
    handed.map((b) => b.node),
    plain.blocks.map((b) => b.node),
  );
  let next = 0;
  ranges.forEach(([from, to], i) => {
    if (keep) assert.equal(from, next);
    else assert.equal(from, 0);
    assert.ok(to > from);
    if (i < ranges.length - 1) assert.ok(to - from >= size);
    next = keep ? to : next + to - from;
  });
  assert.equal(next, handed.length);
  assert.deepEqual(seen, definitions(plain), 'each block was whole when handed over');
}

test('hand-overs of a net with nested, repeated and unknown blocks', () => {
  const text = [
    'name: "n"',
    'layer { name: "a" type: "Convolution" convolution_param { num_output: 2 weight_filler { type: "xavier" } bias_filler { type: "constant" } } param { lr_mult: 1 } param { lr_mult: 2 } }',
    'layer { name: "b" type: "Python" python_param { module: "m" layer: "L" } unknown_block { x: 1 } include { phase: TRAIN stage: "s" } }',
    'layer { name: "c" type: "Data" data_param { source: "x" } transform_param { mean_value: [1, 2, 3] } }',
  ].join('\n');
  for (const size of [1, 2, 3, 4, 1000])
    for (const bundled of [false, true])
      for (const keep of [true, false]) handOvers(text, size, bundled, keep);
});

test('hand-overs on every corpus file', skip, () => {
  const files = listFiles(path.join(corpus, 'files'));
  assert.ok(files.length > 50);
  for (const file of files) {
    handOvers(readFileSync(file, 'utf8'), 7, true);
    handOvers(readFileSync(file, 'utf8'), 5, false, false);
  }
});
