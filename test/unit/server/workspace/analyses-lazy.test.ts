// The engine reads a document's schema and analysis only when a feature asks for them: requests
// about Python files (code lenses, references) never parse their text as a prototxt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentStore, type DocumentSnapshot } from '../../../../server/src/documents';
import { Analyses } from '../../../../server/src/workspace/analyses';
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
