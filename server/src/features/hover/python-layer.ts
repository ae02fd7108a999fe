// Hover on a Python layer's python_param: param_str shows the value as the layer will see it (parsed
// in the class's format, pretty-printed as Python) and the keys the class reads; `module:` shows the
// file it resolves to and any other file it shadows; `layer:` shows the class and where it lives.

import { MarkupKind, type Hover } from 'vscode-languageserver';
import { namedKeys, parseParamStr, readingFor, SYNTAX_NAMES } from '../../analysis/param-str/param-str';
import { prettyPython } from '../../analysis/param-str/value';
import { layerParams } from '../../analysis/python-layers';
import { display } from '../../analysis/workspace-path';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { Cursor } from '../context';
import { targetOf } from '../shared/python-layer-at';

/** Hover for the module, layer or param_str value under the cursor; undefined elsewhere. */
export function pythonLayerHover(cursor: Cursor, python: PythonWorkspace): Hover | undefined {
  const input = cursor.input;
  const hit = cursor.pythonUse;
  if (!hit || hit.part === 'name' || hit.part === 'type') return undefined;
  const md = input.client.markdown;
  const code = (lang: string, text: string) => (md ? `\`\`\`${lang}\n${text}\n\`\`\`` : text);
  const roots = python.workspaceRoots;
  const target = targetOf(input, hit.use, python);
  const lines: string[] = [];
  if (hit.part === 'module') {
    const r = target?.resolution;
    if (!r?.file) return undefined;
    lines.push(`Module file: ${display(r.file, roots)}`);
    if (r.others.length > 0)
      lines.push(`Also matches (shadowed): ${r.others.map((f) => display(f, roots)).join(', ')}`);
  } else if (hit.part === 'class') {
    if (!target?.cls || !target.classFile) return undefined;
    const bases = target.cls.bases.map((b) => b.text).join(', ');
    lines.push(code('python', `class ${target.cls.name}(${bases})`));
    const imported =
      target.file && target.classFile !== target.file ? `, imported by ${display(target.file, roots)}` : '';
    lines.push(
      `${display(target.classFile, roots)}${imported}${target.isLayer ? ' — a caffe.Layer' : ' — not a caffe.Layer'}`,
    );
  } else {
    const node = hit.use.paramStr?.node;
    if (!node) return undefined;
    const info =
      target?.isLayer && target.cls && target.classFile && python.index
        ? layerParams(python.index, target.classFile, target.cls).info
        : undefined;
    const reading = readingFor(info, input.settings.paramStr.format);
    const syntax = reading.fromClass || input.settings.paramStr.format !== 'auto' ? reading.syntax : 'auto';
    const parsed = parseParamStr(node.value, syntax, reading.separator);
    const how =
      reading.fromClass && info
        ? `${info.name} reads it as ${SYNTAX_NAMES[parsed.syntax]}`
        : `Read as ${SYNTAX_NAMES[parsed.syntax]}`;
    if (parsed.value) {
      lines.push(`param_str as the layer sees it (${how}):`);
      lines.push(code('python', prettyPython(parsed.value)));
    } else {
      lines.push(`param_str does not parse (${how}): ${parsed.problems[0]?.message ?? ''}`);
    }
    const keys = info ? namedKeys(info) : [];
    if (keys.length > 0) {
      const list = keys.map((k) => `${k.name}${k.required ? ' (required)' : ` = ${k.default ?? 'None'}`}`);
      lines.push(`Keys ${info?.name} reads: ${list.join(', ')}`);
    }
  }
  return {
    contents: { kind: md ? MarkupKind.Markdown : MarkupKind.PlainText, value: lines.join('\n\n') },
    range: input.doc.lines.rangeOf(hit.span.start, hit.span.end),
  };
}
