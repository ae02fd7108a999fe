// Editor latency (issue 3): keystroke-to-diagnostics inside the server — an incremental one-character
// edit inside a layer, then the analysis and the LSP diagnostics of the new version — and completion
// and hover requests on the analysed document, on a ResNet-152-sized train_val and on the largest
// corpus nets. Figures only; nothing asserted.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DocumentStore } from '../server/src/documents';
import { prototxtDiagnostics } from '../server/src/features/diagnostics/gather';
import { createPythonParser } from '../server/src/python/parser';
import { PythonWorkspace } from '../server/src/workspace/python-workspace';
import { requestLatencies } from './request-latency';
import { Analyses } from '../server/src/workspace/analyses';
import type { Figure } from './analysis';
import { corpusRoot, resnet152TrainVal } from './resnet152-train-val';

const LARGEST = [
  'ducha-aiki__caffenet-benchmark/prototxt/architectures/resnet/ThinnnerResNet-101_128px_BN_ReLU_lsuv.prototxt',
  'shicai__DenseNet-Caffe/DenseNet_201.prototxt',
];

export function latencyFigures(log: (line: string) => void): Figure[] {
  const nets: [string, string][] = [];
  const resnet = resnet152TrainVal();
  if (resnet) nets.push(['ResNet-152 train_val', resnet]);
  for (const rel of LARGEST) {
    const file = path.join(corpusRoot, 'files', rel);
    if (fs.existsSync(file)) nets.push([path.basename(rel), fs.readFileSync(file, 'utf8')]);
  }
  if (nets.length === 0) log('latency: ../shared/corpus is absent, skipped');
  return nets.flatMap(([name, text]): Figure[] => {
    const label = `${name} (${text.split('\n').length} lines)`;
    const median = percentile(keystrokeLatencies(text, 40), 0.5);
    const { completion, hover, answered } = requestLatencies(text, 300);
    log(
      `latency: ${label}: ${answered.completion}/${completion.length} completions with items, ` +
        `${answered.hover}/${hover.length} hovers with contents`,
    );
    const pc = percentile(completion, 0.95);
    const ph = percentile(hover, 0.95);
    return [
      {
        name: `keystroke->diagnostics median, ${label}`,
        value: median,
        unit: 'ms',
        ratio: { anchor: 'target 15 ms', value: median / 15, target: 1, higherIsBetter: false },
      },
      { name: `completion median, ${label}`, value: percentile(completion, 0.5), unit: 'ms' },
      {
        name: `completion p95, ${label}`,
        value: pc,
        unit: 'ms',
        ratio: { anchor: 'target 10 ms', value: pc / 10, target: 1, higherIsBetter: false },
      },
      { name: `hover median, ${label}`, value: percentile(hover, 0.5), unit: 'ms' },
      {
        name: `hover p95, ${label}`,
        value: ph,
        unit: 'ms',
        ratio: { anchor: 'target 10 ms (as completion)', value: ph / 10, target: 1, higherIsBetter: false },
      },
    ];
  });
}

/** The `q` quantile (0..1) of `samples`, nearest rank. */
function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Edits a `num_output`/`name` value near the middle of the file, one character at a time. */
function keystrokeLatencies(text: string, edits: number): number[] {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const uri = 'file:///bench/train_val.prototxt';
  let doc = documents.open(uri, 'prototxt', 1, text);
  prototxtDiagnostics(analyses.analyzedDoc(doc), python);
  const at = text.indexOf('name: "', Math.floor(text.length / 2)) + 'name: "'.length;
  const pos = doc.lines.positionAt(at);
  const out: number[] = [];
  for (let i = 0; i < edits; i++) {
    const insert = i % 2 === 0;
    const t0 = performance.now();
    doc = documents.change(uri, doc.version + 1, [
      insert
        ? { range: { start: pos, end: pos }, text: 'x' }
        : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' },
    ])!;
    prototxtDiagnostics(analyses.analyzedDoc(doc), python);
    out.push(performance.now() - t0);
  }
  return out;
}
