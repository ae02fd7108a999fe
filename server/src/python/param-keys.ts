// Which keys a layer reads from its parsed parameters: subscripts, `.get`, `in` tests, and where the
// values are handed on, followed into the module's own functions and classes.

import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import type { ParamKey, ParamKeyAccess } from './module-info';
import {
  dottedText,
  inTryCatchingKeyError,
  parameterList,
  positionalArguments,
  spanOf,
  stringValue,
  unparen,
} from './py-nodes';

export interface MethodNode {
  name: string;
  node: Node;
}

/** A function or class of the layer's module, which the layer may hand its parsed parameters to. */
export interface Callable {
  /** The function alone, or the class's methods. */
  methods: readonly MethodNode[];
  /** What a call runs: the function, or the class's `__init__` (none for a class without one). */
  entry?: MethodNode;
  /** A class's methods: the first parameter is `self`, and `self.x` is shared between them. */
  bound: boolean;
}

/** The module's functions and classes by name, for following the parameters into them. */
export type CallableLookup = (name: string) => Callable | undefined;

/** The nodes a method is scanned for: reads of param_str, key accesses, and where the values go. */
export const SCANNED = [
  'assignment',
  'call',
  'subscript',
  'comparison_operator',
  'for_statement',
  'for_in_clause',
  'return_statement',
];

/** Methods of the parsed parameters that read one key (keyAccessOf), or read none. */
const KEY_METHODS = new Set(['get', 'pop', 'setdefault', 'has_key', 'update']);
/** Calls that take the parsed parameters without reading their keys. */
const READS_NO_KEYS = new Set(['print', 'len', 'str', 'repr', 'type', 'isinstance', 'id', 'bool']);

/**
 * Whether `n` hands the parsed parameters on where keys may be read that this class does not show:
 * an argument of a call (`Loader(params)`, `Reader(**self.params)`, `setattr` loops over
 * `params.items()`), a loop over them, or a `return`. Printing or measuring them is no such use.
 */
function handsOn(n: Node, isHolder: (n: Node | null) => boolean): boolean {
  if (n.type === 'for_statement' || n.type === 'for_in_clause') return isHolder(n.childForFieldName('right'));
  if (n.type === 'return_statement') return n.namedChildren.some((c) => isHolder(c));
  if (n.type !== 'call') return false;
  const fn = n.childForFieldName('function');
  if (fn?.type === 'attribute' && isHolder(fn.childForFieldName('object'))) {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    // `'k' in params.keys()` is a key test (keyAccessOf).
    if (method === 'keys' && n.parent?.type === 'comparison_operator') return false;
    return !KEY_METHODS.has(method);
  }
  const callee = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  if (callee !== undefined && READS_NO_KEYS.has(callee)) return false;
  for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a) continue;
    const value =
      a.type === 'keyword_argument'
        ? a.childForFieldName('value')
        : a.type === 'list_splat' || a.type === 'dictionary_splat'
          ? a.namedChildren[0]
          : a;
    if (isHolder(value)) return true;
  }
  return false;
}

/** How many calls deep the parameters are followed into the module's functions and classes. */
const MAX_FOLLOW = 4;

/**
 * Reads keys where the parsed parameters go: accesses on their holders, and through calls into the
 * module's own functions and classes (`BatchLoader(params)`, `check_params(params)`,
 * `self.load(params)`, `Reader(**params)`), which read keys the layer class does not show.
 */
export class Follower {
  /** Entries already followed with the same parameter names: recursion ends there. */
  private readonly followed = new Set<string>();

  constructor(
    private readonly lines: LineIndex,
    private readonly callables: CallableLookup,
    private readonly add: (key: string, a: ParamKeyAccess) => void,
  ) {}

  /** Records the key reads among `nodes`; false when the values also go somewhere not followed. */
  keysIn(
    nodes: readonly (Node | null)[],
    holders: ReadonlySet<string>,
    isHolder: (n: Node | null) => boolean,
    own: Callable | undefined,
    depth: number,
    maybe = false,
  ): boolean {
    let closed = true;
    const add = maybe
      ? (key: string, a: ParamKeyAccess) =>
          this.add(key, a.access === 'subscript' || a.access === 'index' ? { ...a, maybe: true } : a)
      : this.add;
    for (const n of nodes) {
      if (!n || n.type === 'assignment' || !mentions(n.text, holders)) continue;
      if (handsOn(n, isHolder) && !(n.type === 'call' && this.follow(n, isHolder, own, depth, maybe)))
        closed = false;
      if (n.type === 'subscript' || n.type === 'call' || n.type === 'comparison_operator')
        keyAccessOf(n, isHolder, this.lines, add);
    }
    return closed;
  }

  /** Follows the parameters into the function or class `call` runs; false when that is not possible. */
  private follow(
    call: Node,
    isHolder: (n: Node | null) => boolean,
    own: Callable | undefined,
    depth: number,
    maybe: boolean,
  ): boolean {
    if (depth >= MAX_FOLLOW) return false;
    const fn = call.childForFieldName('function');
    let target: Callable | undefined;
    // Whether the call fills the entry's first parameter itself (`self`, or `cls` of a classmethod).
    let fillsFirst = true;
    if (fn?.type === 'identifier') target = this.callables(fn.text);
    else if (fn?.type === 'attribute') {
      // `self.load(params)`, `self.check(params)` of a staticmethod, `Transformer.check_params(params)`.
      const object = fn.childForFieldName('object');
      const name = fn.childForFieldName('attribute')?.text;
      const owner =
        object?.text === 'self'
          ? own
          : object?.type === 'identifier'
            ? this.callables(object.text)
            : undefined;
      const entry = owner?.bound ? owner.methods.find((m) => m.name === name) : undefined;
      if (owner && entry) {
        target = { methods: owner.methods, entry, bound: true };
        const decorator = decoratorOf(entry.node);
        fillsFirst = object?.text === 'self' ? decorator !== 'staticmethod' : decorator === 'classmethod';
      }
    }
    const entry = target?.entry;
    if (!target || !entry) return false;
    const passed = passedParameters(call, isHolder, entry.node, target.bound && fillsFirst, this.lines);
    if (!passed) return false;
    const onSomePaths = maybe || onSomePathsOnly(call);
    for (const [key, access] of passed.splatKeys)
      this.add(key, onSomePaths && access.access === 'subscript' ? { ...access, maybe: true } : access);
    if (passed.names.size === 0) return true;
    const id = `${entry.node.startIndex}\0${onSomePaths}\0${[...passed.names].sort().join(',')}`;
    if (this.followed.has(id)) return true;
    this.followed.add(id);
    return this.readsOf(target, entry, passed.names, depth + 1, onSomePaths);
  }

  /** Key reads of a followed function or class, its parameters `names` holding the values. */
  private readsOf(
    target: Callable,
    entry: MethodNode,
    names: ReadonlySet<string>,
    depth: number,
    maybe: boolean,
  ): boolean {
    const shared = new Set<string>();
    const locals = new Map<MethodNode, Set<string>>([[entry, new Set(names)]]);
    const order = [entry, ...target.methods.filter((m) => m !== entry)];
    const nodesOf = new Map<MethodNode, (Node | null)[]>();
    // Where the values go: `self.params = params` (shared by a class's methods), `p = params`.
    for (const m of order) {
      const mine = locals.get(m) ?? new Set<string>();
      locals.set(m, mine);
      if (mine.size === 0 && shared.size === 0) continue;
      const nodes = m.node.descendantsOfType(SCANNED);
      nodesOf.set(m, nodes);
      for (const n of nodes) {
        if (n?.type !== 'assignment') continue;
        const from = dottedText(unparen(n.childForFieldName('right')));
        const to = dottedText(n.childForFieldName('left'));
        if (!from || !to || !(mine.has(from) || shared.has(from))) continue;
        if (!to.includes('.')) mine.add(to);
        else if (target.bound && /^self\.[^.]+$/.test(to)) shared.add(to);
        else return false;
      }
    }
    let closed = true;
    for (const m of order) {
      const holders = new Set([...shared, ...(locals.get(m) ?? [])]);
      if (holders.size === 0) continue;
      const isHolder = (n: Node | null): boolean => {
        const t = dottedText(unparen(n));
        return t !== undefined && holders.has(t);
      };
      const nodes = nodesOf.get(m) ?? m.node.descendantsOfType(SCANNED);
      if (!this.keysIn(nodes, holders, isHolder, target.bound ? target : undefined, depth, maybe))
        closed = false;
    }
    return closed;
  }
}

/** `staticmethod` or `classmethod` when a method is declared one; else undefined. */
function decoratorOf(def: Node): 'staticmethod' | 'classmethod' | undefined {
  const outer = def.parent;
  if (outer?.type !== 'decorated_definition') return undefined;
  for (const d of outer.namedChildren) {
    if (d?.type !== 'decorator') continue;
    const name = d.namedChildren[0]?.text;
    if (name === 'staticmethod' || name === 'classmethod') return name;
  }
  return undefined;
}

/** Statements and expressions that run what they hold on some paths only. */
const ON_SOME_PATHS = new Set([
  'if_statement',
  'conditional_expression',
  'boolean_operator',
  'for_statement',
  'while_statement',
  'try_statement',
  'list_comprehension',
  'dictionary_comprehension',
  'set_comprehension',
  'generator_expression',
  'lambda',
]);

/** Whether `n` runs only on some paths through the function that holds it. */
function onSomePathsOnly(n: Node): boolean {
  for (let p = n.parent; p && p.type !== 'function_definition'; p = p.parent)
    if (ON_SOME_PATHS.has(p.type)) return true;
  return false;
}

/**
 * The parameters of `def` a call fills with the parsed values, and the keys a `**values` splat must
 * hold (a parameter without a default) or may hold (one with a default). Undefined when the values
 * land where they cannot be followed (`*args`, an unknown keyword, a `*values` splat).
 */
function passedParameters(
  call: Node,
  isHolder: (n: Node | null) => boolean,
  def: Node,
  bound: boolean,
  lines: LineIndex,
): { names: Set<string>; splatKeys: [string, ParamKeyAccess][] } | undefined {
  const paramsNode = def.childForFieldName('parameters');
  if (!paramsNode) return undefined;
  const signature = parameterList(paramsNode).slice(bound ? 1 : 0);
  const positional = signature.filter((p) => p.kind === 'plain' && !p.keywordOnly);
  const names = new Set<string>();
  const byKeyword = new Set<string>();
  let position = 0;
  let splat = false;
  let unknownPositions = false;
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text ?? '';
      byKeyword.add(name);
      if (!isHolder(a.childForFieldName('value'))) continue;
      if (!signature.some((p) => p.kind === 'plain' && p.name === name)) return undefined;
      names.add(name);
    } else if (a.type === 'dictionary_splat') {
      if (isHolder(a.namedChildren[0] ?? null)) splat = true;
    } else if (a.type === 'list_splat') {
      if (isHolder(a.namedChildren[0] ?? null)) return undefined;
      unknownPositions = true;
    } else {
      if (isHolder(a)) {
        const p = positional[position];
        if (unknownPositions || !p) return undefined;
        names.add(p.name);
      }
      position++;
    }
  }
  const splatKeys: [string, ParamKeyAccess][] = [];
  if (!splat) return { names, splatKeys };
  if (unknownPositions) return undefined;
  for (const p of signature) {
    if (p.kind === 'dict') names.add(p.name);
    const filled = byKeyword.has(p.name) || (!p.keywordOnly && positional.indexOf(p) < position);
    if (p.kind !== 'plain' || filled) continue;
    const span = spanOf(p.nameNode, lines);
    splatKeys.push([
      p.name,
      p.default === undefined
        ? { access: 'subscript', span, keySpan: span }
        : { access: 'get', span, keySpan: span, default: p.default },
    ]);
  }
  return { names, splatKeys };
}

/** Whether `text` contains `param_str` or any of the given names (a cheap filter before looking at nodes). */
export function mentions(text: string, ...names: ReadonlySet<string>[]): boolean {
  if (text.includes('param_str')) return true;
  for (const set of names) for (const name of set) if (text.includes(name)) return true;
  return false;
}

function keyAccessOf(
  n: Node,
  isHolder: (n: Node | null) => boolean,
  lines: LineIndex,
  add: (key: string, a: ParamKeyAccess) => void,
): void {
  if (n.type === 'subscript') {
    if (!isHolder(n.childForFieldName('value'))) return;
    const parent = n.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.startIndex === n.startIndex)
      return;
    const sub = n.childForFieldName('subscript');
    const key = stringValue(sub);
    if (!sub) return;
    // A read in a try that catches the missing key has a default, as `.get` has.
    if (key !== undefined)
      add(key, {
        access: inTryCatchingKeyError(n) ? 'get' : 'subscript',
        span: spanOf(n, lines),
        keySpan: spanOf(sub, lines),
      });
    else if (sub.type === 'integer') {
      add(String(Number(sub.text)), { access: 'index', span: spanOf(n, lines), keySpan: spanOf(sub, lines) });
    }
    return;
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'attribute' || !isHolder(fn.childForFieldName('object'))) return;
    const method = fn.childForFieldName('attribute')?.text;
    if (method !== 'get' && method !== 'pop' && method !== 'setdefault' && method !== 'has_key') return;
    const [keyNode, defaultNode] = positionalArguments(n);
    const key = stringValue(keyNode ?? null);
    if (key === undefined || !keyNode) return;
    const keySpan = spanOf(keyNode, lines);
    // Python 2's `holder.has_key('k')`: a test, as `'k' in holder` is.
    if (method === 'has_key') {
      add(key, { access: 'in', span: spanOf(n, lines), keySpan });
      return;
    }
    if (method === 'pop' && !defaultNode) {
      add(key, { access: 'subscript', span: spanOf(n, lines), keySpan });
      return;
    }
    add(key, {
      access: 'get',
      span: spanOf(n, lines),
      keySpan,
      default: defaultNode ? defaultNode.text : 'None',
    });
    return;
  }
  // comparison_operator: 'k' in holder / 'k' not in holder / 'k' in holder.keys()
  const operands = n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const operators = n.childrenForFieldName('operators').map((o) => o?.type);
  if (operands.length !== 2 || operators.length !== 1 || (operators[0] !== 'in' && operators[0] !== 'not in'))
    return;
  let right: Node | null = unparen(operands[1]);
  // `['k'] in params.keys()` (deep_share's): a test of the key as its author meant it, whatever Python
  // makes of a list there; the read it guards is no required one.
  const left = unparen(operands[0]);
  const listed = left?.type === 'list' && left.namedChildren.length === 1 ? left.namedChildren[0] : null;
  const key = stringValue(operands[0]) ?? stringValue(listed);
  if (right?.type === 'call') {
    const fn = right.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'keys') {
      right = fn.childForFieldName('object');
    }
  }
  if (key !== undefined && isHolder(right)) {
    add(key, { access: 'in', span: spanOf(n, lines), keySpan: spanOf(operands[0], lines) });
  }
}

export function aggregateKeys(accesses: Map<string, ParamKeyAccess[]>): ParamKey[] {
  const keys: ParamKey[] = [];
  for (const [name, list] of accesses) {
    list.sort((a, b) => a.span.start - b.span.start);
    const guarded = list.some((a) => a.access === 'in' || a.access === 'get');
    const read = list.some((a) => (a.access === 'subscript' || a.access === 'index') && !a.maybe);
    const def = list.find((a) => a.default !== undefined)?.default;
    keys.push({ name, required: read && !guarded, default: def, accesses: list });
  }
  return keys.sort((a, b) => a.accesses[0].span.start - b.accesses[0].span.start);
}
