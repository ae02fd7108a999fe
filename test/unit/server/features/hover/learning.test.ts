// Hovers on what a net's parameters learn, with the solver of the workspace that trains it (its
// base_lr and weight_decay read from disk or from its open document), without one, for a frozen layer
// and BatchNorm; and the solvers that build a net in its hover and outline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentStore } from '../../../../../server/src/documents';
import type { Services } from '../../../../../server/src/features/context';
import { provideHover } from '../../../../../server/src/features/hover/hover';
import { provideDocumentSymbols } from '../../../../../server/src/features/symbols/document-symbols';
import type { NetSolverUse } from '../../../../../server/src/features/shared/net-solvers';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { SolverUses } from '../../../../../server/src/workspace/solver-uses';
import { featureInputFor, withCursor } from '../../../../helpers/analyzed-document';

let root = '';
let netFile = '';
let solverFile = '';

const NET = `name: "small"
layer { name: "data" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer {
  name: "conv1"
  type: "Convolution"
  bottom: "x"
  top: "c1"
  param { lr_mult: 1 decay_mult: 1 }
  param { lr_mult: 2 decay_mult: 0 }
  convolution_param { num_output: 4 kernel_size: 3 }
}
layer { name: "bn" type: "BatchNorm" bottom: "c1" top: "c1" }
layer { name: "fc" type: "InnerProduct" bottom: "c1" top: "fc" param { lr_mult: 0 } param { lr_mult: 0 }
  inner_product_param { num_output: 2 } }
`;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'learning-'));
  fs.mkdirSync(path.join(root, 'models'));
  netFile = path.join(root, 'models/train.prototxt');
  solverFile = path.join(root, 'models/solver.prototxt');
  fs.writeFileSync(netFile, NET);
  fs.writeFileSync(
    solverFile,
    'net: "train.prototxt"\nbase_lr: 0.01\nweight_decay: 0.0005\nlr_policy: "fixed"\n',
  );
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Services whose solvers say `uses` for the net file. */
function servicesWith(uses: NetSolverUse[], documents = new DocumentStore()): Services {
  return {
    python: new PythonWorkspace({ createParser: () => createPythonParser() }),
    documents,
    roots: [root],
    solvers: { usesOf: (file: string) => (file === netFile ? uses : []) },
  } as unknown as Services;
}

function hoverText(marked: string, services: Services | undefined): string {
  const { text, offset } = withCursor(marked);
  const input = featureInputFor(text, { uri: pathToFileURL(netFile).toString() });
  const position = input.doc.lines.positionAt(offset);
  const hover = provideHover(input, { textDocument: { uri: input.doc.uri }, position }, services);
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

function at(needle: string, shift = 0): string {
  const i = NET.indexOf(needle) + shift;
  return `${NET.slice(0, i)}<|>${NET.slice(i)}`;
}

/** The solver trains the net and tests it (one test_iter). */
function train(): NetSolverUse[] {
  return [
    { solver: solverFile, phase: 'TRAIN', field: 'net' },
    { solver: solverFile, phase: 'TEST', field: 'net' },
  ];
}

test('a layer name: each blob with the rate and decay of the solver that trains the net, named', () => {
  const uses = train();
  const text = hoverText(at('"conv1"', 2), servicesWith(uses));
  assert.match(text, /\*\*layer\*\* `conv1 \(Convolution\)`/);
  assert.match(
    text,
    /\*\*learning\*\* with `models\/solver\.prototxt` \(TRAIN\): base_lr 0\.01, weight_decay 0\.0005/,
  );
  assert.match(text, /- weights: lr 0\.01 \(lr_mult 1\), decay 0\.0005 \(decay_mult 1\)/);
  assert.match(text, /- bias: lr 0\.02 \(lr_mult 2\), decay 0 \(decay_mult 0\)/);
  assert.ok(text.indexOf('**layer**') < text.indexOf('**learning**'), 'the layer first, then what it learns');
});

test("in a solver's embedded net: the rates of that solver; a test net's, multipliers only", () => {
  const solver = (field: string, marked: string) =>
    `base_lr: 0.1\nweight_decay: 0.001\nlr_policy: "fixed"\n${field} {\n${marked}}\n`;
  const trained = hoverText(solver('net_param', at('"conv1"', 2)), undefined);
  assert.match(trained, /\*\*layer\*\* `conv1 \(Convolution\)`/);
  assert.match(
    trained,
    /\*\*learning\*\* with `train\.prototxt` \(TRAIN\): base_lr 0\.1, weight_decay 0\.001/,
  );
  assert.match(trained, /- bias: lr 0\.2 \(lr_mult 2\), decay 0 \(decay_mult 0\)/);
  // On a param block: that blob alone.
  const param = hoverText(solver('train_net_param', at('lr_mult: 2', 1)), undefined);
  assert.match(param, /- bias: lr 0\.2/);
  assert.doesNotMatch(param, /- weights:/);
  const tested = hoverText(solver('test_net_param', at('"conv1"', 2)), undefined);
  assert.match(tested, /\*\*learning\*\*: multipliers only \(a test net: Caffe does not train it\)/);
});

test('the open solver document wins over the disk; a frozen layer and BatchNorm say so', () => {
  const uses = train();
  const documents = new DocumentStore();
  documents.open(
    pathToFileURL(solverFile).toString(),
    'prototxt',
    1,
    'net: "train.prototxt"\nbase_lr: 0.5\n',
  );
  const services = servicesWith(uses, documents);
  assert.match(
    hoverText(at('"conv1"', 2), services),
    /weights: lr 0\.5 \(lr_mult 1\), decay 0 \(decay_mult 1\)/,
  );
  const fc = hoverText(at('"fc"', 2), services);
  assert.match(fc, /weights: lr 0 \(frozen\)/);
  assert.match(fc, /Frozen: every `lr_mult` is 0, so this layer does not learn\./);
  assert.match(
    hoverText(at('"bn"', 2), services),
    /mean: not learned[\s\S]*statistics: Caffe never trains them/,
  );
});

test('a param block: only its blob; without a solver, the multipliers', () => {
  const uses = train();
  const second = NET.indexOf('lr_mult: 2');
  const text = hoverText(`${NET.slice(0, second + 3)}<|>${NET.slice(second + 3)}`, servicesWith(uses));
  assert.match(text, /- bias: lr 0\.02/);
  assert.doesNotMatch(text, /- weights/);
  const bare = hoverText(at('"conv1"', 2), servicesWith([]));
  assert.match(bare, /multipliers only \(no solver of the workspace builds this file\)/);
  assert.match(bare, /- bias: lr_mult 2, decay_mult 0/);
});

test('with the workspace solvers found on disk: the solver that trains the net is the one named', () => {
  const solvers = new SolverUses();
  solvers.setRoots([root]);
  const services: Services = {
    python: new PythonWorkspace({ createParser: () => createPythonParser() }),
    documents: new DocumentStore(),
    roots: [root],
    solvers,
  };
  assert.match(
    hoverText(at('"conv1"', 2), services),
    /\*\*learning\*\* with `models\/solver\.prototxt` \(TRAIN\): base_lr 0\.01, weight_decay 0\.0005/,
  );
});

test("the net's name and its outline name the solvers that build it and how", () => {
  const uses = train();
  const services = servicesWith(uses);
  assert.match(
    hoverText(at('"small"', 1), services),
    /\*\*used by\*\*\n\n- `models\/solver\.prototxt`: TRAIN \(net\), TEST \(net\)/,
  );
  const input = featureInputFor(NET, { uri: pathToFileURL(netFile).toString() });
  const symbols = provideDocumentSymbols(input, undefined, services);
  assert.deepEqual(
    symbols.slice(0, 2).map((s) => [s.name, s.detail]),
    [
      ['solver models/solver.prototxt', 'TRAIN (net), TEST (net)'],
      ['small', 'net name'],
    ],
  );
  assert.equal(provideDocumentSymbols(input, undefined, servicesWith([]))[0].name, 'small');
});
