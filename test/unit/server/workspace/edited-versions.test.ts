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
import type { ResolvedTree } from '../../../../server/src/analysis/model/resolve';
import type { Schema } from '../../../../server/src/schema/schema';
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
    resolved: resolvedShown(analysis.resolved),
    nets: [analysis.net, ...(analysis.embeddedNets?.values() ?? [])].map((net) =>
      net?.layers.map((l) => ({
        ...l,
        node: [l.node.start, l.node.end],
        body: l.body && [l.body.start, l.body.end],
        paramBlocks: [...l.paramBlocks].map(([name, block]) => [name, block.start]),
      })),
    ),
    published: prototxtDiagnostics(input, python),
    shapes,
    outline: provideDocumentSymbols(input),
    folding: provideFoldingRanges(input),
  };
}

/** The resolved tree by offsets and names: every block, its fields' definitions, forks and schemas. */
function resolvedShown(tree: ResolvedTree) {
  const label = (schema: Schema | undefined) => schema?.source.label;
  return {
    top: tree.top?.fullName,
    blocks: tree.blocks.map((b) => ({
      at: [b.node.start, b.node.end, b.owner?.start],
      def: b.def.fullName,
      schema: label(b.schema),
      fields: b.entries.map((e) => [e.node.start, e.def?.name, label(e.schema), e.parent === b]),
    })),
    forkFields: [...tree.forkFields].map(([f, forks]) => [f.start, forks]).sort(byStart),
    fieldSchemas: [...tree.fieldSchemas].map(([f, s]) => [f.start, label(s)]).sort(byStart),
    entries: tree.entries.length,
  };
}

const byStart = (a: unknown[], b: unknown[]) => (a[0] as number) - (b[0] as number);

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

/** A net with a problem of every block check in its layers, and shapes that flow from layer to layer. */
const CHECKED_NET = `name: "checked"
input: "data"
input_shape { dim: 1 dim: 3 dim: 16 dim: 16 }
layer {
  name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  convolution_param { num_output: 8 kernel_size: 3 pad: 1 bias_term: maybe }
}
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" relu_param { negative_slope: "0.1" } }
layer {
  name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
  pooling_param { pool: MAXIMUM kernel_size: 2 stride: 2 stride: 2 }
}
layer { name: "interp" type: "Interp" bottom: "pool1" top: "up" interp_param { zoom_factor: 2 } }
layer { name: "clip" type: "Clip" bottom: "up" top: "clipped" clip_param { min: 0 } }
layer { name: "drop" type: "Dropout" bottom: "clipped" top: "clipped" dropout_param { dropout_ratio: 0.5 colour: 1 } }
layer {
  name: "fc" type: "InnerProduct" bottom: "clipped" top: "fc"
  inner_product_param { num_output: 10 weight_filler { type: "xavier" } }
}
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }
`;

/** [what to find, what it becomes]: each the edit of one version, in order. */
const EDITS: readonly (readonly [string, string])[] = [
  // Names: a layer's, a top and the bottoms that read it.
  ['name: "relu1"', 'name: "relu1x"'],
  ['top: "pool1"', 'top: "pool1b"'],
  ['bottom: "pool1"', 'bottom: "pool1b"'],
  ['name: "pool1"', 'name: "conv1"'],
  // Tops and bottoms added and removed.
  ['bottom: "fc" bottom: "label"', 'bottom: "fc"'],
  ['top: "clipped" dropout', 'top: "dropped" dropout'],
  ['bottom: "clipped" top: "fc"', 'bottom: "dropped" top: "fc"'],
  // Types.
  ['type: "ReLU"', 'type: "TanH"'],
  ['type: "Interp"', 'type: "Interpp"'],
  ['type: "Pooling"', 'type: Pooling'],
  ['type: Pooling', 'type: "Pooling"'],
  // Parameters: values, fields added, removed, repeated, made right.
  ['kernel_size: 3', 'kernel_size: 5'],
  ['bias_term: maybe', 'bias_term: true'],
  ['pool: MAXIMUM', 'pool: MAX'],
  ['stride: 2 stride: 2', 'stride: 2'],
  ['clip_param { min: 0 }', 'clip_param { min: 0 max: 6 }'],
  ['colour: 1', ''],
  ['zoom_factor: 2', 'zoom_factor: 2 zoom_factor: 3'],
  ['num_output: 10', 'num_output: 10 dropout_ratio: 0.2'],
  ['negative_slope: "0.1"', 'negative_slope: 0.1'],
  // A parameter block renamed: the blocks inside it are read as another message's.
  ['inner_product_param {', 'convolution_param {'],
  ['convolution_param { num_output: 10', 'inner_product_param { num_output: 10'],
  // A layer added and one taken out; the document's own fields.
  [
    'layer { name: "loss"',
    'layer { name: "extra" type: "ReLU" bottom: "fc" top: "fc" }\nlayer { name: "loss"',
  ],
  ['layer { name: "extra" type: "ReLU" bottom: "fc" top: "fc" }\n', ''],
  ['name: "checked"', 'name: "checked2"\nname: "again"'],
  ['input: "data"', 'input: "data2"'],
  ['input: "data2"', 'input: "data"'],
  // A syntax problem, then the text made whole again.
  ['kernel_size: 5', 'kernel_size: 5 }'],
  ['kernel_size: 5 }', 'kernel_size: 5'],
];

/** Each of EDITS in turn, every version compared with the same text analysed afresh. */
function editInTurn(text: string): void {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  let doc = documents.open(URI, 'prototxt', 1, text);
  const first = shown(analyses.analyzedDoc(doc));
  assert.ok(first.diagnostics.length >= 8, 'the net has a problem in most of its layers');
  for (const [find, replacement] of EDITS) {
    const at = doc.text.indexOf(find);
    assert.ok(at >= 0, `"${find}" is in the text`);
    const start = doc.lines.positionAt(at);
    const end = doc.lines.positionAt(at + find.length);
    doc = documents.change(URI, doc.version + 1, [{ range: { start, end }, text: replacement }])!;
    const fresh = new DocumentStore();
    const afresh = shown(new Analyses(fresh).analyzedDoc(fresh.open(URI, 'prototxt', 1, doc.text)));
    assert.deepEqual(shown(analyses.analyzedDoc(doc)), afresh, `after ${find} -> ${replacement}`);
  }
}

test('edits of names, tops, bottoms, types and parameters are analysed as the same text afresh', () => {
  editInTurn(CHECKED_NET);
});

test('the same edits of a net inside a solver are analysed as the same text afresh', () => {
  editInTurn(`base_lr: 0.01\nmax_iter: 100\nnet_param {\n${CHECKED_NET}}\nsnapshot_prefix: "x"\n`);
});
