// The folding ranges, found in one walk in text order with forward line look-ups, are those of a
// search per bracket over every block in any order, sorted with the comment runs by start (outer
// first), on corpus files and on generated texts with lists, comments, unclosed blocks and brackets
// sharing lines; and a line found by walking on from any line is the line a search finds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { FieldNode, ListNode, MessageNode } from '../../../../../server/src/parser/ast';
import { provideFoldingRanges } from '../../../../../server/src/features/folding/folding';
import { LineIndex } from '../../../../../server/src/util/ranges';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { corpusDir, needs } from '../../../../helpers/resources';

/** Every block's range by a search per bracket, comment runs after, then one sort. */
function searchedRanges(text: string): FoldingRange[] {
  const input = featureInputFor(text);
  const { lines, ast } = input.doc;
  const out: FoldingRange[] = [];
  const block = (node: MessageNode | ListNode, closeAt: number | undefined) => {
    const startLine = lines.positionAt(node.start).line;
    const last = node.kind === 'message' ? node.fields.at(-1) : node.items.at(-1);
    const close = lines.positionAt(closeAt ?? last?.end ?? node.start);
    const onOwnLine = closeAt !== undefined && text.slice(lines.lineStart(close.line), closeAt).trim() === '';
    const endLine = onOwnLine ? close.line - 1 : close.line;
    if (endLine > startLine) out.push({ startLine, endLine });
  };
  const stack: FieldNode[] = [...ast.fields];
  while (stack.length > 0) {
    const value = (stack.pop() as FieldNode).value;
    if (value?.kind === 'message') {
      block(value, value.close);
      stack.push(...value.fields);
    } else if (value?.kind === 'list') {
      block(value, text[value.end - 1] === ']' ? value.end - 1 : undefined);
      for (const item of value.items) {
        if (item.kind !== 'message') continue;
        block(item, item.close);
        stack.push(...item.fields);
      }
    }
  }
  // The comment runs are found as before the walk (their own tests cover them): taken from the answer.
  for (const r of provideFoldingRanges(input)) if (r.kind === FoldingRangeKind.Comment) out.push(r);
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function agree(text: string, where: string): void {
  assert.deepEqual(provideFoldingRanges(featureInputFor(text)), searchedRanges(text), where);
}

test('folding ranges agree with a search per bracket on generated texts', () => {
  const piece = fc.constantFrom(
    'a {',
    '}',
    'b <',
    '>',
    'c: [',
    ']',
    '{ x: 1 }',
    'd: 1',
    'e: "s"',
    '# note',
    ',',
    '\n',
    '\n',
    '\r\n',
    '  ',
    'f { g { h: 2',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (pieces) =>
      agree(pieces.join(' '), JSON.stringify(pieces)),
    ),
    { numRuns: 400 },
  );
});

test('folding ranges agree with a search per bracket on corpus files', needs('corpus'), () => {
  const rows = readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const row of rows.filter((_, i) => i % 8 === 0)) {
    const rel = row.split('\t')[0];
    agree(readFileSync(path.join(corpusDir, 'files', rel), 'utf8'), rel);
  }
});

test('the line walked to from any line is the line a search finds', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\r\n'), maxLength: 200 }),
      fc.array(fc.tuple(fc.nat(250), fc.nat(80)), { maxLength: 20 }),
      (text, asks) => {
        const index = new LineIndex(text);
        const search = new LineIndex(text);
        for (const [offset, from] of asks)
          assert.equal(index.lineFrom(offset, from), search.positionAt(offset).line);
      },
    ),
  );
});
