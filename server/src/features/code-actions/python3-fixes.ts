// Quick fixes that write a layer's Python for the Python 3 and PyYAML Caffe runs today: each Python 2
// form of a file (one line, or all of them), every module a net's layer import runs at once, and
// yaml.load without a Loader. The edits come from the index's reading of each file as it is now.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import { implicitRelativeImports, relativeImportEdit } from '../../analysis/python-imports';
import type { PythonLayerUse } from '../../analysis/python-layers';
import type { ModuleInfo, Python2Construct } from '../../python/module-info';
import { python3Shown } from '../../python/python2-names';
import { packageInits } from '../../python/resolve-module';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { AnalyzedDocument } from '../context';
import { prototxtDir, targetOf } from '../shared/python-layer-at';

/**
 * A python2-syntax diagnostic's Python 3 form, and the same for the whole file when it has more than
 * one. The edits come from the index's reading of the document as it is now; a diagnostic of an older
 * version that no construct matches any more gets none.
 */
export function python2Fixes(
  input: AnalyzedDocument,
  params: CodeActionParams,
  python: PythonWorkspace,
): CodeAction[] {
  const found = askedOf(input, params, python, 'python2-syntax');
  if (!found) return [];
  const { doc, asked, info } = found;
  const fixable = (info?.python2 ?? []).filter(
    (c): c is Python2Construct & { python3: string } => c.python3 !== undefined,
  );
  const out: CodeAction[] = [];
  for (const d of asked) {
    const c = fixable.find((f) => sameRange(f.span.range, d.range));
    if (!c) continue;
    out.push({
      title: `Write it for Python 3: ${shortened(python3Shown(c) ?? c.python3)}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [doc.uri]: [{ range: c.span.range, newText: c.python3 }] } },
    });
  }
  if (out.length > 0 && fixable.length > 1) {
    const edits = python3Edits(fixable);
    out.push({
      title: `Write the file's Python 2 code for Python 3 (${edits.length} place${edits.length === 1 ? '' : 's'})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: asked,
      edit: { changes: { [doc.uri]: edits } },
    });
  }
  return out;
}

/**
 * The edits that write a file's Python 2 constructs for Python 3: one per construct not inside
 * another (`print 10L`: the print first, the literal the next time).
 */
function python3Edits(constructs: readonly Python2Construct[]): TextEdit[] {
  const edits: TextEdit[] = [];
  let end = -1;
  for (const c of constructs) {
    if (c.python3 === undefined || c.span.start < end) continue;
    edits.push({ range: c.span.range, newText: c.python3 });
    end = c.span.end;
  }
  return edits;
}

/**
 * A python-module-python2 diagnostic's fix: every module the layer's import runs (the module, the
 * package __init__.py files before it, what they import, transitively) written for Python 3 at once,
 * as each file's own fix-all does. What it leaves (no Python 3 form, or inside a rewritten one) is counted.
 */
export function python2ImportFix(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  use: PythonLayerUse,
  lsp: Diagnostic,
): CodeAction[] {
  const index = python.index;
  const target = targetOf(input, use, python);
  if (!index || !target?.file || !use.module) return [];
  const starts = [...packageInits(target.file, use.module.value, (f) => index.has(f)), target.file];
  const modules = new Map<string, Python2Construct[]>();
  for (const start of starts)
    for (const m of index.python2Closure(start)) if (m.python2) modules.set(m.file, m.python2);
  const changes: Record<string, TextEdit[]> = {};
  let places = 0;
  let left = 0;
  for (const [file, constructs] of modules) {
    const edits = python3Edits(constructs);
    // Without a Python 3 form, or inside one the edits rewrite (written by the next application).
    left += constructs.length - edits.length;
    if (edits.length === 0) continue;
    changes[pathToFileURL(file).toString()] = edits;
    places += edits.length;
  }
  const files = Object.keys(changes).length;
  if (files === 0) return [];
  const byHand = left > 0 ? `; ${left} more remain${left === 1 ? 's' : ''} after it` : '';
  return [
    {
      title:
        `Write the Python 2 code this layer's import runs for Python 3 (${places} place${places === 1 ? '' : 's'} ` +
        `in ${files} file${files === 1 ? '' : 's'}${byHand})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [lsp],
      edit: { changes },
    },
  ];
}

/**
 * A python-yaml-load diagnostic's two fixes: `yaml.safe_load(text)` (preferred), or the Loader that
 * also reads `!!python/tuple` tags. From the index's reading of the document as it is now.
 */
export function yamlLoadFixes(
  input: AnalyzedDocument,
  params: CodeActionParams,
  python: PythonWorkspace,
): CodeAction[] {
  const found = askedOf(input, params, python, 'python-yaml-load');
  if (!found) return [];
  const { doc, asked, info } = found;
  const calls = info?.yamlLoads ?? [];
  const out: CodeAction[] = [];
  for (const d of asked) {
    const c = calls.find((call) => sameRange(call.function.range, d.range));
    if (c?.safeLoad === undefined || c.loaderAt === undefined || c.loaderText === undefined) continue;
    const edit = (range: Range, newText: string) => ({ changes: { [doc.uri]: [{ range, newText }] } });
    out.push(
      {
        title: `Use ${c.safeLoad}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: edit(c.function.range, c.safeLoad),
      },
      {
        title: `Give${c.loaderText.replace(/^,?\s*/, ' ')} (reads !!python/tuple too)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: edit(c.loaderAt.range, c.loaderText),
      },
    );
  }
  return out;
}

/**
 * A python2-relative-import diagnostic's fix in the Python file: the statement made relative, from
 * the index's reading of the document as it is now.
 */
export function relativeImportFixes(
  input: AnalyzedDocument,
  params: CodeActionParams,
  python: PythonWorkspace,
): CodeAction[] {
  const found = askedOf(input, params, python, 'python2-relative-import');
  if (!found) return [];
  const { doc, asked, info } = found;
  const imports = info?.imports ?? [];
  const out: CodeAction[] = [];
  for (const d of asked) {
    const binding = imports.find((b) => sameRange(b.span.range, d.range));
    const edit = binding && relativeImportEdit(binding, imports);
    if (!binding || !edit) continue;
    const written =
      edit.newText === '.'
        ? doc.text.slice(binding.span.start, binding.moduleSpan?.start) +
          '.' +
          doc.text.slice(binding.moduleSpan?.start, binding.span.end)
        : edit.newText;
    out.push({
      title: `Import it relatively: ${shortened(written.replace(/\s+/g, ' '))}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [doc.uri]: [edit] } },
    });
  }
  return out;
}

/**
 * A python2-relative-import diagnostic's fix on the net: every import of the layer's module that only
 * Python 2 finds made relative, in that module's file.
 */
export function relativeImportNetFix(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  use: PythonLayerUse,
  lsp: Diagnostic,
): CodeAction[] {
  const index = python.index;
  const target = targetOf(input, use, python);
  if (!index || !target?.file || !use.module) return [];
  const found = implicitRelativeImports(index, target.file, use.module.value, prototxtDir(input, python));
  const edits = found.flatMap((f) => (f.edit ? [f.edit] : []));
  if (edits.length === 0) return [];
  const left = found.length - edits.length;
  return [
    {
      title:
        `Import the package's modules relatively in ${path.basename(target.file)} (${edits.length} ` +
        `place${edits.length === 1 ? '' : 's'}${left > 0 ? `; ${left} more to write by hand` : ''})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [lsp],
      isPreferred: true,
      edit: { changes: { [pathToFileURL(target.file).toString()]: edits } },
    },
  ];
}

/** The diagnostics of `code` a Python document's fixes are asked for, with the index's reading of it. */
function askedOf(
  input: AnalyzedDocument,
  params: CodeActionParams,
  python: PythonWorkspace,
  code: string,
): { doc: AnalyzedDocument['doc']; asked: Diagnostic[]; info: ModuleInfo | undefined } | undefined {
  const { doc } = input;
  const asked = (params.context?.diagnostics ?? []).filter((d) => d.code === code);
  if (asked.length === 0 || !doc.path) return undefined;
  return { doc, asked, info: python.index?.moduleInfo(doc.path) };
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** A one-line title: the first line, at most 50 characters. */
function shortened(text: string): string {
  const line = text.split('\n')[0];
  return line.length <= 50 && line === text ? line : `${line.slice(0, 47).trimEnd()}...`;
}
