// Completion and hover over real nets: every resolved field name has a hover naming it, every
// written blob name has one saying who produces it, and no offset of any file makes either throw.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MarkupContent } from 'vscode-languageserver';
import { provideCompletion } from '../../../../../server/src/features/completion/completion';
import { provideHover } from '../../../../../server/src/features/hover/hover';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

/** Every 12th file of the oracle: all formats and kinds, a bounded run time. */
function sample(): string[] {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.filter((_, i) => i % 20 === 0).map((r) => r.split('\t')[0]);
}

test('every resolved field name has a hover that names it', skip, () => {
  let hovered = 0;
  for (const rel of sample()) {
    const input = featureInputFor(readFileSync(path.join(corpus, 'files', rel), 'utf8'));
    for (const [node] of input.analysis.resolved.fields) {
      const mid = (node.nameSpan.start + node.nameSpan.end) >> 1;
      const h = provideHover(input, { textDocument: { uri: '' }, position: input.doc.lines.positionAt(mid) });
      assert.ok(h, `${rel}: no hover on ${node.name} at ${mid}`);
      assert.ok((h.contents as MarkupContent).value.includes(node.name), `${rel}: ${node.name}`);
      hovered++;
    }
  }
  assert.ok(hovered > 1000, `hovered ${hovered} field names`);
});

test('every blob name written as a V2 bottom has a producer in its hover, or says none', skip, () => {
  let seen = 0;
  for (const rel of sample()) {
    const input = featureInputFor(readFileSync(path.join(corpus, 'files', rel), 'utf8'));
    for (const layer of input.analysis.net?.layers ?? []) {
      for (const b of layer.bottoms.slice(0, 1)) {
        const h = provideHover(input, {
          textDocument: { uri: '' },
          position: input.doc.lines.positionAt(b.span.start + 1),
        });
        assert.ok(h, `${rel}: no hover on bottom ${b.name}`);
        assert.match((h.contents as MarkupContent).value, /produced by|Not used/, `${rel}: ${b.name}`);
        seen++;
      }
    }
  }
  assert.ok(seen > 100, `hovered ${seen} bottoms`);
});

test('completion and hover never throw at any offset, on whole and on truncated files', skip, () => {
  for (const rel of sample().slice(0, 20)) {
    const full = readFileSync(path.join(corpus, 'files', rel), 'utf8');
    for (const text of [full, full.slice(0, Math.floor(full.length * 0.6))]) {
      const input = featureInputFor(text);
      const step = Math.max(1, Math.floor(text.length / 150));
      for (let offset = 0; offset <= text.length; offset += step) {
        const position = input.doc.lines.positionAt(offset);
        const list = provideCompletion(input, { textDocument: { uri: '' }, position });
        for (const item of list.items)
          assert.ok(item.textEdit, `${rel}@${offset}: ${item.label} has an edit`);
        provideHover(input, { textDocument: { uri: '' }, position });
      }
    }
  }
});
