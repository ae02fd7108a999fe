// Python layers' top shapes learned by running their reshape (the client's `Infer top shapes` lens or a
// layer run sends them with `prototxt/pythonLayerShapes`): remembered in the server's PythonShapeStore
// and fed to shape inference through the ShapeCache, so inlay hints, hover, the graph, the run lenses of
// later Python layers and the shape diagnostics see them.
//
//   learnPythonShapes(store, params, refresh) -> checks and stores the shapes, then asks for the refresh
//   withLearnedShapeDiagnostics(report, ...)  -> a published report with shape problems re-inferred
//                                                with the learned tops

import type { Diagnostic } from 'vscode-languageserver';
import { shapeDiagnostics, type ShapeCache } from '../../analysis/shape-checks';
import { parseLearnedShapes, type PythonShapeStore } from '../../analysis/shapes/known-tops';
import type { PythonLayerShapesResult } from '../../../../common/protocol';
import { toLspDiagnostics } from '../diagnostics/scheduler';
import type { FeatureInput } from '../context';
import type { DocumentReport } from '../diagnostics/report';

/** What the server does once a document learned shapes (each is optional for clients without it). */
export interface ShapesRefresh {
  /** Publish the document's diagnostics again (soon). */
  diagnostics(uri: string): void;
  /** `workspace/inlayHint/refresh`. */
  inlayHints(): void;
  /** `workspace/codeLens/refresh`: later Python layers may now have known bottoms. */
  codeLenses(): void;
}

/** Handles `prototxt/pythonLayerShapes`: malformed parameters are refused with the reason, never thrown. */
export function learnPythonShapes(
  store: PythonShapeStore,
  params: unknown,
  refresh: ShapesRefresh,
): PythonLayerShapesResult {
  const learned = parseLearnedShapes(params);
  if (typeof learned === 'string') return { accepted: false, message: learned };
  store.learn(learned);
  refresh.diagnostics(learned.uri);
  refresh.inlayHints();
  refresh.codeLenses();
  return { accepted: true };
}

/**
 * The report of a prototxt with its shape problems inferred again with the tops learned for it:
 * layers after a Python layer now have shapes, so a Concat that disagrees there is found. The
 * `shape-unknown-bottom` warnings (about blob names, not shapes) stay as validation reported them.
 * Unchanged when nothing was learned for the document.
 */
export function withLearnedShapeDiagnostics(
  uri: string,
  report: DocumentReport | undefined,
  analyzed: (uri: string) => FeatureInput | undefined,
  store: PythonShapeStore,
  cache: ShapeCache,
): DocumentReport | undefined {
  if (!report || store.generation(uri) === 0) return report;
  const input = analyzed(uri);
  if (!input?.analysis.net || input.doc.languageId !== 'prototxt' || input.doc.version !== report.version)
    return report;
  const replaced = (d: Diagnostic) =>
    typeof d.code === 'string' && d.code.startsWith('shape-') && d.code !== 'shape-unknown-bottom';
  const shapes = cache.shapesOf(input.analysis, input.schema.schema, uri);
  const found = shapeDiagnostics(shapes).filter((d) => d.code !== 'shape-unknown-bottom');
  return {
    ...report,
    diagnostics: [
      ...report.diagnostics.filter((d) => !replaced(d)),
      ...toLspDiagnostics(uri, input.doc.lines, found),
    ],
  };
}
