// The parser over the real-world corpus: no syntax error on any file protobuf accepts, and a syntax
// error on protobuf's own line for every mutant whose mistake is purely syntactic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '../../../../server/src/parser/parse';
import { LineIndex } from '../../../../server/src/util/ranges';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';
import { listFiles } from '../../../helpers/files';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

/**
 * Files with a syntax error on purpose, with the reason. ORACLE.tsv lists none today: every file
 * protobuf rejects fails on the schema (unknown field, bad value), not on the syntax.
 */
const SYNTAX_EXCEPTIONS = new Map<string, string>();

function readTsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const names = header.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((cell, i) => [names[i], cell])));
}

/** 1-based lines that carry a syntax error. */
function errorLines(text: string): Set<number> {
  const lines = new LineIndex(text);
  return new Set(parse(text).errors.map((e) => lines.positionAt(e.start).line + 1));
}

test('every corpus file parses without syntax errors (except listed ones)', skip, () => {
  const files = listFiles(path.join(corpus, 'files'));
  const oracle = new Map(readTsv(path.join(corpus, 'ORACLE.tsv')).map((r) => [r.path, r]));
  const failures: string[] = [];
  let clean = 0;
  for (const file of files) {
    const relative = path.relative(path.join(corpus, 'files'), file);
    const errors = parse(readFileSync(file, 'utf8')).errors;
    if (errors.length === 0) clean++;
    else if (!SYNTAX_EXCEPTIONS.has(relative)) {
      const verdict = oracle.get(relative)?.first_error_under_bvlc ?? 'not in ORACLE.tsv';
      failures.push(`${relative}: ${errors[0].message} (protobuf under bvlc: ${verdict || 'accepted'})`);
    }
  }
  console.log(
    `corpus: ${clean}/${files.length} files without syntax errors, ${SYNTAX_EXCEPTIONS.size} expected`,
  );
  assert.ok(files.length >= 700, `only ${files.length} corpus files found`);
  assert.deepEqual(failures, []);
});

test('syntax mutants get a syntax error on the line protobuf reports', skip, () => {
  const rows = readTsv(path.join(corpus, 'mutations/MUTATIONS.tsv'));
  const syntactic = rows.filter(
    (r) =>
      r.kind === 'unterminated_string' ||
      r.kind === 'garbage_token' ||
      (r.kind === 'unbalanced_brace' && /Expected identifier or number, got \}\.$/.test(r.oracle_message)),
  );
  const counts: Record<string, [number, number]> = {};
  const misses: string[] = [];
  for (const row of syntactic) {
    const text = readFileSync(path.join(corpus, 'mutations/files', row.path), 'utf8');
    const count = (counts[row.kind] ??= [0, 0]);
    count[1]++;
    const line = Number(row.oracle_line);
    if (errorLines(text).has(line)) count[0]++;
    else misses.push(`${row.path}: expected an error on line ${line} (${row.oracle_message})`);
  }
  const summary = Object.entries(counts).map(([kind, [hit, all]]) => `${kind} ${hit}/${all}`);
  console.log(`mutations on protobuf's line: ${summary.join(', ')}`);
  assert.deepEqual(misses, []);
  assert.equal(counts.unterminated_string?.[1], 30);
  assert.equal(counts.garbage_token?.[1], 30);
});

test('mutants with a deleted } report the unclosed block, or parse on to a schema-level error', skip, () => {
  const rows = readTsv(path.join(corpus, 'mutations/MUTATIONS.tsv')).filter(
    (r) => r.kind === 'unbalanced_brace' && r.change.startsWith('delete'),
  );
  let unclosed = 0;
  for (const row of rows) {
    const errors = parse(readFileSync(path.join(corpus, 'mutations/files', row.path), 'utf8')).errors;
    // The block stays open to the end of the file, as in protobuf; what protobuf then reports first
    // depends on the schema, so the parser's part is the unclosed block itself.
    assert.ok(
      errors.some((e) => /^Expected "}"/.test(e.message) && (e.related?.length ?? 0) > 0),
      `${row.path}: no unclosed-block problem`,
    );
    unclosed++;
  }
  console.log(`deleted-brace mutants reported as unclosed: ${unclosed}/${rows.length}`);
  assert.ok(rows.length > 0);
});

test(
  "schema-level mutants are syntactically clean (a scalar given a body errs on protobuf's line)",
  skip,
  () => {
    const schemaKinds = new Set(['misspelt_field', 'unknown_field', 'wrong_scalar_type', 'bad_enum']);
    for (const kind of ['duplicate_singular', 'message_as_scalar', 'out_of_range']) schemaKinds.add(kind);
    const rows = readTsv(path.join(corpus, 'mutations/MUTATIONS.tsv'));
    const failures: string[] = [];
    let checked = 0;
    for (const row of rows) {
      const text = readFileSync(path.join(corpus, 'mutations/files', row.path), 'utf8');
      if (schemaKinds.has(row.kind)) {
        checked++;
        const errors = parse(text).errors;
        if (errors.length > 0) failures.push(`${row.path}: ${errors[0].message}`);
      } else if (row.kind === 'scalar_as_message') {
        checked++;
        const lines = errorLines(text);
        if (lines.size > 0 && !lines.has(Number(row.oracle_line)))
          failures.push(`${row.path}: error off line`);
      }
    }
    console.log(
      `schema-level mutants without misplaced syntax errors: ${checked - failures.length}/${checked}`,
    );
    assert.deepEqual(failures, []);
  },
);
