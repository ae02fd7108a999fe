// `prototxt/pythonLayerShapes`: Python layers' top shapes learned by running their reshape (the
// client's `Infer top shapes` lens or a layer run sends them), remembered in the server's
// PythonShapeStore. Each document's shapes (workspace/document-shapes.ts) take them in, so inlay hints,
// hover, the graph, the run lenses of later Python layers and the shape diagnostics see them.

import { parseLearnedShapes, type PythonShapeStore } from '../../analysis/shapes/known-tops';
import type { PythonLayerShapesResult } from '../../../../common/protocol';

/**
 * Handles `prototxt/pythonLayerShapes`: malformed parameters are refused with the reason, never thrown;
 * `learnedFor` is told which document's shapes changed (its diagnostics, hints and lenses are redone).
 */
export function learnPythonShapes(
  store: PythonShapeStore,
  params: unknown,
  learnedFor: (uri: string) => void,
): PythonLayerShapesResult {
  const learned = parseLearnedShapes(params);
  if (typeof learned === 'string') return { accepted: false, message: learned };
  store.learn(learned);
  learnedFor(learned.uri);
  return { accepted: true };
}
