// How a layer class reads its parameters: which parser turns `self.param_str` into values, where the
// result is kept (a local, `self.attr`, or used in place); param-keys.ts finds the keys read from it.

import type { Node } from 'web-tree-sitter';
import { ownEntry } from '../../../common/tables';
import type { LineIndex } from '../util/ranges';
import { qualifiedName, resolveDotted } from './imports';
import type { ImportBinding, ParamFormat, ParamKey, ParamKeyAccess, ParamRead, PySpan } from './module-info';
import {
  aggregateKeys,
  Follower,
  mentions,
  SCANNED,
  type Callable,
  type CallableLookup,
  type MethodNode,
} from './param-keys';
import { dottedText, positionalArguments, spanOf, stringValue, unparen } from './py-nodes';

export interface ClassParams {
  reads: ParamRead[];
  keys: ParamKey[];
  evalCalls: PySpan[];
  /** The parsed parameters go where keys may be read unseen (handed to a call, iterated, returned). */
  keysOpen?: true;
}

const LOADERS: Record<string, ParamFormat> = {
  'json.loads': 'json',
  'yaml.load': 'yaml',
  'yaml.safe_load': 'yaml',
  'yaml.full_load': 'yaml',
  'yaml.unsafe_load': 'yaml',
  eval: 'eval',
  'ast.literal_eval': 'literal_eval',
  float: 'float',
  int: 'int',
};

/** String methods that keep a value "the parameter string" (`self.param_str.strip()`). */
const STRING_METHODS = new Set([
  'strip',
  'lstrip',
  'rstrip',
  'replace',
  'lower',
  'upper',
  'encode',
  'decode',
]);

interface Ctx {
  lines: LineIndex;
  imports: readonly ImportBinding[];
  localClasses: ReadonlySet<string>;
}

export function analyzeClassParams(
  methods: readonly MethodNode[],
  imports: readonly ImportBinding[],
  localClasses: ReadonlySet<string>,
  lines: LineIndex,
  callables: CallableLookup = () => undefined,
): ClassParams {
  const ctx: Ctx = { lines, imports, localClasses };
  const reads: ParamRead[] = [];
  const readCalls: Node[] = [];
  const accesses = new Map<string, ParamKeyAccess[]>();
  const addAccess = (key: string, a: ParamKeyAccess) => {
    const list = accesses.get(key);
    if (list) list.push(a);
    else accesses.set(key, [a]);
  };
  const classHolders = new Set<string>();
  const localHolders = new Map<MethodNode, Set<string>>();
  let firstMention: Node | undefined;
  let keysOpen = false;
  // Node access crosses into WASM and is slow: nodes are fetched once per method and skipped by text first.
  const scanned = new Map<MethodNode, (Node | null)[]>();

  // Method texts and extents, each fetched once.
  const texts = new Map(methods.map((m) => [m, m.node.text]));
  const extents = new Map(methods.map((m) => [m, { start: m.node.startIndex, end: m.node.endIndex }]));
  for (const m of methods) {
    if (!texts.get(m)?.includes('param_str')) continue;
    const aliases = new Set<string>();
    const locals = new Set<string>();
    localHolders.set(m, locals);
    const nodes = m.node.descendantsOfType(SCANNED);
    scanned.set(m, nodes);
    for (const n of nodes) {
      if (!n) continue;
      const type = n.type;
      if (type !== 'assignment' && type !== 'call') continue;
      const text = n.text;
      if (!mentions(text, aliases, locals, classHolders)) continue;
      if (type === 'assignment') {
        const left = n.childForFieldName('left');
        const right = unparen(n.childForFieldName('right'));
        if (left?.type === 'identifier' && right && isParamSource(right, aliases)) aliases.add(left.text);
        // `self.params = params`: the parsed values get a second name.
        const from = dottedText(right);
        const to = dottedText(left);
        if (from && to && (locals.has(from) || classHolders.has(from))) {
          if (to.startsWith('self.')) classHolders.add(to);
          else if (!to.includes('.')) locals.add(to);
        }
        continue;
      }
      const read = readOf(n, aliases, ctx);
      if (!read) continue;
      const target = assignmentTarget(n);
      let holder: string | undefined;
      if (target && (target.type === 'pattern_list' || target.type === 'tuple_pattern')) {
        target.namedChildren.forEach((el, i) => {
          if (el)
            addAccess(String(i), { access: 'index', span: spanOf(el, lines), keySpan: spanOf(el, lines) });
        });
      } else if (target) {
        holder = dottedText(target);
        if (holder?.startsWith('self.')) classHolders.add(holder);
        else if (holder && !holder.includes('.')) locals.add(holder);
        else holder = undefined;
      }
      reads.push({ ...read, holder, method: m.name, span: spanOf(n, lines) });
      readCalls.push(n);
    }
  }

  if (reads.length === 0) firstMention = firstParamAttribute(methods, texts);
  if (firstMention) {
    const attribute =
      firstMention.childForFieldName('attribute')?.text === 'param_str_' ? 'param_str_' : 'param_str';
    const at = firstMention.startIndex;
    const method =
      methods.find((m) => {
        const e = extents.get(m);
        return e !== undefined && e.start <= at && at < e.end;
      })?.name ?? '';
    reads.push({
      format: 'raw',
      attribute,
      callee: `self.${attribute}`,
      method,
      span: spanOf(firstMention, lines),
    });
  }

  const readStarts = new Set(readCalls.map((c) => c.startIndex));
  const readExtents = readCalls.map((c) => ({ start: c.startIndex, end: c.endIndex }));
  const follower = new Follower(lines, callables, addAccess);
  const own: Callable = { methods, bound: true };
  for (const m of methods) {
    const holders = new Set([...classHolders, ...(localHolders.get(m) ?? [])]);
    const text = texts.get(m) ?? '';
    const extent = extents.get(m) ?? { start: 0, end: 0 };
    const inPlace = readExtents.some((c) => c.start >= extent.start && c.end <= extent.end);
    if (!inPlace && ![...holders].some((h) => text.includes(h))) continue;
    const isHolder = (n: Node | null): boolean => {
      const u = unparen(n);
      if (!u) return false;
      if (u.type === 'call' && readStarts.has(u.startIndex)) return true;
      const t = dottedText(u);
      return t !== undefined && holders.has(t);
    };
    const nodes = scanned.get(m) ?? m.node.descendantsOfType(SCANNED);
    if (!follower.keysIn(nodes, holders, isHolder, own, 0)) keysOpen = true;
  }

  const evalCalls = reads.filter((r) => r.format === 'eval').map((r) => r.span);
  return { reads, keys: aggregateKeys(accesses), evalCalls, ...(keysOpen ? { keysOpen } : {}) };
}

function firstParamAttribute(
  methods: readonly MethodNode[],
  texts: ReadonlyMap<MethodNode, string>,
): Node | undefined {
  for (const m of methods) {
    if (!texts.get(m)?.includes('param_str')) continue;
    const found = m.node
      .descendantsOfType('attribute')
      .find((a) => a !== null && paramAttribute(a) !== undefined);
    if (found) return found;
  }
  return undefined;
}

function paramAttribute(n: Node): 'param_str' | 'param_str_' | undefined {
  if (n.type !== 'attribute' || n.childForFieldName('object')?.text !== 'self') return undefined;
  const a = n.childForFieldName('attribute')?.text;
  return a === 'param_str' || a === 'param_str_' ? a : undefined;
}

/** The `self.param_str*` attribute behind an expression, through aliases and string methods. */
function paramSource(
  node: Node | null,
  aliases: ReadonlySet<string>,
): 'param_str' | 'param_str_' | 'alias' | undefined {
  const n = unparen(node);
  if (!n) return undefined;
  if (n.type === 'attribute') return paramAttribute(n);
  if (n.type === 'identifier') return aliases.has(n.text) ? 'alias' : undefined;
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'attribute' && STRING_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
      return paramSource(fn.childForFieldName('object'), aliases);
    }
    if (fn?.type === 'identifier' && fn.text === 'str')
      return paramSource(positionalArguments(n)[0] ?? null, aliases);
  }
  return undefined;
}

function isParamSource(node: Node, aliases: ReadonlySet<string>): boolean {
  return paramSource(node, aliases) !== undefined;
}

/** Finds the attribute name (`param_str` or `param_str_`) used inside an expression. */
function attributeIn(node: Node): 'param_str' | 'param_str_' {
  return /\bparam_str_\b/.test(node.text) ? 'param_str_' : 'param_str';
}

function readOf(
  call: Node,
  aliases: ReadonlySet<string>,
  ctx: Ctx,
): Omit<ParamRead, 'method' | 'span'> | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text;
    const object = fn.childForFieldName('object');
    if ((method === 'split' || method === 'rsplit') && object && isParamSource(object, aliases)) {
      const sepNode = positionalArguments(call)[0] ?? keywordArgument(call, 'sep');
      const separator = sepNode ? stringValue(sepNode) : undefined;
      return { format: 'split', attribute: attributeIn(object), callee: `.${method}`, separator };
    }
  }
  const written = dottedText(fn);
  if (!written) return undefined;
  const format = ownEntry(LOADERS, qualifiedName(resolveDotted(written, ctx.imports, ctx.localClasses)));
  if (!format) return undefined;
  const arg = positionalArguments(call)[0];
  if (!arg || !isParamSource(arg, aliases)) return undefined;
  const replaces = replacesIn(arg);
  return { format, attribute: attributeIn(arg), callee: written, ...(replaces ? { replaces } : {}) };
}

/**
 * The `.replace(old, new)` calls of a string method chain on the parameter string, innermost (run
 * first) first; undefined when there are none or one has an argument that is not a plain string.
 */
function replacesIn(node: Node): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (let n = unparen(node); n?.type === 'call';) {
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'attribute') break;
    if (fn.childForFieldName('attribute')?.text === 'replace') {
      const [from, to] = positionalArguments(n).map((a) => stringValue(a));
      if (from === undefined || to === undefined) return undefined;
      out.unshift([from, to]);
    }
    n = unparen(fn.childForFieldName('object'));
  }
  return out.length > 0 ? out : undefined;
}

function keywordArgument(call: Node, name: string): Node | null {
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) {
      return a.childForFieldName('value');
    }
  }
  return null;
}

/** `x = <call>` / `self.x = <call>`: the assignment's left side when the call is its whole right side. */
function assignmentTarget(call: Node): Node | null {
  let n: Node = call;
  // `(yaml.load(s))`, `yaml.load(s) or {}`
  while (
    n.parent?.type === 'parenthesized_expression' ||
    (n.parent?.type === 'boolean_operator' && n.parent.childForFieldName('left')?.startIndex === n.startIndex)
  ) {
    n = n.parent;
  }
  const parent = n.parent;
  if (parent?.type !== 'assignment') return null;
  if (parent.childForFieldName('right')?.startIndex !== n.startIndex) return null;
  return parent.childForFieldName('left');
}
