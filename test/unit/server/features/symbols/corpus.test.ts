// Navigation and structure over every file of ../shared/corpus (see its README): symbols nest and
// list every layer, folds are well formed, selection chains grow strictly, every bottom that reads an
// earlier blob has a definition, and renaming a blob gives the same net with the name replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentSymbol, Position, SelectionRange } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { indexNames } from '../../../../../server/src/analysis/model/names';
import { provideDefinition } from '../../../../../server/src/features/definition/definition';
import { provideDocumentSymbols } from '../../../../../server/src/features/symbols/document-symbols';
import { provideFoldingRanges } from '../../../../../server/src/features/folding/folding';
import { nameReferences } from '../../../../../server/src/features/references/references';
import { provideRename } from '../../../../../server/src/features/rename/rename';
import { provideSelectionRanges } from '../../../../../server/src/features/selection-ranges/selection-ranges';
import { DocumentStore } from '../../../../../server/src/documents';
import type { AnalyzedDocument } from '../../../../../server/src/features/context';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { FULL_CLIENT } from '../../../../helpers/analyzed-document';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');
const uri = 'file:///corpus/net.prototxt';

/** One engine for the whole corpus (as the server has), so the bundled schemas load once. */
function analyzer(): (text: string) => AnalyzedDocument {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.client = FULL_CLIENT;
  analyses.configure(DEFAULT_SETTINGS, []);
  let version = 0;
  return (text) => analyses.analyzedDoc(documents.open(uri, 'prototxt', ++version, text));
}

function corpusFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? corpusFiles(full) : e.name.endsWith('.prototxt') ? [full] : [];
  });
}

const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

function checkSymbols(list: DocumentSymbol[], where: string, parent?: DocumentSymbol): number {
  let count = 0;
  for (const s of list) {
    assert.ok(s.name.length > 0, where);
    assert.ok(le(s.range.start, s.selectionRange.start) && le(s.selectionRange.end, s.range.end), where);
    if (parent) assert.ok(le(parent.range.start, s.range.start) && le(s.range.end, parent.range.end), where);
    count += 1 + checkSymbols(s.children ?? [], where, s);
  }
  return count;
}

/** The net's layers with their blob names; `rename` maps one blob name of one scope, as a rename should. */
function blobShape(
  analyzed: (text: string) => AnalyzedDocument,
  text: string,
  rename?: { scope: number; from: string; to: string },
): string[] {
  const index = indexNames(analyzed(text).analysis);
  return index.scopes.flatMap((s, scope) => {
    const blob = (name: string) =>
      rename && rename.scope === scope && rename.from === name ? rename.to : name;
    return s.net.layers.map(
      (l) =>
        `${scope} ${l.name}: ${l.bottoms.map((b) => blob(b.name)).join(',')} -> ${l.tops.map((t) => blob(t.name)).join(',')}`,
    );
  });
}

test('navigation and structure hold on every corpus file', skip, () => {
  const files = corpusFiles(path.join(corpus, 'files'));
  assert.ok(files.length > 700);
  const analyzed = analyzer();
  let definitions = 0;
  let renames = 0;
  for (const file of files) {
    const where = path.relative(corpus, file);
    const text = fs.readFileSync(file, 'utf8');
    const input = analyzed(text);
    const lines = input.doc.lines;

    const symbols = provideDocumentSymbols(input);
    checkSymbols(symbols, where);
    const net = input.analysis.net;
    if (net) assert.equal(symbols.filter((s) => s.name.endsWith(')')).length, net.layers.length, where);

    for (const fold of provideFoldingRanges(input)) {
      assert.ok(fold.startLine < fold.endLine && fold.endLine < lines.lineCount, where);
    }

    const middle = lines.positionAt(Math.floor(text.length / 2));
    let range: SelectionRange | undefined = provideSelectionRanges(input, {
      textDocument: { uri },
      positions: [middle],
    })[0];
    let previous = -1;
    for (; range; range = range.parent) {
      const size = lines.offsetAt(range.range.end) - lines.offsetAt(range.range.start);
      assert.ok(size > previous, where);
      previous = size;
    }
    assert.equal(previous, text.length, where);

    const index = indexNames(input.analysis);
    const occurrences = index.scopes.flatMap((s) => s.occurrences);
    const undefinedBottoms = new Set(
      input.analysis.diagnostics.filter((d) => d.code === 'undefined-bottom').map((d) => d.start),
    );
    // Each definition reads the whole net: a sample of bottoms per file keeps the test quick.
    const bottoms = occurrences.filter((o) => o.role === 'bottom' && !undefinedBottoms.has(o.value.start));
    const step = Math.max(1, Math.ceil(bottoms.length / 12));
    for (const occ of bottoms.filter((_, i) => i % step === 0)) {
      const position = lines.positionAt(occ.value.start + 1);
      const targets = provideDefinition(input, { textDocument: { uri }, position }) ?? [];
      assert.ok(targets.length > 0, `${where}: no definition for bottom "${occ.name}"`);
      definitions++;
    }

    const first = occurrences.find((o) => o.kind === 'blob');
    if (!first) continue;
    const position = lines.positionAt(first.value.start + 1);
    const refs = nameReferences(input, first.value.start + 1, true);
    assert.ok(
      refs?.some((r) => lines.offsetAt(r.range.start) === first.value.start),
      where,
    );
    const fresh = `${first.name}_renamed`;
    if (occurrences.some((o) => o.name === fresh)) continue;
    const edit = provideRename(input, { textDocument: { uri }, position, newName: fresh });
    const after = TextDocument.applyEdits(
      TextDocument.create(uri, 'prototxt', 1, text),
      edit.changes?.[uri] ?? [],
    );
    const replaced = blobShape(analyzed, text, { scope: first.scope, from: first.name, to: fresh });
    assert.deepEqual(blobShape(analyzed, after), replaced, where);
    renames++;
  }
  assert.ok(definitions > 3000, `only ${definitions} bottoms checked`);
  assert.ok(renames > 500, `only ${renames} renames checked`);
});
