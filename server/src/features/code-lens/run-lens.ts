// Code lenses `Run layer`, `Check gradients`, `Debug layer` and `Infer top shapes` above each
// `type: "Python"` layer of a net (the first three also in the nets a solver holds in `net_param`). The server proposes (command id + LayerRunArgs: module, class, param_str, phase, inferred
// bottom shapes, the folder the module imports from); the VS Code client runs (client/src/run-layer.ts,
// client/src/python-shapes.ts). `Infer top shapes` is offered only where every bottom shape of the layer
// is known in some phase: learned tops apply only while inference gives exactly the bottoms they were
// run with, so shapes typed in by hand would teach nothing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import { type NetLayer, type NetModel, type Phase } from '../../analysis/model/net';
import { layersInPhase } from '../../analysis/model/net-filter';
import { inferShapes, isComplete, layerShapesAt, type ShapeResult } from '../../analysis/shapes';
import { SOLVER } from '../../analysis/model/top-message';
import { Commands, type InferPythonShapesArgs } from '../../../../common/protocol';
import type { ModuleResolutionContext } from '../../python/resolve-module';
import { planLayer, pythonLayers, runArgsFor } from '../../run/plan';
import type { AnalyzedDocument } from '../context';

export interface RunLensOptions {
  /** Workspace folders, absolute (module resolution walks up to the one holding the prototxt). */
  roots?: readonly string[];
  /** Folders the workspace's scripts put on sys.path (from the Python index, when there is one). */
  sysPathFolders?: readonly string[];
  /** Folders of the workspace's scripts that run Caffe (from the Python index). */
  scriptFolders?: readonly string[];
  fileExists?: (file: string) => boolean;
}

/**
 * The run lenses of a prototxt net, or of the nets a solver holds in `net_param`; none for other
 * documents or layers without module/class.
 */
export function provideRunLenses(input: AnalyzedDocument, options: RunLensOptions = {}): CodeLens[] {
  const net = input.analysis.net;
  if (net) {
    // The document's shapes, with the tops learned for its Python layers: later layers' bottoms are known.
    const shapesIn = (phase: Phase): ShapeResult => input.shapes.inPhase(phase) as ShapeResult;
    return netRunLenses(input, net, shapesIn, true, options);
  }
  const embedded = input.analysis.embeddedNets;
  if (input.analysis.topMessage.name !== SOLVER || !embedded) return [];
  const schema = input.schema.schema;
  const lenses: CodeLens[] = [];
  for (const inner of embedded.values()) {
    // The shapes the analysis inferred for the embedded net (inferred here for a phase it left out).
    const known = input.analysis.embeddedShapes?.get(inner);
    const inferred = new Map<Phase, ShapeResult>();
    const shapesIn = (phase: Phase): ShapeResult => {
      const had = known?.[phase] ?? inferred.get(phase);
      if (had) return had;
      const made = inferShapes(inner, phase, schema);
      inferred.set(phase, made);
      return made;
    };
    // Tops learned by running a layer belong to nets of their own documents: no "Infer top shapes" here.
    lenses.push(...netRunLenses(input, inner, shapesIn, false, options));
  }
  return lenses;
}

function netRunLenses(
  input: AnalyzedDocument,
  net: NetModel,
  shapesIn: (phase: Phase) => ShapeResult,
  learnable: boolean,
  options: RunLensOptions,
): CodeLens[] {
  const layers = pythonLayers(net);
  if (layers.length === 0) return [];
  const file = input.doc.path;
  const schema = input.schema.schema;
  const context: ModuleResolutionContext | undefined = file
    ? {
        prototxtDir: path.dirname(file),
        workspaceRoots: options.roots ?? [],
        extraPaths: input.settings.python.extraPaths.map((p) =>
          path.resolve(options.roots?.[0] ?? path.dirname(file), p),
        ),
        sysPathFolders: options.sysPathFolders ?? [],
        scriptFolders: options.scriptFolders ?? [],
      }
    : undefined;
  const fileExists = options.fileExists ?? ((f: string) => fs.existsSync(f));
  const lenses: CodeLens[] = [];
  for (const layer of layers) {
    const plan = planLayer(net, layer, {
      schema,
      shapesIn,
      resolution: context && { context, fileExists },
    });
    if (typeof plan === 'string') continue;
    const at = layer.node.nameSpan;
    const range = input.doc.lines.rangeOf(at.start, at.end);
    const known = plan.bottomShapes.every((s) => s !== null);
    const hint = known ? '' : ' (asks for bottom shapes)';
    lenses.push(
      {
        range,
        command: {
          title: 'Run layer',
          tooltip: `Run ${plan.module}.${plan.layerClass}: setup, reshape, forward, backward${hint}`,
          command: Commands.runLayer,
          arguments: [runArgsFor(input.doc.uri, plan, false)],
        },
      },
      {
        range,
        command: {
          title: 'Check gradients',
          tooltip: `Compare backward of ${plan.layerClass} with central differences${hint}`,
          command: Commands.checkGradients,
          arguments: [runArgsFor(input.doc.uri, plan, true)],
        },
      },
      {
        range,
        command: {
          title: 'Debug layer',
          tooltip: `Run ${plan.module}.${plan.layerClass} under the debugger: breakpoints in its methods stop${hint}`,
          command: Commands.debugLayer,
          arguments: [runArgsFor(input.doc.uri, plan, false)],
        },
      },
    );
    const phases = learnable ? phasesWithKnownBottoms(net, layer, shapesIn) : [];
    if (phases.length > 0) {
      const args: InferPythonShapesArgs = { ...runArgsFor(input.doc.uri, plan, false), phases };
      const where = phases.map((p) => `${p.phase} (${p.bottomShapes.map((s) => s.join('×')).join(', ')})`);
      lenses.push({
        range,
        command: {
          title: 'Infer top shapes',
          tooltip: `Run setup and reshape of ${plan.layerClass} in ${where.join(' and ')} to learn its top shapes`,
          command: Commands.inferPythonShapes,
          arguments: [args],
        },
      });
    }
  }
  return lenses;
}

/** The phases that keep the layer and know every one of its bottom shapes, with those shapes. */
export function phasesWithKnownBottoms(
  net: NetModel,
  layer: NetLayer,
  shapesIn: (phase: Phase) => ShapeResult,
): InferPythonShapesArgs['phases'] {
  const phases: Phase[] = net.state.phase ? [net.state.phase] : ['TRAIN', 'TEST'];
  const out: InferPythonShapesArgs['phases'] = [];
  for (const phase of phases) {
    if (!layersInPhase(net, phase).some((l) => l.index === layer.index)) continue;
    const bottoms = layerShapesAt(shapesIn(phase), layer.index)?.bottoms;
    if (!bottoms || !bottoms.every(isComplete)) continue;
    out.push({ phase, bottomShapes: bottoms.map((b) => [...(b as number[])]) });
  }
  return out;
}
