// Turning one `type: "Python"` layer of a net into a run: its module, class, param_str and phase, the
// names of its blobs, the bottom shapes static inference knows (Input / input_shape / DummyData and the
// standard layers before it), and the folder its module is imported from. Editor-neutral and pure
// apart from the `fileExists` it is given: shared by the CLI, the code lenses and the VS Code client.

import * as path from 'node:path';
import { type NetLayer, type NetModel, type Phase } from '../analysis/model/net';
import { layersInPhase } from '../analysis/model/net-filter';
import { firstField, scalarText } from '../analysis/model/net-read';
import { completeOrNull, inferShapes, layerShapesAt, type ShapeResult } from '../analysis/shapes';
import { unknownOrigins, type LayerOrigins, type UnknownOrigin } from '../analysis/shapes/unknown-origin';
import { resolveModule, type ModuleResolutionContext } from '../python/resolve-module';
import type { Schema } from '../schema/schema';
import type { LayerRunArgs } from '../../../common/run/args';

/** Where the layer's module is looked for (see resolve-module.ts); absent: no search paths. */
export interface PlanResolution {
  context: ModuleResolutionContext;
  fileExists(file: string): boolean;
}

export interface PlanOptions {
  /** Default: TRAIN when Caffe keeps the layer in TRAIN, else TEST. */
  phase?: Phase;
  schema?: Schema;
  resolution?: PlanResolution;
  /** Shape inference of the net in a phase, when the caller has it (planning many layers). */
  shapesIn?: (phase: Phase) => ShapeResult;
}

export interface LayerPlan {
  layer: NetLayer;
  module: string;
  layerClass: string;
  paramStr?: string;
  phase: Phase;
  bottomNames: string[];
  topNames: string[];
  /** Each bottom's shape when static inference knows all of it; null otherwise (e.g. after a Python layer). */
  bottomShapes: (number[] | null)[];
  /** Why each bottom of unknown shape is unknown, in words (null for the known ones); absent when all are known. */
  bottomNotes?: (string | null)[];
  /** Folders to put first on sys.path: the root the module was found under. */
  searchPaths: string[];
  /** The module's file, when it was found. */
  moduleFile?: string;
  /** Why the module was not found (the run will most likely fail to import it). */
  moduleProblem?: string;
}

/** The Python layers of a net, in order. */
export function pythonLayers(net: NetModel): NetLayer[] {
  return net.layers.filter((l) => l.type === 'Python');
}

/** `python_param { module layer param_str }` of a layer, decoded. */
export function pythonParams(layer: NetLayer): { module?: string; layerClass?: string; paramStr?: string } {
  const block = layer.paramBlocks.get('python_param');
  if (!block) return {};
  const text = (name: string) => scalarText(firstField(block.fields, name)?.value);
  return { module: text('module'), layerClass: text('layer'), paramStr: text('param_str') };
}

/** TRAIN when Caffe keeps the layer in TRAIN, else TEST when it keeps it there, else TRAIN. */
export function defaultPhase(net: NetModel, layer: NetLayer): Phase {
  for (const phase of ['TRAIN', 'TEST'] as const) {
    if (layersInPhase(net, phase).some((l) => l.index === layer.index)) return phase;
  }
  return 'TRAIN';
}

/**
 * Finds a Python layer by name; a string says why there is none. With `phase`, the one Caffe keeps in
 * that phase: a net may name a layer twice, once per phase (py-faster-rcnn's TRAIN and TEST
 * "proposal" layers, on other tops).
 */
export function findPythonLayer(net: NetModel, name: string, phase?: Phase): NetLayer | string {
  const named = net.layers.filter((l) => l.name === name);
  const pythons = named.filter((l) => l.type === 'Python');
  if (pythons.length > 0 && phase !== undefined) {
    const kept = new Set(layersInPhase(net, phase).map((l) => l.index));
    const inPhase = pythons.find((l) => kept.has(l.index));
    if (inPhase) return inPhase;
    const other = phase === 'TRAIN' ? 'TEST' : 'TRAIN';
    return `layer "${name}" is not in the ${phase} phase (its include/exclude rules leave it out): run it with --phase ${other}, or without --phase`;
  }
  const python = pythons[0];
  if (python) return python;
  if (named.length > 0) return `layer "${name}" has type ${named[0].type || '(none)'}, not Python`;
  const names = pythonLayers(net).map((l) => `"${l.name}"`);
  return (
    `no layer named "${name}"` +
    (names.length ? `; the Python layers are ${names.join(', ')}` : '; the net has no Python layer')
  );
}

/** The folder from which `dotted` imports as `file` (`a.b` in /x/a/b.py -> /x). */
export function importRoot(dotted: string, file: string): string {
  const parts = dotted.trim().split('.').length;
  const up = path.basename(file) === '__init__.py' ? parts : parts - 1;
  let dir = path.dirname(file);
  for (let i = 0; i < up; i++) dir = path.dirname(dir);
  return dir;
}

/** Plans the run of one Python layer; a string says why it cannot be run. */
export function planLayer(net: NetModel, layer: NetLayer, options: PlanOptions = {}): LayerPlan | string {
  const label = layer.name ? `layer "${layer.name}"` : `layer #${layer.index + 1}`;
  if (layer.type !== 'Python') return `${label} is not a Python layer`;
  const { module, layerClass, paramStr } = pythonParams(layer);
  if (!module) return `${label} has no python_param { module: ... }`;
  if (!layerClass) return `${label} has no python_param { layer: ... }`;
  const phase = options.phase ?? defaultPhase(net, layer);
  const shapes = options.shapesIn?.(phase) ?? inferShapes(net, phase, options.schema);
  const inferred = layerShapesAt(shapes, layer.index);
  // A run needs every dim: a partly known bottom (`64×?×?×?`) is asked for like an unknown one.
  const bottomShapes = layer.bottoms.map((_, i) => completeOrNull(inferred?.bottoms[i]));
  const plan: LayerPlan = {
    layer,
    module,
    layerClass,
    paramStr,
    phase,
    bottomNames: layer.bottoms.map((b) => b.name),
    topNames: layer.tops.map((t) => t.name),
    bottomShapes,
    searchPaths: [],
  };
  const notes = unknownBottomNotes(net, shapes, layer, bottomShapes);
  if (notes) plan.bottomNotes = notes;
  if (options.resolution) {
    const found = resolveModule(module, options.resolution.context, options.resolution.fileExists);
    if (found.file) {
      plan.moduleFile = found.file;
      plan.searchPaths = [importRoot(module, found.file)];
    } else {
      plan.moduleProblem =
        found.problem ?? `module "${module}" was not found in ${found.searched.join(', ') || 'any folder'}`;
    }
  }
  return plan;
}

/** The command arguments a code lens carries for one plan. */
export function runArgsFor(uri: string, plan: LayerPlan, gradcheck: boolean): LayerRunArgs {
  return {
    uri,
    layerName: plan.layer.name || undefined,
    module: plan.module,
    layerClass: plan.layerClass,
    paramStr: plan.paramStr,
    phase: plan.phase,
    bottomShapes: plan.bottomShapes,
    ...(plan.bottomNotes ? { bottomNotes: plan.bottomNotes } : {}),
    searchPaths: plan.searchPaths,
    gradcheck,
    bottomNames: plan.bottomNames,
    topNames: plan.topNames,
  };
}

/**
 * For each bottom of `layer` whose shape `known` lacks, why; null for the others. Undefined when
 * every bottom is known.
 */
function unknownBottomNotes(
  net: NetModel,
  shapes: ShapeResult,
  layer: NetLayer,
  known: readonly (number[] | null)[],
): (string | null)[] | undefined {
  if (known.every((s) => s !== null)) return undefined;
  const origins = originsOf(net, shapes).get(layer.index);
  return layer.bottoms.map((_, i) => {
    if (known[i] !== null) return null;
    const origin = origins?.bottoms[i];
    return origin ? originText(origin) : 'its shape is not known here';
  });
}

/** The origins of one inference, worked out once for every layer the lenses plan on it. */
const originsByResult = new WeakMap<ShapeResult, Map<number, LayerOrigins>>();

function originsOf(net: NetModel, shapes: ShapeResult): Map<number, LayerOrigins> {
  let origins = originsByResult.get(shapes);
  if (origins === undefined) {
    origins = unknownOrigins(
      shapes,
      net.inputs.map((i) => i.name),
    );
    originsByResult.set(shapes, origins);
  }
  return origins;
}

function originText(origin: UnknownOrigin): string {
  if (origin.kind === 'input') return `the net input "${origin.name}" is declared without a full shape`;
  if (origin.kind === 'missing') return `no earlier layer produces "${origin.name}" in this phase`;
  const { layer, why } = origin;
  const name = layer.name || `#${layer.index + 1}`;
  const who = `layer "${name}" (${layer.type || 'no type'})`;
  switch (why) {
    case 'python': {
      const { module, layerClass } = pythonParams(layer);
      const cls = module && layerClass ? ` (${module}.${layerClass})` : '';
      return `unknown from the Python layer "${name}"${cls} on: its tops are known once it runs`;
    }
    case 'no-rule':
      return `unknown from ${who} on: shape inference has no rule for that type`;
    case 'reader':
      return `unknown from ${who} on: it reads its data at run time and its parameters do not say every dim`;
    case 'rule':
      return `unknown from ${who} on: its output depends on values known only at run time, or on a problem reported on it`;
  }
}
