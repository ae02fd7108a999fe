// The engine reads a document's schema and analysis only when a feature asks for them: requests
// about Python files (code lenses, references) never parse their text as a prototxt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentStore, type ProtoDocument } from '../../../server/src/documents';
import { Engine } from '../../../server/src/workspace/engine';
import type { SchemaForDocument } from '../../../server/src/workspace/schema-provider';

class CountingEngine extends Engine {
  schemaLookups = 0;
  override schemaFor(doc: ProtoDocument): SchemaForDocument {
    this.schemaLookups++;
    return super.schemaFor(doc);
  }
}

test('a Python document is looked up without a schema or a prototxt analysis', () => {
  const documents = new DocumentStore();
  const engine = new CountingEngine(documents);
  documents.open('file:///w/layers.py', 'python', 1, 'import caffe\nclass A(caffe.Layer):\n    pass\n');
  const found = engine.analyzed('file:///w/layers.py');
  assert.equal(found?.doc.languageId, 'python');
  assert.equal(engine.schemaLookups, 0);
});

test('a prototxt analysis is made on first read and kept for the version', () => {
  const documents = new DocumentStore();
  const engine = new CountingEngine(documents);
  documents.open('file:///w/net.prototxt', 'prototxt', 1, 'name: "n"\nlayer { name: "a" type: "ReLU" }\n');
  const first = engine.analyzed('file:///w/net.prototxt');
  assert.equal(engine.schemaLookups, 0);
  assert.equal(first?.analysis.topMessage.name, 'caffe.NetParameter');
  assert.equal(first?.analysis, first?.analysis);
  assert.equal(engine.analyzed('file:///w/net.prototxt'), first);
  assert.equal(engine.schemaLookups, 1);
});
