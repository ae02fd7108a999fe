// Go to definition for Python layers: the `module:` value opens the module file; the `layer:` value,
// the layer's `name` and its `type: "Python"` open the class. Consulted before the generic definition.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DefinitionParams, Location } from 'vscode-languageserver';
import {
  pythonLayerUses,
  resolveLayerUse,
  type LayerTarget,
  type PythonLayerUse,
} from '../../analysis/python-layers';
import type { Span } from '../../parser/ast';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { FeatureInput } from '../context';

export type UsePart = 'module' | 'class' | 'name' | 'type' | 'paramStr';

/** The Python layer use and the part of it under `offset`, if any. */
export function pythonUseAt(
  input: FeatureInput,
  offset: number,
): { use: PythonLayerUse; part: UsePart; span: Span } | undefined {
  const net = input.analysis.net;
  if (!net) return undefined;
  const inside = (s: Span | undefined) => s !== undefined && offset >= s.start && offset <= s.end;
  for (const use of pythonLayerUses(net)) {
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
export function prototxtDir(input: FeatureInput, python: PythonWorkspace): string {
  const p = input.doc.path;
  return p ? path.dirname(p) : (python.workspaceRoots[0] ?? process.cwd());
}

export function targetOf(
  input: FeatureInput,
  use: PythonLayerUse,
  python: PythonWorkspace,
): LayerTarget | undefined {
  const index = python.index;
  return index ? resolveLayerUse(use, index, prototxtDir(input, python)) : undefined;
}

/**
 * Definition links for a Python layer part under the cursor; undefined when the cursor is not on one
 * (the generic definition answers then), [] when it is on one that does not resolve.
 */
export function pythonLayerDefinition(
  input: FeatureInput,
  params: DefinitionParams,
  python: PythonWorkspace,
): Location[] | undefined {
  const offset = input.doc.lines.offsetAt(params.position);
  const hit = pythonUseAt(input, offset);
  if (!hit || hit.part === 'paramStr') return undefined;
  const target = targetOf(input, hit.use, python);
  // The layer name is also a blob-graph name: leave it to the generic definition when no class answers.
  if (!target?.file) return hit.part === 'name' ? undefined : [];
  const uri = pathToFileURL(target.file).toString();
  if (hit.part === 'module') {
    return [{ uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
  }
  if (!target.cls) return hit.part === 'name' ? undefined : [];
  return [{ uri, range: target.cls.nameSpan.range }];
}
