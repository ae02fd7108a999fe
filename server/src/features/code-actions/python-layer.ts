// Quick fixes for Python layers. In a prototxt: create the missing class in its module or the missing
// module file (a layer skeleton with Caffe's four methods, parsing param_str in the format it is written
// in), take a did-you-mean, rewrite param_str into the format the class reads, add a folder to
// extraPaths. In a Python file: replace eval(self.param_str) by ast.literal_eval or json.loads. What
// writes Python 2 code and yaml.load for today's Python 3 and PyYAML is in python3-fixes.ts.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import {
  parseParamStr,
  readingFor,
  SYNTAX_NAMES,
  type ParamSyntax,
} from '../../analysis/param-str/param-str';
import { keyText, toJson, toPython, toYaml, type ParamValue } from '../../analysis/param-str/value';
import { layerParams, type PythonLayerUse } from '../../analysis/python-layers';
import { moduleOffPath } from '../../analysis/python-module-missing';
import { missingImportOf } from '../../analysis/python-imports';
import { display } from '../../analysis/workspace-path';
import { Commands, type AddPythonPathArgs } from '../../../../common/protocol';
import { valueContentSpan } from '../../analysis/query';
import { LineIndex } from '../../util/ranges';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { AnalyzedDocument } from '../context';
import { pythonLayerDiagnostics } from '../shared/python-layer-diagnostics';
import { toLspDiagnostics } from '../shared/lsp-diagnostics';
import { prototxtDir, pythonUseAt, targetOf } from '../shared/python-layer-at';
import {
  python2Fixes,
  python2ImportFix,
  relativeImportFixes,
  relativeImportNetFix,
  yamlLoadFixes,
} from './python3-fixes';

/** Python-layer quick fixes for the diagnostics in `params.range`. */
export function pythonQuickFixes(
  input: AnalyzedDocument,
  params: CodeActionParams,
  python: PythonWorkspace,
  readText: (file: string) => string | undefined = readQuietly,
): CodeAction[] {
  const only = params.context?.only;
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  if (input.doc.languageId === 'python')
    return [
      ...evalFixes(input, params),
      ...tildeFixes(input, params),
      ...python2Fixes(input, params, python),
      ...yamlLoadFixes(input, params, python),
      ...relativeImportFixes(input, params, python),
    ];
  if (input.doc.languageId !== 'prototxt') return [];
  const lines = input.doc.lines;
  const start = lines.offsetAt(params.range.start);
  const end = lines.offsetAt(params.range.end);
  const out: CodeAction[] = [];
  for (const d of pythonLayerDiagnostics(input, python)) {
    if (d.end < start || d.start > end) continue;
    const lsp = toLspDiagnostics(input.doc.uri, lines, [d])[0];
    const hit = pythonUseAt(input, d.start);
    if (!hit) continue;
    out.push(...fixesFor(input, python, d, lsp, hit.use, readText));
  }
  return out;
}

function fixesFor(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  d: AnalysisDiagnostic,
  lsp: Diagnostic,
  use: PythonLayerUse,
  readText: (file: string) => string | undefined,
): CodeAction[] {
  const { doc } = input;
  const replaceInside = (title: string, node: { start: number; end: number }, text: string): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    edit: { changes: { [doc.uri]: [{ range: doc.lines.rangeOf(node.start, node.end), newText: text }] } },
  });
  const out: CodeAction[] = [];
  const className = use.className?.value.trim() ?? '';
  if (d.code === 'python-class-not-found' && use.className?.node) {
    const inner = valueContentSpan(doc.text, use.className.node);
    for (const s of d.suggestions ?? []) out.push(replaceInside(`Change to '${s}'`, inner, s));
    const target = targetOf(input, use, python);
    const text = target?.file ? readText(target.file) : undefined;
    if (target?.file && text !== undefined && /^[A-Za-z_]\w*$/.test(className)) {
      const lines = new LineIndex(text);
      const imports = missingImports(text, use);
      const edits: TextEdit[] = [];
      if (imports) {
        const at = lines.positionAt(importOffset(text));
        edits.push({ range: { start: at, end: at }, newText: imports });
      }
      const endPos = lines.positionAt(text.length);
      const sep =
        text.length === 0 ? '' : text.endsWith('\n\n') ? '\n' : text.endsWith('\n') ? '\n\n' : '\n\n\n';
      edits.push({ range: { start: endPos, end: endPos }, newText: sep + classSkeleton(className, use) });
      out.push({
        title: `Create class ${className} in ${path.basename(target.file)}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        edit: { changes: { [pathToFileURL(target.file).toString()]: edits } },
      });
    }
  }
  if (
    (d.code === 'python-module-not-found' || d.code === 'python-module-installed') &&
    python.index &&
    input.client.commands?.includes(Commands.addPythonPath)
  ) {
    const off = moduleOffPath(
      use.module?.value,
      use.className?.value,
      python.index,
      prototxtDir(input, python),
    );
    if (off) out.push(addPythonPathAction(off.folder, python, doc.uri, lsp));
  }
  if (d.code === 'python-module-python2') out.push(...python2ImportFix(input, python, use, lsp));
  if (d.code === 'python2-relative-import') out.push(...relativeImportNetFix(input, python, use, lsp));
  if (
    d.code === 'python-import-missing' &&
    python.index &&
    use.module &&
    input.client.commands?.includes(Commands.addPythonPath)
  ) {
    const target = targetOf(input, use, python);
    const found =
      target?.file && missingImportOf(python.index, target.file, use.module.value, python.installedModules);
    if (found && found.elsewhere) out.push(addPythonPathAction(found.elsewhere.folder, python, doc.uri, lsp));
  }
  if (d.code === 'python-module-not-found' && use.module) {
    const parts = use.module.value.trim().split('.');
    if (parts.every((p) => /^[A-Za-z_]\w*$/.test(p)) && /^[A-Za-z_]\w*$/.test(className)) {
      const file = path.join(prototxtDir(input, python), ...parts) + '.py';
      const uri = pathToFileURL(file).toString();
      const content = (missingImports('', use) ?? '') + '\n\n' + classSkeleton(className, use);
      out.push({
        title: `Create module ${path.relative(prototxtDir(input, python), file)} with class ${className}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        edit: {
          documentChanges: [
            { kind: 'create', uri, options: { ignoreIfExists: true } },
            {
              textDocument: { uri, version: null },
              edits: [
                {
                  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                  newText: content,
                },
              ],
            },
          ],
        },
      });
    }
  }
  if (d.code === 'param-str-unknown-key' && use.paramStr?.node) {
    const written = doc.text.slice(d.start, d.end);
    const old = /^(\\?['"])?(.*?)(\\?['"])?$/s.exec(written);
    for (const s of d.suggestions ?? []) {
      if (!old) continue;
      out.push(replaceInside(`Change to '${s}'`, d, `${old[1] ?? ''}${s}${old[3] ?? ''}`));
    }
  }
  if (d.code === 'param-str-syntax' && use.paramStr?.node) {
    const target = targetOf(input, use, python);
    if (target?.isLayer && target.cls && target.classFile) {
      const info = layerParams(python.index!, target.classFile, target.cls).info;
      const want = readingFor(info, input.settings.paramStr.format).syntax;
      const parsed = parseParamStr(use.paramStr.node.value, 'auto');
      const text = parsed.value && parsed.syntax !== want ? printAs(parsed.value, want) : undefined;
      if (text !== undefined) {
        const node = use.paramStr.node;
        out.push(
          replaceInside(`Rewrite param_str as ${SYNTAX_NAMES[want]}`, node, `"${escapeDouble(text)}"`),
        );
      }
    }
  }
  return out;
}

function printAs(v: ParamValue, syntax: ParamSyntax): string | undefined {
  if (syntax === 'json') return toJson(v);
  if (syntax === 'python') return toPython(v);
  if (syntax === 'yaml') return toYaml(v);
  return undefined;
}

function escapeDouble(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The way the prototxt's param_str is written decides how the new class parses it. */
function paramSyntaxOf(use: PythonLayerUse): { syntax: ParamSyntax; value?: ParamValue } {
  const text = use.paramStr?.value;
  if (text === undefined || text.trim() === '') return { syntax: 'raw' };
  const parsed = parseParamStr(text, 'auto');
  if (!parsed.value || parsed.value.kind !== 'dict') return { syntax: 'raw', value: parsed.value };
  return { syntax: parsed.syntax, value: parsed.value };
}

const LOADER: Partial<Record<ParamSyntax, { module: string; call: string }>> = {
  json: { module: 'json', call: 'json.loads' },
  python: { module: 'ast', call: 'ast.literal_eval' },
  yaml: { module: 'yaml', call: 'yaml.safe_load' },
};

function missingImports(text: string, use: PythonLayerUse): string | undefined {
  const needed = ['caffe'];
  const loader = LOADER[paramSyntaxOf(use).syntax];
  if (loader) needed.push(loader.module);
  const missing = needed.filter((m) => !importsModule(text, m));
  return missing.length === 0 ? undefined : missing.map((m) => `import ${m}\n`).join('');
}

/** Whether a Python file has an `import module` line (alone or in a list). */
function importsModule(text: string, module: string): boolean {
  return new RegExp(`^\\s*import\\s+([\\w.]+\\s*,\\s*)*${module}\\b`, 'm').test(text);
}

/** After a module docstring and `from __future__` imports, else the top. */
function importOffset(text: string): number {
  let offset = 0;
  const doc = /^(\s*#[^\n]*\n)*\s*(?:"""[\s\S]*?"""|'''[\s\S]*?''')[^\n]*\n/.exec(text);
  if (doc) offset = doc[0].length;
  const future = /^from __future__ import[^\n]*\n/gm;
  for (let m = future.exec(text); m; m = future.exec(text)) offset = Math.max(offset, m.index + m[0].length);
  return offset;
}

/** A caffe.Layer subclass with Caffe's four methods and the prototxt's parameter keys. */
export function classSkeleton(name: string, use: PythonLayerUse): string {
  const { syntax, value } = paramSyntaxOf(use);
  const loader = LOADER[syntax];
  const setup: string[] = [];
  if (loader && value?.kind === 'dict') {
    setup.push(`        params = ${loader.call}(self.param_str)`);
    for (const e of value.entries) {
      const key = keyText(e.key);
      const attr = /^[A-Za-z_]\w*$/.test(key) ? key : `param_${setup.length}`;
      setup.push(`        self.${attr} = params[${JSON.stringify(key)}]`);
    }
  } else if (use.paramStr) {
    setup.push('        self.param = self.param_str');
  }
  setup.push('        pass');
  return [
    `class ${name}(caffe.Layer):`,
    '    def setup(self, bottom, top):',
    ...setup.slice(0, setup.length > 1 ? -1 : undefined),
    '',
    '    def reshape(self, bottom, top):',
    '        pass',
    '',
    '    def forward(self, bottom, top):',
    '        pass',
    '',
    '    def backward(self, top, propagate_down, bottom):',
    '        pass',
    '',
  ].join('\n');
}

/** eval(self.param_str) -> ast.literal_eval(...) or json.loads(...), with the import when missing. */
function evalFixes(input: AnalyzedDocument, params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  const { doc } = input;
  for (const d of params.context?.diagnostics ?? []) {
    if (d.code !== 'python-eval-param-str') continue;
    const start = doc.lines.offsetAt(d.range.start);
    if (!doc.text.startsWith('eval', start)) continue;
    for (const [module, call] of [
      ['ast', 'ast.literal_eval'],
      ['json', 'json.loads'],
    ] as const) {
      const edits: TextEdit[] = [{ range: doc.lines.rangeOf(start, start + 4), newText: call }];
      const imported = importEdit(input, module);
      if (imported) edits.push(imported);
      out.push({
        title: `Use ${call}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: module === 'ast',
        edit: { changes: { [doc.uri]: edits } },
      });
    }
  }
  return out;
}

/** sys.path.insert(0, '~/x') -> sys.path.insert(0, os.path.expanduser('~/x')), with the import when missing. */
function tildeFixes(input: AnalyzedDocument, params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  const { doc } = input;
  for (const d of params.context?.diagnostics ?? []) {
    if (d.code !== 'python-sys-path-tilde') continue;
    const argument = doc.text.slice(doc.lines.offsetAt(d.range.start), doc.lines.offsetAt(d.range.end));
    // A diagnostic of an older version of the file whose argument has changed since.
    if (!argument.includes('~') || argument.includes('expanduser')) continue;
    const edits: TextEdit[] = [{ range: d.range, newText: `os.path.expanduser(${argument})` }];
    const imported = importEdit(input, 'os');
    if (imported) edits.push(imported);
    out.push({
      title: 'Expand ~ with os.path.expanduser',
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [doc.uri]: edits } },
    });
  }
  return out;
}

/** The edit that imports `module` where a Python file's imports begin; undefined when it is imported. */
function importEdit({ doc }: AnalyzedDocument, module: string): TextEdit | undefined {
  if (importsModule(doc.text, module)) return undefined;
  const at = doc.lines.positionAt(importOffset(doc.text));
  return { range: { start: at, end: at }, newText: `import ${module}\n` };
}

/** The client's command that adds `folder` to prototxt.python.extraPaths, as the preferred fix of `lsp`. */
function addPythonPathAction(
  folder: string,
  python: PythonWorkspace,
  uri: string,
  lsp: Diagnostic,
): CodeAction {
  const title = `Add ${display(folder, python.workspaceRoots)} to prototxt.python.extraPaths`;
  const args: AddPythonPathArgs = { folder, uri };
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    isPreferred: true,
    command: { title, command: Commands.addPythonPath, arguments: [args] },
  };
}

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
