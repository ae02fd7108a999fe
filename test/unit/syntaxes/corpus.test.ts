// Tokenizes every prototxt of the shared corpus with the extension's grammar and checks invariants
// against a small independent scanner of comments and quoted strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPrototxtGrammar, repoRoot, tokenizeText, type TokenizedLine } from './tokenizer';
import { has } from '../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const filesDir = path.join(corpus, 'files');

type CharKind = 'code' | 'comment' | 'string';

/** Classifies each character of one line: `#` outside a string starts a comment; quotes pair up. */
export function classifyLine(line: string): CharKind[] {
  const kinds: CharKind[] = [];
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      kinds.push('string');
      if (c === '\\' && i + 1 < line.length) {
        kinds.push('string');
        i++;
      } else if (c === quote) quote = null;
    } else if (c === '#') {
      for (let j = i; j < line.length; j++) kinds.push('comment');
      break;
    } else if (c === '"' || c === "'") {
      quote = c;
      kinds.push('string');
    } else kinds.push('code');
  }
  return kinds;
}

function scopesAt(line: TokenizedLine, index: number): string[] {
  return line.tokens.find((t) => t.start <= index && index < t.end)?.scopes ?? [];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function acceptedFiles(): Set<string> {
  const rows = readFileSync(path.join(corpus, 'ORACLE.tsv'), 'utf8').split('\n').slice(1);
  return new Set(
    rows
      .map((r) => r.split('\t'))
      .filter((c) => c.length > 3 && c[3] !== '')
      .map((c) => c[0]),
  );
}

test('classifyLine separates code, comments and strings', () => {
  const kinds = classifyLine(`a: "x#\\"y" # c 'q'`);
  assert.equal(kinds.join(',').split(',').length, 18);
  assert.deepEqual(kinds.slice(0, 3), ['code', 'code', 'code']);
  assert.ok(kinds.slice(3, 10).every((k) => k === 'string'));
  assert.equal(kinds[10], 'code');
  assert.ok(kinds.slice(11).every((k) => k === 'comment'));
});

test('every corpus file tokenizes with comments, strings and balanced blocks', async (t) => {
  if (!has(t, 'corpus')) return;
  const grammar = await loadPrototxtGrammar();
  const accepted = acceptedFiles();
  const files = walk(filesDir).filter((f) => /\.(prototxt|pt)$/.test(f));
  assert.ok(files.length > 700, `expected the whole corpus, found ${files.length} files`);
  const problems: string[] = [];
  let commentLines = 0;
  let stringChars = 0;
  for (const file of files) {
    const rel = path.relative(filesDir, file);
    const lines = tokenizeText(grammar, readFileSync(file, 'utf8'));
    lines.forEach((tl, n) => {
      const where = `${rel}:${n + 1}`;
      const covered = tl.tokens.reduce((end, tok) => (tok.start === end ? tok.end : -1), 0);
      if (covered < tl.line.length) problems.push(`${where}: tokens do not cover the line`);
      const kinds = classifyLine(tl.line);
      if (/^\s*#/.test(tl.line)) commentLines++;
      kinds.forEach((kind, i) => {
        const scopes = scopesAt(tl, i);
        if (kind === 'comment' && !scopes.some((s) => s.startsWith('comment.'))) {
          problems.push(`${where}:${i + 1}: comment text without a comment scope (${scopes.join(' ')})`);
        } else if (kind === 'string') {
          stringChars++;
          if (!scopes.some((s) => s.startsWith('string.'))) {
            problems.push(`${where}:${i + 1}: quoted text without a string scope (${scopes.join(' ')})`);
          }
        } else if (
          kind === 'code' &&
          scopes.some((s) => s.startsWith('string.') || s.startsWith('comment.'))
        ) {
          problems.push(`${where}:${i + 1}: code scoped as ${scopes.join(' ')}`);
        }
      });
      if (tl.openScopes.some((s) => s.startsWith('string.'))) problems.push(`${where}: a string stays open`);
    });
    const last = lines[lines.length - 1];
    if (accepted.has(rel) && last && last.openScopes.length !== 1) {
      problems.push(`${rel}: blocks left open at the end: ${last.openScopes.join(' ')}`);
    }
  }
  assert.ok(commentLines > 1000, `expected many comment lines, saw ${commentLines}`);
  assert.ok(stringChars > 10000, `expected many string characters, saw ${stringChars}`);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});
