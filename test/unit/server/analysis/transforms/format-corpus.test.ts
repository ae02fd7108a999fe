// The formatter over every file of ../shared/corpus: the formatted text parses without errors to
// the same fields, values and comments as the original, and formatting it again changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatText } from '../../../../../server/src/analysis/transforms/format';
import { parse } from '../../../../../server/src/parser/parse';
import { structureOf } from '../../features/formatting/format-structure';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';
import { listFiles } from '../../../../helpers/files';

const files = path.resolve(repoRoot, '../shared/corpus/files');
const skip = needs('corpus');

test('formatting keeps the meaning and the comments of every corpus file, and is idempotent', skip, () => {
  let formatted = 0;
  let refused = 0;
  for (const file of listFiles(files)) {
    const text = fs.readFileSync(file, 'utf8');
    const ast = parse(text);
    const once = formatText(text, { indent: '  ' }, ast);
    if (ast.errors.length > 0) {
      assert.equal(once, undefined, `${file}: a file with syntax errors is not formatted`);
      refused++;
      continue;
    }
    assert.ok(once !== undefined, `${file}: formatted`);
    const again = parse(once);
    assert.deepEqual(again.errors, [], `${file}: the formatted text parses`);
    assert.deepEqual(structureOf(again), structureOf(ast), `${file}: same fields, values and comments`);
    assert.equal(formatText(once, { indent: '  ' }), once, `${file}: idempotent`);
    formatted++;
  }
  assert.ok(formatted > 700, `formatted ${formatted} files (${refused} with syntax errors refused)`);
});
