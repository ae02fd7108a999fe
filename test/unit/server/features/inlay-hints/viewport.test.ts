// Inlay hints for a range read only the layers over it: on real nets (with and without phase rules),
// the hints of line windows of several sizes equal those of the whole file that fall in the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InlayHint, Range } from 'vscode-languageserver';
import { provideInlayHints } from '../../../../../server/src/features/inlay-hints/inlay-hints';
import type { AnalyzedDocument } from '../../../../../server/src/features/context';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');

function hints(input: AnalyzedDocument, range: Range): InlayHint[] {
  return provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range });
}

test('the hints of a window are those of the whole file inside it', needs('corpus'), () => {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  let windows = 0;
  let hinted = 0;
  for (const rel of rows.filter((_, i) => i % 15 === 0).map((r) => r.split('\t')[0])) {
    const input = featureInputFor(readFileSync(path.join(corpus, 'files', rel), 'utf8'));
    const lines = input.doc.lines;
    const end = lines.positionAt(input.doc.text.length);
    const all = hints(input, { start: { line: 0, character: 0 }, end });
    hinted += all.length;
    for (const size of [1, 7, 40]) {
      for (let line = 0; line <= end.line; line += size * 3 + 1) {
        // Windows starting mid-line too, as a client's ranges may.
        const range: Range = { start: { line, character: 3 }, end: { line: line + size, character: 10 } };
        const from = lines.offsetAt(range.start);
        const to = lines.offsetAt(range.end);
        const inside = all.filter((h) => {
          const at = lines.offsetAt(h.position);
          return at >= from && at <= to;
        });
        assert.deepEqual(hints(input, range), inside, `${rel} lines ${line}-${line + size}`);
        windows++;
      }
    }
  }
  assert.ok(windows > 1000 && hinted > 1000, `${windows} windows, ${hinted} hints`);
});
