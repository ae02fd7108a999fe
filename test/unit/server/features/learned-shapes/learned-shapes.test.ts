// Learned Python layer tops in the editor features: the request handler, the `Infer top shapes` lens,
// inlay hints past the Python layer, and shape diagnostics found with the learned tops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver';
import { PythonShapeStore } from '../../../../../server/src/analysis/shapes/known-tops';
import { provideInlayHints } from '../../../../../server/src/features/inlay-hints/inlay-hints';
import { learnPythonShapes } from '../../../../../server/src/features/learned-shapes/learned-shapes';
import {
  gatherDiagnostics,
  type DocumentReport,
} from '../../../../../server/src/features/diagnostics/gather';
import { provideRunLenses } from '../../../../../server/src/features/code-lens/run-lens';
import { Commands, type InferPythonShapesArgs } from '../../../../../common/protocol';
import { DocumentStore } from '../../../../../server/src/documents';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { featureInputFor } from '../../../../helpers/analyzed-document';

const URI = 'file:///work/test/net.prototxt';

const NET = `name: "n"
layer { name: "in" type: "Input" top: "data" include { phase: TRAIN } input_param { shape { dim: 8 dim: 3 dim: 4 dim: 4 } } }
layer { name: "in_t" type: "Input" top: "data" include { phase: TEST } input_param { shape { dim: 2 dim: 3 dim: 4 dim: 4 } } }
layer { name: "py" type: "Python" bottom: "data" top: "feat" python_param { module: "m" layer: "Flat" } }
layer { name: "ip" type: "InnerProduct" bottom: "feat" top: "ip" inner_product_param { num_output: 5 } }
layer { name: "py2" type: "Python" bottom: "ip" top: "out" python_param { module: "m" layer: "Id" } }
layer { name: "sum" type: "Eltwise" bottom: "out" bottom: "feat" top: "sum" }
`;

function inferLenses(lenses: CodeLens[]): { layer?: string; args: InferPythonShapesArgs }[] {
  return lenses
    .filter((l) => l.command?.command === Commands.inferPythonShapes)
    .map((l) => {
      const args = l.command?.arguments?.[0] as InferPythonShapesArgs;
      return { layer: args.layerName, args };
    });
}

function noRefresh() {
  const calls: string[] = [];
  return { calls, refresh: (uri: string) => void calls.push(`learned ${uri}`) };
}

/** The store learns that layer "py" (a flatten) turns batch×3×4×4 into batch×48 in `phase`. */
function learnFlat(store: PythonShapeStore, phase: 'TRAIN' | 'TEST', batch: number): void {
  store.learn({
    uri: URI,
    layerName: 'py',
    phase,
    bottomShapes: [[batch, 3, 4, 4]],
    topShapes: [[batch, 48]],
  });
}

test('learnPythonShapes stores valid shapes and asks for every refresh; refuses malformed ones', () => {
  const store = new PythonShapeStore();
  const { calls, refresh } = noRefresh();
  const bad = learnPythonShapes(
    store,
    { uri: URI, layerName: 'py', phase: 'TRAIN', bottomShapes: 'x' },
    refresh,
  );
  assert.equal(bad.accepted, false);
  assert.match(bad.message ?? '', /bottomShapes/);
  assert.deepEqual(calls, []);
  assert.equal(store.generation(URI), 0);
  const ok = learnPythonShapes(
    store,
    { uri: URI, layerName: 'py', phase: 'TRAIN', bottomShapes: [[8, 3, 4, 4]], topShapes: [[8, 48]] },
    refresh,
  );
  assert.deepEqual(ok, { accepted: true });
  assert.deepEqual(calls, [`learned ${URI}`]);
  assert.equal(store.generation(URI), 1);
});

test('Infer top shapes: one lens per Python layer with known bottoms, with each phase and its bottoms', () => {
  const store = new PythonShapeStore();
  const input = featureInputFor(NET, { uri: URI, learned: store });
  const before = inferLenses(provideRunLenses(input, { fileExists: () => false }));
  // py2's bottom comes after py: unknown until py's tops are learned.
  assert.deepEqual(
    before.map((l) => l.layer),
    ['py'],
  );
  assert.deepEqual(before[0].args.phases, [
    { phase: 'TRAIN', bottomShapes: [[8, 3, 4, 4]] },
    { phase: 'TEST', bottomShapes: [[2, 3, 4, 4]] },
  ]);
  assert.equal(before[0].args.module, 'm');
  assert.equal(before[0].args.layerClass, 'Flat');

  learnFlat(store, 'TRAIN', 8);
  const after = inferLenses(provideRunLenses(input, { fileExists: () => false }));
  assert.deepEqual(
    after.map((l) => l.layer),
    ['py', 'py2'],
  );
  // Only TRAIN was learned: py2's bottom is known there only.
  assert.deepEqual(after[1].args.phases, [{ phase: 'TRAIN', bottomShapes: [[8, 5]] }]);
  // Its Run layer lens now carries the known bottom too.
  const run = provideRunLenses(input, { fileExists: () => false }).find(
    (l) => l.command?.command === Commands.runLayer && l.command.arguments?.[0]?.layerName === 'py2',
  );
  assert.deepEqual(run?.command?.arguments?.[0]?.bottomShapes, [[8, 5]]);
});

test('a Python layer without bottoms (a data layer) gets the lens; one with an unknown bottom does not', () => {
  const text = `layer { name: "src" type: "Python" top: "x" python_param { module: "m" layer: "Data" } }
layer { name: "after" type: "Python" bottom: "x" top: "y" python_param { module: "m" layer: "Id" } }
`;
  const lenses = inferLenses(
    provideRunLenses(featureInputFor(text, { uri: URI }), { fileExists: () => false }),
  );
  assert.deepEqual(
    lenses.map((l) => [l.layer, l.args.phases.map((p) => p.bottomShapes)]),
    [['src', [[], []]]],
  );
});

test('inlay hints: the layers after a Python layer get shapes once its tops are learned', () => {
  const store = new PythonShapeStore();
  const input = featureInputFor(NET, { uri: URI, learned: store });
  const range = { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(input.doc.text.length) };
  const labels = () =>
    provideInlayHints(input, { textDocument: { uri: URI }, range }).map((h) => String(h.label));
  assert.deepEqual(labels(), ['8×3×4×4', '2×3×4×4']);
  learnFlat(store, 'TRAIN', 8);
  learnFlat(store, 'TEST', 2);
  const after = labels();
  assert.ok(after.includes('TRAIN 8×48 · TEST 2×48'), after.join(' | '));
  assert.ok(after.includes('TRAIN 8×5 · TEST 2×5'), after.join(' | '));
});

test('shape diagnostics are found again with the learned tops; other diagnostics stay', async () => {
  const documents = new DocumentStore();
  const store = new PythonShapeStore();
  const analyses = new Analyses(documents, store);
  documents.open(URI, 'prototxt', 1, NET);
  // No Python index: the prototxt's own diagnostics only.
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const report = await gatherDiagnostics(analyses, python, URI);
  assert.ok(report);
  const codes = (r: DocumentReport | undefined) => (r?.diagnostics ?? []).map((d) => d.code);
  assert.deepEqual(await gatherDiagnostics(analyses, python, URI), report, 'nothing learned');
  assert.ok(!codes(report).includes('shape-mismatch'));
  learnFlat(store, 'TRAIN', 8);
  store.learn({ uri: URI, layerName: 'py2', phase: 'TRAIN', bottomShapes: [[8, 5]], topShapes: [[8, 5]] });
  const after = await gatherDiagnostics(analyses, python, URI);
  // Eltwise of out (8×5) and feat (8×48) disagree: found now, in TRAIN where both are known.
  const mismatch = after?.diagnostics.filter((d) => d.code === 'shape-mismatch') ?? [];
  assert.equal(mismatch.length, 1, JSON.stringify(after?.diagnostics));
  assert.match(String(mismatch[0].message), /TRAIN/);
  assert.equal(mismatch[0].range.start.line, 6);
  const others = (r: DocumentReport | undefined) => codes(r).filter((c) => !String(c).startsWith('shape-'));
  assert.deepEqual(others(after), others(report));
});
