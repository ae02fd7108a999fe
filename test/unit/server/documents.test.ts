// The document store: a tree handed in with the text is the document's tree (not parsed again);
// without one, the text is parsed when first asked for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentStore } from '../../../server/src/documents';
import { parse } from '../../../server/src/parser/parse';

const TEXT = 'name: "n"\nlayer { name: "a" type: "Python" python_param { module: "m" layer: "L" } }\n';

test('a document opened with its tree keeps that tree', () => {
  const store = new DocumentStore();
  const tree = parse(TEXT);
  const doc = store.open('file:///net.prototxt', 'prototxt', 1, TEXT, tree);
  assert.equal(doc.ast, tree);
  assert.equal(store.get('file:///net.prototxt')?.ast, tree);
});

test('a document opened without a tree parses its text on first use', () => {
  const store = new DocumentStore();
  const doc = store.open('file:///net.prototxt', 'prototxt', 1, TEXT);
  assert.deepEqual(doc.ast, parse(TEXT));
  assert.equal(doc.ast, doc.ast, 'parsed once');
});
