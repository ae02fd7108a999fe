// The Python layer use under the cursor (its module, class, name, type or param_str) and what it
// resolves to in the workspace's Python index: what definition, hover, completion, references and
// quick fixes of Python layers start from.

import * as path from 'node:path';
import { netsOf } from '../../analysis/model/embedded-nets';
import {
  pythonLayerUses,
  resolveLayerUse,
  type LayerTarget,
  type PythonLayerUse,
} from '../../analysis/python-layers';
import type { Span } from '../../parser/ast';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { AnalyzedDocument } from '../../workspace/analyses';

export type UsePart = 'module' | 'class' | 'name' | 'type' | 'paramStr';

export interface PythonUseHit {
  use: PythonLayerUse;
  part: UsePart;
  span: Span;
}

/** The Python layer use and the part of it under `offset`, if any. */
export function pythonUseAt(input: AnalyzedDocument, offset: number): PythonUseHit | undefined {
  const inside = (s: Span | undefined) => s !== undefined && offset >= s.start && offset <= s.end;
  // A net file's net, or the nets a solver embeds.
  const uses = netsOf(input.analysis).flatMap(pythonLayerUses);
  for (const use of uses) {
    if (!inside(use.layer.node)) continue;
    if (use.module && inside(use.module.span)) return { use, part: 'module', span: use.module.span };
    if (use.className && inside(use.className.span)) return { use, part: 'class', span: use.className.span };
    if (use.paramStr && inside(use.paramStr.span)) return { use, part: 'paramStr', span: use.paramStr.span };
    if (use.layer.nameSpan && inside(use.layer.nameSpan))
      return { use, part: 'name', span: use.layer.nameSpan };
    if (use.isPython && use.layer.typeSpan && inside(use.layer.typeSpan)) {
      return { use, part: 'type', span: use.layer.typeSpan };
    }
    return undefined;
  }
  return undefined;
}

/** The folder module names resolve from: the prototxt's own, or the first root for unsaved documents. */
export function prototxtDir(input: AnalyzedDocument, python: PythonWorkspace): string {
  const p = input.doc.path;
  return p ? path.dirname(p) : (python.workspaceRoots[0] ?? process.cwd());
}

export function targetOf(
  input: AnalyzedDocument,
  use: PythonLayerUse,
  python: PythonWorkspace,
): LayerTarget | undefined {
  const index = python.index;
  return index ? resolveLayerUse(use, index, prototxtDir(input, python)) : undefined;
}
