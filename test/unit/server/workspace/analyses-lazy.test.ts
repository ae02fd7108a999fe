// The engine reads a document's schema and analysis only when a feature asks for them: requests
// about Python files (code lenses, references) never parse their text as a prototxt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentStore, type DocumentSnapshot } from '../../../../server/src/documents';
import { Analyses, DerivedResult } from '../../../../server/src/workspace/analyses';
import type { SchemaForDocument } from '../../../../server/src/workspace/schema-provider';

class CountingAnalyses extends Analyses {
  schemaLookups = 0;
  override schemaFor(doc: DocumentSnapshot): SchemaForDocument {
    this.schemaLookups++;
    return super.schemaFor(doc);
  }
}

test('a Python document is looked up without a schema or a prototxt analysis', () => {
  const documents = new DocumentStore();
  const analyses = new CountingAnalyses(documents);
  documents.open('file:///w/layers.py', 'python', 1, 'import caffe\nclass A(caffe.Layer):\n    pass\n');
  const found = analyses.analyzed('file:///w/layers.py');
  assert.equal(found?.doc.languageId, 'python');
  assert.equal(analyses.schemaLookups, 0);
});

test('a prototxt analysis is made on first read and kept for the version', () => {
  const documents = new DocumentStore();
  const analyses = new CountingAnalyses(documents);
  documents.open('file:///w/net.prototxt', 'prototxt', 1, 'name: "n"\nlayer { name: "a" type: "ReLU" }\n');
  const first = analyses.analyzed('file:///w/net.prototxt');
  assert.equal(analyses.schemaLookups, 0);
  assert.equal(first?.analysis.topMessage.name, 'caffe.NetParameter');
  assert.equal(first?.analysis, first?.analysis);
  assert.equal(analyses.analyzed('file:///w/net.prototxt'), first);
  assert.equal(analyses.schemaLookups, 1);
});

test('a derived result is made once per version and made again after an edit or new settings', () => {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const uri = 'file:///w/net.prototxt';
  documents.open(uri, 'prototxt', 1, 'layer { name: "a" type: "ReLU" }\n');
  const LAYERS = new DerivedResult<string[]>('layer names');
  let made = 0;
  const names = () =>
    analyses.analyzed(uri)!.derived(LAYERS, () => {
      made++;
      return analyses.analyzed(uri)!.analysis.net!.layers.map((l) => l.name);
    });
  const first = names();
  assert.deepEqual(first, ['a']);
  assert.equal(names(), first);
  assert.equal(made, 1);
  documents.change(uri, 2, [{ text: 'layer { name: "b" type: "ReLU" }\n' }]);
  assert.deepEqual(names(), ['b']);
  assert.equal(made, 2);
  analyses.configure(analyses.settings);
  names();
  assert.equal(made, 3);
  // Another kind of result is kept apart.
  const COUNT = new DerivedResult<number>('layer count');
  assert.equal(
    analyses.analyzed(uri)!.derived(COUNT, () => 1),
    1,
  );
  assert.deepEqual(names(), ['b']);
  assert.equal(made, 3);
});

test('a carried result is handed to the next version analysed, once, and not across new settings', () => {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const uri = 'file:///w/net.prototxt';
  documents.open(uri, 'prototxt', 1, 'name: "n"\n');
  const TEXTS = new DerivedResult<string>('texts so far', true);
  const handed: (string | undefined)[] = [];
  const texts = () =>
    analyses.analyzed(uri)!.derivedAfter(TEXTS, (before) => {
      handed.push(before);
      return `${before ?? ''}|${analyses.analyzed(uri)!.doc.text.trim()}`;
    });
  assert.equal(texts(), '|name: "n"');
  assert.equal(texts(), '|name: "n"', 'made once per version');
  documents.change(uri, 2, [{ text: 'name: "m"\n' }]);
  // Version 3 follows a version nothing asked about: it is handed version 1's result.
  documents.change(uri, 3, [{ text: 'name: "k"\n' }]);
  assert.equal(texts(), '|name: "n"|name: "k"');
  analyses.configure(analyses.settings);
  assert.equal(texts(), '|name: "k"', 'new settings start over');
  assert.deepEqual(handed, [undefined, '|name: "n"', undefined]);
});
