// A version made from the one before it (the tree and line index taken over from it, whatever else a
// version reuses) is analysed exactly as the same text opened afresh: random runs of keystrokes on
// real corpus nets, each version compared with a from-scratch analysis of its text, down to the
// diagnostics as published, the shapes, the outline and the folding ranges.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { DocumentStore } from '../../../../server/src/documents';
import { LineIndex } from '../../../../server/src/util/ranges';
import { prototxtDiagnostics } from '../../../../server/src/features/diagnostics/gather';
import { provideFoldingRanges } from '../../../../server/src/features/folding/folding';
import { provideDocumentSymbols } from '../../../../server/src/features/symbols/document-symbols';
import { createPythonParser } from '../../../../server/src/python/parser';
import type { AnalyzedDocument } from '../../../../server/src/workspace/analyses';
import { Analyses } from '../../../../server/src/workspace/analyses';
import { PythonWorkspace } from '../../../../server/src/workspace/python-workspace';
import { corpusDir, needs } from '../../../helpers/resources';

const python = new PythonWorkspace({ createParser: () => createPythonParser() });
const URI = 'file:///w/net.prototxt';

/** Every net and solver of the corpus, one in `step`, at most `count` of them. */
function corpusNets(step: number, count: number): string[] {
  const rows = readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8').split('\n').slice(1);
  return rows
    .map((row) => row.split('\t'))
    .filter(([rel, kind]) => rel && (kind === 'net' || kind === 'solver'))
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map(([rel]) => readFileSync(path.join(corpusDir, 'files', rel), 'utf8'));
}

/** What the editor shows for a version: everything compared between the two ways of making it. */
function shown(input: AnalyzedDocument) {
  const { analysis } = input;
  const shapes = [analysis.shapes.TRAIN, analysis.shapes.TEST].map(
    (result) =>
      result && {
        phase: result.phase,
        inputs: result.inputs,
        layers: result.layers.map((l) => ({ ...l, layer: l.layer.name })),
        totals: result.totals,
      },
  );
  return {
    ast: input.doc.ast,
    lines: Array.from({ length: input.doc.lines.lineCount }, (_, i) => input.doc.lines.lineStart(i)),
    diagnostics: analysis.diagnostics,
    published: prototxtDiagnostics(input, python),
    shapes,
    outline: provideDocumentSymbols(input),
    folding: provideFoldingRanges(input),
  };
}

/**
 * A keystroke: where (a fraction of the text; then, now and then, moved into the next value written
 * after a colon, or into the next number that shapes are made of) and what.
 */
const keystroke = fc.record({
  at: fc.noBias(fc.nat(999_999)),
  into: fc.constantFrom('anywhere', 'value', 'shape', 'shape'),
  remove: fc.nat(2),
  // A version the editor sends and nothing reads before the next one (typing faster than the pause).
  unread: fc.boolean(),
  // Mostly what keeps the tree clean (a letter, a digit), now and then what breaks it or adds a field.
  insert: fc.oneof(
    { weight: 7, arbitrary: fc.constantFrom('', 'x', '1', '0', '2', ' ', '-', '.5') },
    { weight: 1, arbitrary: fc.constantFrom('\n', '"', '{', '}', '#', 'x: 1 ') },
  ),
});

const SHAPE_NUMBER = /\b(?:num_output|kernel_size|kernel_h|stride|pad|dim|axis|group|batch_size): \d/g;

/** Where `into` moves an offset. */
function target(text: string, offset: number, into: string): number {
  if (into === 'value') {
    const colon = text.indexOf(': ', offset);
    return colon < 0 ? offset : Math.min(text.length, colon + 3);
  }
  if (into === 'shape') {
    SHAPE_NUMBER.lastIndex = offset;
    const found = SHAPE_NUMBER.exec(text) ?? ((SHAPE_NUMBER.lastIndex = 0), SHAPE_NUMBER.exec(text));
    // Before the number's first digit or after it.
    return found ? found.index + found[0].length - 1 + (offset % 2) : offset;
  }
  return offset;
}

test('versions made from the one before are analysed as the same text opened afresh', needs('corpus'), () => {
  const nets = corpusNets(9, 80).filter((t) => t.length > 200);
  let incremental = 0;
  let versions = 0;
  fc.assert(
    fc.property(fc.nat(nets.length - 1), fc.array(keystroke, { minLength: 1, maxLength: 6 }), (n, keys) => {
      const documents = new DocumentStore();
      const analyses = new Analyses(documents);
      let doc = documents.open(URI, 'prototxt', 1, nets[n]);
      shown(analyses.analyzedDoc(doc));
      let read = doc;
      for (const key of keys) {
        const text = doc.text;
        const offset = target(text, Math.floor((key.at / 1_000_000) * text.length), key.into);
        // Positions found apart from the version, which must stay unread when the key says so.
        const lines = new LineIndex(text);
        const start = lines.positionAt(offset);
        const end = lines.positionAt(Math.min(text.length, offset + key.remove));
        doc = documents.change(URI, doc.version + 1, [{ range: { start, end }, text: key.insert }])!;
        if (key.unread && key !== keys[keys.length - 1]) continue;
        const edited = shown(analyses.analyzedDoc(doc));
        versions++;
        // A field before the edit kept as it was: the tree was made from the last one read.
        if (doc.ast.fields.some((f, i) => f === read.ast.fields[i])) incremental++;
        read = doc;
        const fresh = new DocumentStore();
        const afresh = shown(new Analyses(fresh).analyzedDoc(fresh.open(URI, 'prototxt', 1, doc.text)));
        assert.deepEqual(edited, afresh);
      }
    }),
    { numRuns: 80 },
  );
  assert.ok(incremental > versions / 8, `only ${incremental} of ${versions} versions reused the tree before`);
});
