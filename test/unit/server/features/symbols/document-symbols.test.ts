import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { DocumentStore } from '../../../../../server/src/documents';
import {
  documentOutline,
  MAX_OUTLINE_ITEMS,
  provideDocumentSymbols,
} from '../../../../../server/src/features/symbols/document-symbols';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { featureInputFor } from '../../../../helpers/analyzed-document';

function symbols(text: string): DocumentSymbol[] {
  return provideDocumentSymbols(featureInputFor(text));
}

const KINDS = new Map<number, string>(Object.entries(SymbolKind).map(([name, kind]) => [kind, name]));

/** name [detail] and children, indented, for compact comparisons. */
function outline(list: DocumentSymbol[], depth = 0): string[] {
  return list.flatMap((s) => [
    `${'  '.repeat(depth)}${s.name}${s.detail ? ` [${s.detail}]` : ''} ${KINDS.get(s.kind) ?? s.kind}`,
    ...outline(s.children ?? [], depth + 1),
  ]);
}

/** Every selection range lies inside its range, and children inside their parent. */
function assertNested(list: DocumentSymbol[], parent?: DocumentSymbol): void {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const s of list) {
    assert.ok(s.name.length > 0);
    assert.ok(
      before(s.range.start, s.selectionRange.start) && before(s.selectionRange.end, s.range.end),
      s.name,
    );
    if (parent)
      assert.ok(before(parent.range.start, s.range.start) && before(s.range.end, parent.range.end), s.name);
    assertNested(s.children ?? [], s);
  }
}

const NET = `name: "LeNet"
input: "extra"
input_shape { dim: 1 dim: 3 }
layer {
  name: "data"
  type: "Data"
  top: "data"
  include { phase: TRAIN }
}
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "data"
  top: "conv1"
  convolution_param { num_output: 20 kernel_size: 5 }
}
layer { type: "ReLU" bottom: "conv1" top: "conv1" }
`;

test('a net: its name, inputs and layers as name (Type) with blobs and param blocks', () => {
  const list = symbols(NET);
  assert.deepEqual(outline(list), [
    'LeNet [net name] Module',
    'extra [input 1×3] Variable',
    'data (Data) [data · TRAIN] Function',
    '  data [top] Variable',
    'conv1 (Convolution) [conv1] Function',
    '  data [bottom] Variable',
    '  conv1 [top] Variable',
    '  convolution_param Object',
    '(unnamed) (ReLU) [conv1] Function',
    '  conv1 [bottom] Variable',
    '  conv1 [top] Variable',
  ]);
  assertNested(list);
  const conv = list[3];
  assert.deepEqual(conv.range, { start: { line: 9, character: 0 }, end: { line: 15, character: 1 } });
  assert.deepEqual(conv.selectionRange, {
    start: { line: 10, character: 8 },
    end: { line: 10, character: 15 },
  });
  // The unnamed layer selects its `layer` keyword.
  assert.deepEqual(list[4].selectionRange, {
    start: { line: 16, character: 0 },
    end: { line: 16, character: 5 },
  });
});

test('V1 and V0 layers show the V2 type', () => {
  const v1 = 'layers { name: "c" type: CONVOLUTION bottom: "d" top: "c" }\n';
  assert.deepEqual(outline(symbols(v1)).slice(0, 1), ['c (Convolution) [c] Function']);
  const v0 = 'layers { layer { name: "p" type: "pool" } bottom: "c" top: "p" }\n';
  const list = symbols(v0);
  assert.deepEqual(outline(list).slice(0, 1), ['p (Pooling) [p] Function']);
  assertNested(list);
});

test('a solver: fields as properties, an embedded net as its layers', () => {
  const solver = `net: "train_val.prototxt"
base_lr: 0.01
lr_policy: "step"
stepvalue: [100, 200]
train_state { stage: "a" }
test_net_param { name: "t" layer { name: "d" type: "Input" top: "x" } }
`;
  const list = symbols(solver);
  assert.deepEqual(outline(list), [
    'net [train_val.prototxt] Property',
    'base_lr [0.01] Property',
    'lr_policy [step] Property',
    'stepvalue [[100, 200]] Property',
    'train_state Property',
    '  stage [a] Property',
    'test_net_param [t] Module',
    '  t [net name] Module',
    '  d (Input) [x] Function',
    '    x [top] Variable',
  ]);
  assertNested(list);
});

test('a label map lists items by name and display name', () => {
  const text =
    'item { name: "none_of_the_above" label: 0 display_name: "background" }\nitem { name: "n1" label: 1 }\n';
  const list = symbols(text);
  assert.deepEqual(
    outline(list).filter((l) => !l.startsWith(' ')),
    ['item [none_of_the_above (background)] Object', 'item [n1] Object'],
  );
  assertNested(list);
});

test('broken files and CRLF still give a consistent outline', () => {
  const crlf = NET.replace(/\n/g, '\r\n');
  const list = symbols(crlf);
  assert.equal(list.length, 5);
  assert.deepEqual(list[3].range.end, { line: 15, character: 1 });
  assertNested(list);
  for (const broken of [
    'layer { name: "a" type: "ReLU" bottom: ',
    'layer { name { } top: "x" }\nlayer {',
    'layer { name: "" }',
    '}}}',
    '',
  ]) {
    assertNested(symbols(broken));
  }
  assert.deepEqual(outline(symbols('layer { name: "" }')), ['(unnamed) (?) Function']);
});

test('a layer lists its blobs and parameter blocks, not the fields inside the blocks', () => {
  const text = `layer {
  name: "conv"
  type: "Convolution"
  bottom: "data"
  top: "conv"
  param { lr_mult: 1 }
  include { phase: TRAIN }
  convolution_param {
    num_output: 64
    weight_filler { type: "msra" }
  }
  batch_norm_param { eps: 1e-5 }
}
`;
  assert.deepEqual(outline(symbols(text)), [
    'conv (Convolution) [conv · TRAIN] Function',
    '  data [bottom] Variable',
    '  conv [top] Variable',
    '  convolution_param Object',
    '  batch_norm_param Object',
  ]);
});

/** A chain of `n` ReLU layers, each with one bottom and one top. */
function chain(n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `layer { name: "l${i}" type: "ReLU" bottom: "b${i}" top: "b${i + 1}" }\n`,
  ).join('');
}

test('past the limit the outline lists the upper levels first and says what it left out', () => {
  const input = featureInputFor(chain(10));
  const five = documentOutline(input, 5);
  assert.deepEqual(
    outline(five).map((l) => l.replace(/ \[.*\]/, '')),
    [
      'l0 (ReLU) Function',
      'l1 (ReLU) Function',
      'l2 (ReLU) Function',
      'l3 (ReLU) Function',
      'l4 (ReLU) Function',
      '… 5 more not listed Null',
    ],
  );
  // The last item leads to the first layer left out.
  assert.equal(five[5].range.start.line, 5);
  assert.equal(five[5].selectionRange.start.line, 5);
  // Twelve: every layer, then the first layer's two blobs; the other 18 blobs are counted.
  const twelve = documentOutline(input, 12);
  assert.equal(twelve.length, 11);
  assert.deepEqual(
    twelve[0].children?.map((c) => c.name),
    ['b0', 'b1'],
  );
  assert.ok(twelve.slice(1, 10).every((s) => s.children === undefined));
  assert.equal(twelve[10].name, '… 18 more not listed');
  // Under the limit nothing is added.
  assert.equal(documentOutline(input, 30).length, 10);
  assertNested(twelve);
});

test('the outline of a large net stops at the limit', () => {
  const list = provideDocumentSymbols(featureInputFor(chain(MAX_OUTLINE_ITEMS + 100)));
  assert.equal(list.length, MAX_OUTLINE_ITEMS + 1);
  assert.equal(list.at(-1)?.name, '… 100 more not listed');
});

test('the outline is made once per document version', () => {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const uri = 'file:///work/outline.prototxt';
  const v1 = documents.open(uri, 'prototxt', 1, chain(3));
  const first = provideDocumentSymbols(analyses.analyzedDoc(v1));
  assert.equal(provideDocumentSymbols(analyses.analyzedDoc(v1)), first, 'the same answer, not made again');
  const v2 = documents.change(uri, 2, [{ text: chain(4) }])!;
  const second = provideDocumentSymbols(analyses.analyzedDoc(v2));
  assert.notEqual(second, first);
  assert.equal(second.length, 4);
});

test("the next version's outline takes over the symbols of the layers an edit left where they were", () => {
  const layer = (name: string) =>
    `layer {\n  name: "${name}"\n  type: "ReLU"\n  bottom: "x"\n  top: "x"\n}\n`;
  const text = `name: "n"\n${layer('a')}${layer('b')}${layer('c')}`;
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const uri = 'file:///w/net.prototxt';
  const first = provideDocumentSymbols(analyses.analyzedDoc(documents.open(uri, 'prototxt', 1, text)));
  const afresh = (edited: string) => {
    const store = new DocumentStore();
    return provideDocumentSymbols(new Analyses(store).analyzedDoc(store.open(uri, 'prototxt', 1, edited)));
  };
  // A longer name in layer b: layer c moves in offsets only, its lines and characters stay.
  const renamed = text.replace('"b"', '"bb"');
  const at = documents.get(uri)!.lines.positionAt(text.indexOf('"b"') + 1);
  const second = provideDocumentSymbols(
    analyses.analyzedDoc(documents.change(uri, 2, [{ range: { start: at, end: at }, text: 'b' }])!),
  );
  assert.deepEqual(second, afresh(renamed));
  assert.equal(second[1], first[1], 'layer a taken over');
  assert.notEqual(second[2], first[2], 'layer b made again');
  assert.equal(second[3], first[3], 'layer c taken over: its lines and characters are the same');
  // A line added above layer c: it is made again, on its new lines.
  const cAt = documents.get(uri)!.lines.positionAt(renamed.lastIndexOf('layer {'));
  const third = provideDocumentSymbols(
    analyses.analyzedDoc(documents.change(uri, 3, [{ range: { start: cAt, end: cAt }, text: '\n' }])!),
  );
  assert.deepEqual(third, afresh(documents.get(uri)!.text));
  assert.equal(third[2], second[2]);
  assert.notEqual(third[3], second[3]);
  assert.equal(third[3].range.start.line, second[3].range.start.line + 1);
});

test("a solver's embedded net takes over its layers' symbols the same way", () => {
  const layer = (name: string) =>
    `  layer {\n    name: "${name}"\n    type: "ReLU"\n    bottom: "x"\n    top: "x"\n  }\n`;
  const text = `base_lr: 0.1\nnet_param {\n${layer('a')}${layer('b')}}\nmax_iter: 10\n`;
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const uri = 'file:///w/solver.prototxt';
  const first = provideDocumentSymbols(analyses.analyzedDoc(documents.open(uri, 'prototxt', 1, text)));
  const at = documents.get(uri)!.lines.positionAt(text.indexOf('"a"') + 1);
  const second = provideDocumentSymbols(
    analyses.analyzedDoc(documents.change(uri, 2, [{ range: { start: at, end: at }, text: 'z' }])!),
  );
  const store = new DocumentStore();
  const edited = text.replace('"a"', '"za"');
  assert.deepEqual(
    second,
    provideDocumentSymbols(new Analyses(store).analyzedDoc(store.open(uri, 'prototxt', 1, edited))),
  );
  const net = (list: DocumentSymbol[]) => list.find((s) => s.name === 'net_param')!.children!;
  assert.notEqual(net(second)[0], net(first)[0], 'layer a made again');
  assert.equal(net(second)[1], net(first)[1], 'layer b taken over');
});
