import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError, type TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  invalidName,
  providePrepareRename,
  provideRename,
} from '../../../../../server/src/features/rename/rename';
import { featureInputAt } from '../../../../helpers/analyzed-document';

const uri = 'file:///work/test/net.prototxt';

/** The document text after renaming what the cursor is on. */
function renamed(marked: string, newName: string): string {
  const { input, position } = featureInputAt(marked);
  const edit = provideRename(input, { textDocument: { uri }, position, newName });
  const edits: TextEdit[] = edit.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'prototxt', 1, input.doc.text), edits);
}

function refusal(marked: string, newName: string): string {
  const { input, position } = featureInputAt(marked);
  try {
    provideRename(input, { textDocument: { uri }, position, newName });
  } catch (e) {
    assert.ok(e instanceof ResponseError);
    return e.message;
  }
  assert.fail('expected the rename to be refused');
}

const NET = `layer { name: "data" type: "Data" top: "data" top: 'label' }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" param { name: "conv" } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "conv" bottom: "label" }
`;

test('renaming a blob rewrites every top and bottom, and nothing else', () => {
  const out = renamed(NET.replace('bottom: "conv" top', 'bottom: "c<|>onv" top'), 'features');
  assert.equal(
    out,
    `layer { name: "data" type: "Data" top: "data" top: 'label' }
layer { name: "conv" type: "Convolution" bottom: "data" top: "features" param { name: "conv" } }
layer { name: "relu" type: "ReLU" bottom: "features" top: "features" }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "features" bottom: "label" }
`,
  );
});

test('renaming a layer touches its name only; quote style is kept', () => {
  const out = renamed(NET.replace('name: "conv" type', 'name: "conv<|>" type'), 'conv1');
  assert.match(out, /name: "conv1" type: "Convolution" bottom: "data" top: "conv" param \{ name: "conv" \}/);
  const label = renamed(NET.replace(`top: 'label'`, `top: 'la<|>bel'`), 'lbl');
  assert.match(label, /top: 'lbl' }/);
  assert.match(label, /bottom: "lbl"/);
});

test('a backslash in the new name is escaped; the old escapes disappear', () => {
  const text =
    'layer { name: "a" type: "Input" top: "x\\x31" }\nlayer { name: "b" type: "ReLU" bottom: "x<|>1" top: "y" }\n';
  assert.equal(
    renamed(text, 'x\\2'),
    'layer { name: "a" type: "Input" top: "x\\\\2" }\nlayer { name: "b" type: "ReLU" bottom: "x\\\\2" top: "y" }\n',
  );
});

test('adjacent literals and bare identifiers become one literal', () => {
  const text =
    'layer { name: "a" type: "Input" top: "da" \'ta\' }\nlayer { name: "b" type: "ReLU" bottom: da<|>ta top: "y" }\n';
  assert.equal(
    renamed(text, 'img'),
    'layer { name: "a" type: "Input" top: "img" }\nlayer { name: "b" type: "ReLU" bottom: img top: "y" }\n',
  );
  assert.match(renamed(text, 'a/b'), /bottom: "a\/b"/);
});

test('invalid names are refused with a reason', () => {
  const marked = NET.replace('bottom: "label"', 'bottom: "la<|>bel"');
  assert.match(refusal(marked, ''), /empty/);
  assert.match(refusal(marked, 'a"b'), /quotes/);
  assert.match(refusal(marked, "a'b"), /quotes/);
  assert.match(refusal(marked, 'a\nb'), /line breaks/);
  assert.match(refusal(marked, 'a b'), /whitespace/);
  assert.match(refusal(marked, 'a\tb'), /whitespace/);
  assert.match(refusal(marked, 'a\x01b'), /control/);
  assert.equal(invalidName('conv1/3x3_reduce'), undefined);
});

test('a name that another blob or layer already has is refused', () => {
  assert.match(
    refusal(NET.replace('bottom: "label"', 'bottom: "la<|>bel"'), 'data'),
    /blob named "data" already exists/,
  );
  assert.match(
    refusal(NET.replace('name: "relu"', 'name: "re<|>lu"'), 'loss'),
    /layer named "loss" already exists/,
  );
  // A layer may take a blob's name: they are different namespaces.
  assert.match(
    renamed(NET.replace('name: "relu"', 'name: "re<|>lu"'), 'label'),
    /name: "label" type: "ReLU"/,
  );
});

test('positions without a name are refused; the same name is a no-op', () => {
  assert.match(refusal(NET.replace('type: "ReLU"', 'type: "Re<|>LU"'), 'x'), /Only a blob name/);
  assert.equal(renamed(NET.replace('bottom: "label"', 'bottom: "la<|>bel"'), 'label'), NET);
});

test('prepareRename selects the text inside the quotes and offers the name', () => {
  const { input, position } = featureInputAt(NET.replace('name: "relu"', 'name: "r<|>elu"'));
  const prep = providePrepareRename(input, { textDocument: { uri }, position });
  assert.deepEqual(prep, {
    range: { start: { line: 2, character: 15 }, end: { line: 2, character: 19 } },
    placeholder: 'relu',
  });
  const off = featureInputAt(NET.replace('layer { name: "relu"', '<|>layer { name: "relu"'));
  assert.throws(
    () => providePrepareRename(off.input, { textDocument: { uri }, position: off.position }),
    ResponseError,
  );
});

test('CRLF and a broken file', () => {
  const text =
    'layer { name: "a" type: "Input" top: "x" }\r\nlayer { name: "b" type: "ReLU" bottom: "<|>x" top: "y"\r\nlayer { nme: ';
  assert.equal(
    renamed(text, 'z'),
    'layer { name: "a" type: "Input" top: "z" }\r\nlayer { name: "b" type: "ReLU" bottom: "z" top: "y"\r\nlayer { nme: ',
  );
});
