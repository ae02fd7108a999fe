// `shapes --run-python`: learns the top shapes of the net's Python layers by running each one's setup
// and reshape through the layer harness, upstream first (a later Python layer's bottoms may come from
// an earlier one's tops), with the bottoms shape inference gives it. A layer whose bottoms stay unknown
// or whose run fails keeps unknown tops, and the reason is reported.

import fs from 'node:fs';
import path from 'node:path';
import { type NetModel, type Phase } from '../../analysis/model/net';
import { layersInPhase } from '../../analysis/model/net-filter';
import { inferShapes, type PythonTopsLookup } from '../../analysis/shapes';
import type { StatedShapes } from '../../analysis/shapes/input-shapes';
import { PythonShapeStore } from '../../analysis/shapes/known-tops';
import { runRequestFor } from '../../../../common/run/args';
import { planLayer, pythonParams, runArgsFor } from '../../run/plan';
import { moduleSearch, withWorkspaceSysPath } from './run-layer-inputs';
import { summarizeRun } from '../../../../common/run/report';
import { runLayer } from '../../../../common/run/run-layer';
import type { Schema } from '../../schema/schema';

export interface LearnOptions {
  python: string;
  /** The net file (its folder is the working folder and where modules are looked for first). */
  file: string;
  cwd: string;
  timeoutMs: number;
  schema?: Schema;
  /** Input shapes stated by the user (see analysis/shapes/input-shapes.ts). */
  inputShapes?: StatedShapes;
  /** Called after each layer: what was learned or why not. */
  log(message: string): void;
}

/** The look-up of every Python layer's tops that could be learned in `phase`, and how many were. */
export async function learnPythonTops(
  net: NetModel,
  phase: Phase,
  options: LearnOptions,
): Promise<{ pythonTops: PythonTopsLookup | undefined; learned: number; failed: number }> {
  const store = new PythonShapeStore();
  const uri = path.resolve(options.file);
  const dir = path.dirname(uri);
  let learned = 0;
  let failed = 0;
  const layers = layersInPhase(net, phase).filter((l) => l.type === 'Python');
  const modules = layers.map((l) => pythonParams(l).module).filter((m): m is string => m !== undefined);
  // Modules are looked for as run-layer looks: with PYTHONPATH and the workspace's sys.path scripts.
  const { search } = await withWorkspaceSysPath(moduleSearch(uri, options.cwd, undefined, []), modules);
  for (const layer of layers) {
    const label = layer.name ? `"${layer.name}"` : `#${layer.index + 1}`;
    const pythonTops = store.lookupFor(uri);
    const inputShapes = options.inputShapes;
    const shapes = inferShapes(net, phase, options.schema, undefined, { pythonTops, inputShapes });
    const plan = planLayer(net, layer, {
      phase,
      schema: options.schema,
      shapesIn: () => shapes,
      resolution: { context: search, fileExists: (f) => fs.existsSync(f) },
    });
    if (typeof plan === 'string') {
      options.log(`Python layer ${label}: ${plan}`);
      failed++;
      continue;
    }
    if (!layer.name) {
      options.log(`Python layer ${label}: has no name, so its shapes cannot be remembered`);
      failed++;
      continue;
    }
    const bottoms = plan.bottomShapes;
    if (!bottoms.every((b) => b !== null)) {
      options.log(`Python layer ${label}: the shapes of its bottoms are unknown, its tops stay unknown`);
      failed++;
      continue;
    }
    const known = bottoms as number[][];
    const args = runArgsFor(uri, plan, false);
    const request = { ...runRequestFor(args, known), stopAfter: 'reshape' as const };
    const result = await runLayer(request, {
      python: options.python,
      cwd: dir,
      pythonPath: [...plan.searchPaths, ...search.extraPaths],
      timeoutMs: options.timeoutMs,
    });
    if (!result.ok) {
      options.log(`Python layer ${label}: ${summarizeRun(result, { ...args, layerName: layer.name })}`);
      failed++;
      continue;
    }
    const topShapes = result.tops.map((t) => t.shape);
    store.learn({
      uri,
      layerName: layer.name,
      phase,
      bottomShapes: known,
      topShapes,
      params: result.params.reduce((sum, p) => sum + p.count, 0),
      module: plan.module,
      layerClass: plan.layerClass,
      paramStr: plan.paramStr ?? '',
    });
    learned++;
    const text = topShapes.map((s) => (s.length ? s.join('×') : 'scalar')).join(', ');
    options.log(`Python layer ${label}: reshape gives ${text}`);
  }
  return { pythonTops: store.lookupFor(uri), learned, failed };
}
