// Range formatting lays out only the top-level fields it prints: that layout is the same as those
// fields of the whole document's layout (but the first field's leading comments and blank line, which
// lie outside the range), on corpus files and on a text with comments everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  layoutTopFields,
  layoutTree,
  type LayoutField,
} from '../../../../../server/src/analysis/transforms/format-tree';
import { parse } from '../../../../../server/src/parser/parse';
import { corpusRoot as corpus } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const outsideRange = (f: LayoutField): LayoutField => ({ ...f, leading: [], blankBefore: false });

function assertSameLayout(text: string, where: string): number {
  const ast = parse(text);
  if (ast.errors.length > 0 || ast.fields.length === 0) return 0;
  const whole = layoutTree(text, ast).fields;
  const n = ast.fields.length;
  // Every single field, and runs of up to three.
  for (let first = 0; first < n; first++) {
    for (let last = first; last < Math.min(n, first + 3); last++) {
      const alone = layoutTopFields(text, ast, first, last);
      const expected = whole.slice(first, last + 1);
      assert.deepEqual(
        [outsideRange(alone[0]), ...alone.slice(1)],
        [outsideRange(expected[0]), ...expected.slice(1)],
        `${where}: fields ${first}..${last}`,
      );
    }
  }
  return 1;
}

test('the layout of some top-level fields is theirs in the whole layout', () => {
  const text = `# head

a: 1 # after a
# before b

b { c: 2 # in b
  # closing b
} # after b
d: [1, 2] # after d

# before e
e < f: "x" > ;
g: 3
# tail
`;
  assert.equal(assertSameLayout(text, 'sample'), 1);
});

test(
  'on corpus files, each run of top-level fields is laid out as in the whole file',
  needs('corpus'),
  () => {
    const rows = fs
      .readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean);
    let checked = 0;
    // Every fifteenth file: nets, solvers and label maps, with and without comments.
    for (const row of rows.filter((_, i) => i % 15 === 0)) {
      const rel = row.split('\t')[0];
      checked += assertSameLayout(fs.readFileSync(path.join(corpus, 'files', rel), 'utf8'), rel);
    }
    assert.ok(checked > 30, `only ${checked} files checked`);
  },
);
