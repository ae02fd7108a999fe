// Graph benchmark (issue 7): parse + shape inference, graph model and elkjs layout time for ResNet-152
// and for the corpus net with the most layers. Prints milliseconds; the goal is a layout under 1 s.
// Run: node --import tsx bench/graph.ts [extra.prototxt ...]

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildNet } from '../server/src/analysis/model/net';
import { inferShapes } from '../server/src/analysis/shapes';
import { buildGraph } from '../server/src/features/graph/model';
import { layoutGraph } from '../server/src/features/graph/layout';
import { renderSvg } from '../common/graph/svg';
import { parse } from '../server/src/parser/parse';
import { loadBundledSchema } from '../server/src/schema/bundled';

const repoRoot = path.resolve(__dirname, '..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const RESNET_152 = 'KaimingHe__deep-residual-networks/prototxt/ResNet-152-deploy.prototxt';

/** The net file of the corpus with the most layers (ORACLE.tsv rows of kind `net`). */
function largestCorpusNet(): string | undefined {
  const oracle = path.join(corpus, 'ORACLE.tsv');
  if (!fs.existsSync(oracle)) return undefined;
  let best: { rel: string; layers: number } | undefined;
  for (const row of fs.readFileSync(oracle, 'utf8').split('\n').slice(1)) {
    const [rel, kind] = row.split('\t');
    if (kind !== 'net' || !rel) continue;
    const text = fs.readFileSync(path.join(corpus, 'files', rel), 'utf8');
    const layers = buildNet(parse(text)).layers.length;
    if (!best || layers > best.layers) best = { rel, layers };
  }
  return best?.rel;
}

async function measure(file: string): Promise<void> {
  const schema = loadBundledSchema();
  const text = fs.readFileSync(file, 'utf8');
  // The first run (JIT, ELK's start) is reported apart; then the median of five.
  const runs: { infer: number; model: number; layout: number; svg: number; nodes: number; edges: number }[] =
    [];
  let cold = 0;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const net = buildNet(parse(text), schema);
    const shapes = inferShapes(net, 'TEST', schema);
    const t1 = performance.now();
    const graph = buildGraph(net, 'TEST', shapes);
    const t2 = performance.now();
    const laid = await layoutGraph(graph);
    const t3 = performance.now();
    renderSvg(laid);
    const t4 = performance.now();
    if (i === 0) cold = t3 - t2;
    else {
      runs.push({
        infer: t1 - t0,
        model: t2 - t1,
        layout: t3 - t2,
        svg: t4 - t3,
        nodes: laid.nodes.length,
        edges: laid.edges.length,
      });
    }
  }
  const median = (k: 'infer' | 'model' | 'layout' | 'svg'): string => {
    const sorted = runs.map((r) => r[k]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)].toFixed(1);
  };
  const r = runs[0];
  console.log(
    `${path.relative(corpus, file)}: ${r.nodes} nodes, ${r.edges} edges | parse+infer ${median('infer')} ms, ` +
      `graph ${median('model')} ms, layout ${median('layout')} ms (first in process ${cold.toFixed(1)} ms), ` +
      `svg ${median('svg')} ms`,
  );
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    if (!fs.existsSync(corpus)) {
      console.log(`graph bench skipped: corpus not found at ${corpus}`);
      return;
    }
    files.push(path.join(corpus, 'files', RESNET_152));
    const largest = largestCorpusNet();
    if (largest) files.push(path.join(corpus, 'files', largest));
  }
  for (const f of files) await measure(f);
}

void main();
