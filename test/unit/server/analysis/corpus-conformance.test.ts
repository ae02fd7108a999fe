// Conformance with protobuf's own verdicts over ../shared/corpus (see its README):
// - every file some schema accepts has no error under its first accepting schema (read from the
//   corpus's caffe.proto at run time);
// - every file no schema accepts gets at least one error (checked under BVLC's caffe.proto);
// - every mutant has an error on the line where protobuf reports its first error;
// - policy: under the bundled BVLC schema with the bundled forks, accepted files get no errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze, type AnalyzeOptions } from '../../../../server/src/analysis/analyze';
import type { AnalysisDiagnostic } from '../../../../server/src/analysis/diagnostic';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';
import type { Schema } from '../../../../server/src/schema/schema';
import { schemaFromProtoText } from '../../../../server/src/schema/user-proto';
import { LineIndex } from '../../../../server/src/util/ranges';
import { bundledForkSchemas } from '../../../../server/src/workspace/bundled-choices';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

interface Row {
  [column: string]: string;
}

function readTsv(file: string): Row[] {
  const [header, ...lines] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const names = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

function userSchema(name: string, cache: Map<string, Schema>): Schema {
  let schema = cache.get(name);
  if (!schema) {
    const file = path.join(corpus, 'schemas', name, 'caffe.proto');
    const read = schemaFromProtoText(fs.readFileSync(file, 'utf8'), file);
    assert.deepEqual(read.errors, [], `${file} reads without errors`);
    schema = read.schema;
    cache.set(name, schema);
  }
  return schema;
}

function errorsOf(text: string, options: AnalyzeOptions): AnalysisDiagnostic[] {
  return analyze(text, parse(text), options).diagnostics.filter((d) => d.severity === 'error');
}

function describe(file: string, text: string, errors: AnalysisDiagnostic[]): string {
  const lines = new LineIndex(text);
  return errors
    .slice(0, 3)
    .map((d) => {
      const p = lines.positionAt(d.start);
      return `${file}:${p.line + 1}:${p.character + 1}: ${d.message} [${d.code}]`;
    })
    .join('\n');
}

test('corpus conformance with protobuf', skip, () => {
  const started = performance.now();
  const schemas = new Map<string, Schema>();
  const rows = readTsv(path.join(corpus, 'ORACLE.tsv'));
  let accepted = 0;
  let clean = 0;
  let rejected = 0;
  let flagged = 0;
  let bytes = 0;
  const failures: string[] = [];
  for (const row of rows) {
    const file = path.join(corpus, 'files', row.path);
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    const first = row.accepted_by.split(',').filter((s) => s !== '')[0];
    const schema = userSchema(first ?? 'bvlc', schemas);
    const errors = errorsOf(text, { schema, schemaKind: 'user' });
    if (first !== undefined) {
      accepted++;
      if (errors.length === 0) clean++;
      else failures.push(`accepted by ${first} but flagged:\n${describe(row.path, text, errors)}`);
    } else {
      rejected++;
      if (errors.length > 0) flagged++;
      else failures.push(`rejected by every schema but clean: ${row.path}`);
    }
  }

  const mutations = readTsv(path.join(corpus, 'mutations', 'MUTATIONS.tsv'));
  const bvlc = userSchema('bvlc', schemas);
  let onLine = 0;
  for (const row of mutations) {
    const text = fs.readFileSync(path.join(corpus, 'mutations', 'files', row.path), 'utf8');
    bytes += text.length;
    const errors = errorsOf(text, { schema: bvlc, schemaKind: 'user' });
    const lines = new LineIndex(text);
    const line = Number(row.oracle_line);
    if (errors.some((d) => lines.positionAt(d.start).line + 1 === line)) onLine++;
    else {
      const got = describe(row.path, text, errors) || 'no error';
      failures.push(
        `mutation ${row.path} (${row.kind}, ${row.change}): protobuf says line ${line}: ${row.oracle_message}\n  got ${got}`,
      );
    }
  }
  const seconds = (performance.now() - started) / 1000;

  console.log(
    `corpus: ${clean}/${accepted} clean, ${flagged}/${rejected} flagged, mutations ${onLine}/${mutations.length}`,
  );
  console.log(`corpus: ${(bytes / 1e6).toFixed(1)} MB parsed and checked in ${seconds.toFixed(2)} s`);
  assert.equal(accepted, 751, 'accepted files in ORACLE.tsv');
  assert.equal(rejected, 11, 'rejected files in ORACLE.tsv');
  assert.equal(mutations.length, 300, 'mutants in MUTATIONS.tsv');
  assert.deepEqual(failures.slice(0, 20), []);
});

test(
  'policy: under bundled BVLC with the bundled forks, accepted files get no errors, fork-only ones a warning to choose a fork',
  skip,
  () => {
    const options: AnalyzeOptions = {
      schema: loadBundledSchema(),
      schemaKind: 'bundled',
      forks: bundledForkSchemas(),
    };
    const rows = readTsv(path.join(corpus, 'ORACLE.tsv')).filter((r) => r.accepted_by !== '');
    let clean = 0;
    let forkOnly = 0;
    let forkOnlyWarned = 0;
    const failures: string[] = [];
    for (const row of rows) {
      const text = fs.readFileSync(path.join(corpus, 'files', row.path), 'utf8');
      const diagnostics = analyze(text, parse(text), options).diagnostics;
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length === 0) clean++;
      else failures.push(describe(row.path, text, errors));
      if (!row.accepted_by.split(',').includes('bvlc')) {
        forkOnly++;
        // A warning that names the forks to choose from: of a field (fork-field) or of a layer type.
        const toFork = (d: AnalysisDiagnostic) => d.code === 'fork-field' || (d.forks?.length ?? 0) > 0;
        if (diagnostics.some((d) => d.severity === 'warning' && toFork(d))) forkOnlyWarned++;
        else failures.push(`${row.path}: no warning names a fork`);
      }
    }
    console.log(
      `corpus under bundled BVLC: ${clean}/${rows.length} without errors; ${forkOnlyWarned}/${forkOnly} fork-only files warned to choose a fork`,
    );
    assert.deepEqual(failures.slice(0, 20), []);
  },
);
