// `yaml.load(text)` without a Loader. PyYAML 6 (2021; Debian's and pip's today) made the Loader a
// required argument, so the call stops with "TypeError: load() missing 1 required positional argument:
// 'Loader'". py-faster-rcnn and its forks read every layer's param_str this way, and so fail in setup.
// Each call is found through the module's imports (`import yaml as y`, `from yaml import load`), with
// the two ways out: `yaml.safe_load(text)`, or the Loader that still reads `!!python/tuple` tags.

import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import { qualifiedName, resolveDotted } from './imports';
import type { ImportBinding, YamlLoadCall } from './module-info';
import { dottedText, positionalArguments, spanBetween, spanOf } from './py-nodes';

/** Calls kept of one module: every one in a real file. */
const MAX_CALLS = 100;

/** Every `yaml.load(...)` call of `source` (whose tree is `root`) that gives no Loader. */
export function yamlLoadsWithoutLoader(
  root: Node,
  source: string,
  imports: readonly ImportBinding[],
  lines: LineIndex,
): YamlLoadCall[] {
  const out: YamlLoadCall[] = [];
  for (const match of source.matchAll(/\bload\s*\(/g)) {
    if (out.length >= MAX_CALLS) break;
    const name = root.descendantForIndex(match.index);
    const found = name && callWithoutLoader(name, imports, lines);
    if (found) out.push(found);
  }
  return out;
}

function callWithoutLoader(
  name: Node,
  imports: readonly ImportBinding[],
  lines: LineIndex,
): YamlLoadCall | undefined {
  if (name.type !== 'identifier') return undefined;
  // `yaml.load`: the name is the attribute; `load` imported from yaml: the name is the function.
  const fn = name.parent?.type === 'attribute' ? name.parent : name;
  const call = fn.parent;
  if (call?.type !== 'call' || call.childForFieldName('function')?.id !== fn.id || call.hasError)
    return undefined;
  const written = dottedText(fn);
  if (written === undefined || qualifiedName(resolveDotted(written, imports, new Set())) !== 'yaml.load')
    return undefined;
  const args = call.childForFieldName('arguments');
  if (!args) return undefined;
  const keywords = args.namedChildren.filter((a): a is Node => a?.type === 'keyword_argument');
  const loaderGiven = keywords.some((k) => k.childForFieldName('name')?.text === 'Loader');
  // A second positional argument is the Loader; a `**kwargs` may hold it.
  const splat = args.namedChildren.some((a) => a?.type === 'dictionary_splat' || a?.type === 'list_splat');
  if (loaderGiven || splat || positionalArguments(call).length !== 1) return undefined;
  const found: YamlLoadCall = { span: spanOf(call, lines), function: spanOf(fn, lines) };
  // `load` imported alone: the fixes would need an import of yaml too; none is offered.
  const module = written.slice(0, written.length - 'load'.length);
  const close = args.lastChild;
  if (module === '' || close?.type !== ')') return found;
  return {
    ...found,
    safeLoad: `${module}safe_load`,
    // Inside the parentheses, after the text and any trailing comma.
    loaderAt: spanBetween(close.startIndex, close.startIndex, lines),
    loaderText: `${trailingComma(args) ? ' ' : ', '}Loader=${module}FullLoader`,
  };
}

function trailingComma(args: Node): boolean {
  const children = args.children;
  return children.length >= 2 && children[children.length - 2]?.type === ',';
}
