// Completion inside python_param: `module:` values (indexed modules that define layer classes, dotted
// relative to the resolution roots), `layer:` values (the module's layer classes first) and the keys
// the class reads inside `param_str`, with their defaults written in the string's format.

import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver';
import { namedKeys, parseParamStr, readingFor, type ParamSyntax } from '../../analysis/param-str/param-str';
import { keyText, toJson, toPython, toYaml } from '../../analysis/param-str/value';
import { layerParams, pythonLayerUses } from '../../analysis/python-layers';
import { display } from '../../analysis/workspace-path';
import { valueContentSpan } from '../../analysis/query';
import type { StringNode } from '../../parser/ast';
import type { ClassInfo } from '../../python/module-info';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { AnalyzedDocument, Cursor } from '../context';
import { prototxtDir, targetOf } from '../shared/python-layer-at';

/** Items for a python_param value under the cursor; undefined when the cursor is elsewhere. */
export function pythonLayerCompletion(cursor: Cursor, python: PythonWorkspace): CompletionItem[] | undefined {
  const { input, offset, q } = cursor;
  if (q.kind !== 'fieldValue' || q.pathNames[q.pathNames.length - 1] !== 'python_param') return undefined;
  const name = q.field.name;
  if (name !== 'module' && name !== 'layer' && name !== 'param_str') return undefined;
  const value = q.value?.kind === 'string' ? q.value : undefined;
  if (q.value && !value) return undefined;
  const text = input.doc.text;
  const index = python.index;
  if (!index) return [];
  const inner = value ? valueContentSpan(text, value) : { start: offset, end: offset };
  const range = input.doc.lines.rangeOf(inner.start, inner.end);
  const quoted = (s: string) => (value ? s : `"${s}"`);
  const dir = prototxtDir(input, python);
  if (name === 'module') {
    return index.layerModules(dir).flatMap((m) =>
      m.names.map((n, i) => ({
        label: n,
        kind: CompletionItemKind.Module,
        detail: display(m.file, python.workspaceRoots),
        documentation: `Layer classes: ${m.classes.map((c) => c.name).join(', ')}`,
        sortText: `${i}${n}`,
        textEdit: { range, newText: quoted(n) },
      })),
    );
  }
  const net = q.net;
  const use = net ? pythonLayerUses(net).find((u) => u.layer === q.layer) : undefined;
  if (!use) return [];
  const target = targetOf(input, use, python);
  if (name === 'layer') {
    const own = target?.file ? index.moduleLayerClasses(target.file).map((c) => c.name) : [];
    const items: CompletionItem[] = own.map((c) => ({
      label: c,
      kind: CompletionItemKind.Class,
      detail: target?.file ? display(target.file, python.workspaceRoots) : undefined,
      sortText: `0${c}`,
      textEdit: { range, newText: quoted(c) },
    }));
    if (target?.file) return items;
    // No module yet: every layer class, labelled with where it lives.
    for (const l of index.layerClasses()) {
      if (items.some((i) => i.label === l.cls.name)) continue;
      items.push({
        label: l.cls.name,
        kind: CompletionItemKind.Class,
        detail: display(l.file, python.workspaceRoots),
        sortText: `1${l.cls.name}`,
        textEdit: { range, newText: quoted(l.cls.name) },
      });
    }
    return items;
  }
  if (!value || !target?.cls || !target.isLayer) return [];
  const own = target.classFile ? layerParams(index, target.classFile, target.cls).info : target.cls;
  return paramStrKeys(input, value, offset, own, input.settings.paramStr.format);
}

function paramStrKeys(
  input: AnalyzedDocument,
  str: StringNode,
  offset: number,
  cls: ClassInfo,
  setting: AnalyzedDocument['settings']['paramStr']['format'],
): CompletionItem[] {
  const reading = readingFor(cls, setting);
  const syntax = reading.syntax;
  if (syntax !== 'json' && syntax !== 'python' && syntax !== 'yaml') return [];
  const parsed = parseParamStr(str.value, syntax);
  const present = new Set(
    parsed.value?.kind === 'dict' ? parsed.value.entries.map((e) => keyText(e.key)) : [],
  );
  const text = input.doc.text;
  const piece = str.pieces.find((p) => offset > p.start && offset < p.end) ?? str.pieces[0];
  const quote = text[piece.start] === "'" ? "'" : '"';
  // Replace the key being typed, with its opening quote (written plainly or as an escape).
  let start = offset;
  while (start > piece.start + 1 && /[A-Za-z0-9_]/.test(text[start - 1])) start--;
  if (text[start - 1] === "'" || text[start - 1] === '"') {
    start -= start - 2 > piece.start && text[start - 2] === '\\' ? 2 : 1;
  }
  if (start <= piece.start) start = piece.start + 1;
  const range: Range = input.doc.lines.rangeOf(start, offset);
  return namedKeys(cls)
    .filter((k) => !present.has(k.name))
    .map((k, i) => ({
      label: k.name,
      kind: CompletionItemKind.Property,
      detail: k.required ? 'required' : `default: ${k.default ?? 'None'}`,
      sortText: `${k.required ? 0 : 1}${String(i).padStart(3, '0')}`,
      textEdit: {
        range,
        newText: escapeFor(quote, entryText(syntax, k.name, k.required ? undefined : k.default)),
      },
    }));
}

/** `key: value` in the string's format; the default (Python source) is rewritten when it is a literal. */
function entryText(syntax: ParamSyntax, key: string, pyDefault: string | undefined): string {
  const v = pyDefault === undefined ? undefined : parseParamStr(pyDefault, 'python').value;
  if (syntax === 'json') return `${JSON.stringify(key)}: ${v ? toJson(v) : ''}`;
  if (syntax === 'yaml') return `${key}: ${v ? toYaml(v) : ''}`;
  return `'${key}': ${v ? toPython(v) : ''}`;
}

/** The text as it must be written inside a prototxt literal quoted with `quote`. */
function escapeFor(quote: string, s: string): string {
  return s.replace(/\\/g, '\\\\').replace(quote === '"' ? /"/g : /'/g, `\\${quote}`);
}
