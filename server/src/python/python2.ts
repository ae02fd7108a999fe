// Python 2 code that Python 3 cannot run. A layer module written for Python 2 (py-faster-rcnn and its
// forks are full of them) makes the import fail with a SyntaxError before any of it runs, and Caffe
// built with Python 3 stops at that layer. tree-sitter-python reads the Python 2 forms as they are
// (print and exec statements, backquotes, `<>`, long and old octal literals, `ur` strings, `raise E, msg`,
// tuple parameters), so each is found by what it is, not guessed from an error. Left out on purpose:
// `except A, e:` (Python 3.14 reads `except A, B:` as two exception types).
// Besides the syntax: an import of a module Python 3 renamed or dropped (`import cPickle`) stops the
// import too, unless a `try` with `except ImportError` or a version test guards it, and Python 2's
// builtins (`xrange`, `unicode`, ...) and dict methods (`iteritems`, `has_key`) fail when their line runs.
//
// Each construct comes with the Python 3 text that does the same, where there is one.

import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import type { Python2Construct, Python2Kind } from './module-info';
import { PYTHON3_BUILTINS, PYTHON3_DICT_METHODS, PYTHON3_MODULES } from './python2-names';
import { catchesImportError, spanOf } from './py-nodes';

/** The constructs kept of one module: all of them in any real file, a bound for a generated one. */
export const MAX_PYTHON2 = 200;

/**
 * Where a form may start, one group per kind of candidate. Each match is looked up in the syntax tree,
 * which says what is there (a `print` in a comment or a string is no print statement): a few look-ups
 * instead of a walk over the whole tree, which would cost a fifth of the parse. The patterns err on
 * the side of looking (a `raise` with a comma later on its line, any `def` with a parenthesis after
 * `(` or `,`); they miss only a `raise E, v` or a tuple parameter written over several lines.
 */
const CANDIDATES = new RegExp(
  [
    String.raw`(\bprint\b)(?![ \t]*\()`,
    String.raw`(\bexec\b)(?![ \t]*\()`,
    '(`)',
    '(<>)',
    String.raw`(\b(?:0[0-7_]*[1-7][0-7_]*[lL]?|(?:\d+|0[xX][\da-fA-F]+)[lL])\b)`,
    String.raw`(\b[uU][rR]['"])`,
    String.raw`(\braise\b)(?=[^\n#]*,)`,
    String.raw`(\bdef\b)(?=[^:\n]*[(,][ \t]*\()`,
    String.raw`(\blambda\b)(?=[^:\n]*\()`,
    `\\b(${[...PYTHON3_MODULES.keys()].join('|')})\\b`,
    `\\b(${[...PYTHON3_BUILTINS.keys()].join('|')})\\b`,
    `\\.(${[...PYTHON3_DICT_METHODS.keys()].join('|')})\\b`,
  ].join('|'),
  'gd',
);

type Candidate =
  | 'print'
  | 'exec'
  | 'backquote'
  | 'not-equal'
  | 'integer'
  | 'ur'
  | 'raise'
  | 'def'
  | 'lambda'
  | 'module'
  | 'builtin'
  | 'dict-method';
const GROUPS: readonly Candidate[] = [
  'print',
  'exec',
  'backquote',
  'not-equal',
  'integer',
  'ur',
  'raise',
  'def',
  'lambda',
  'module',
  'builtin',
  'dict-method',
];

/** The Python 2 constructs of `source` (whose tree is `root`), in source order (the first `MAX_PYTHON2`). */
export function python2Constructs(root: Node, source: string, lines: LineIndex): Python2Construct[] {
  const out: Python2Construct[] = [];
  const context: Context = { source, lines, bound: new Map() };
  for (const match of source.matchAll(CANDIDATES)) {
    if (out.length >= MAX_PYTHON2) break;
    const g = match.findIndex((text, i) => i > 0 && text !== undefined);
    const group = GROUPS[g - 1];
    const start = match.indices?.[g]?.[0];
    if (group === undefined || start === undefined) continue;
    const at = root.descendantForIndex(start);
    if (!at || at.startIndex !== start) continue;
    for (const found of constructsAt(group, at, context)) out.push(found);
  }
  out.sort((a, b) => a.span.start - b.span.start);
  return out.slice(0, MAX_PYTHON2);
}

interface Context {
  source: string;
  lines: LineIndex;
  /** Whether the module binds a name itself (a builtin of that name is then its own), by name. */
  bound: Map<string, boolean>;
}

/** What the tree holds where a candidate of `group` starts (`node`, the smallest node there). */
function constructsAt(group: Candidate, node: Node, context: Context): Python2Construct[] {
  const parent = node.parent;
  if (!parent || parent.hasError) return [];
  const { lines } = context;
  switch (group) {
    case 'print': {
      if (node.type !== 'print' || parent.type !== 'print_statement') return [];
      const chevron = parent.children[1]?.type === 'chevron';
      return [made(chevron ? 'print-chevron' : 'print', parent, lines, printCall(parent))];
    }
    case 'exec':
      return node.type === 'exec' && parent.type === 'exec_statement'
        ? [made('exec', parent, lines, execCall(parent))]
        : [];
    case 'backquote':
      // The opening one: the closing one is the literal's string_end.
      return node.type === 'string_start' && parent.type === 'string'
        ? [made('backquote', parent, lines, backquoteCall(parent))]
        : [];
    case 'ur':
      // ur'\u00e9' reads the escape in Python 2, r'\u00e9' would not: no text given.
      return node.type === 'string_start' ? [made('ur-string', node, lines)] : [];
    case 'not-equal':
      return node.type === '<>' && parent.type === 'comparison_operator'
        ? [made('not-equal', node, lines, '!=')]
        : [];
    case 'integer': {
      const found = node.type === 'integer' ? integer(node, lines) : undefined;
      return found ? [found] : [];
    }
    case 'raise': {
      if (node.type !== 'raise' || parent.type !== 'raise_statement') return [];
      const list = parent.namedChildren.find((c) => c?.type === 'expression_list');
      return list ? [raiseWithComma(parent, list, lines)] : [];
    }
    case 'def':
    case 'lambda': {
      if (node.type !== group || parent.type !== (group === 'def' ? 'function_definition' : 'lambda'))
        return [];
      const parameters = parent.childForFieldName('parameters');
      return (parameters?.namedChildren ?? [])
        .filter((p): p is Node => p?.type === 'tuple_pattern')
        .map((p) => made('tuple-parameter', p, lines));
    }
    case 'module': {
      const found = moduleImport(node, lines);
      return found ? [found] : [];
    }
    case 'builtin': {
      const found = builtinUse(node, context);
      return found ? [found] : [];
    }
    case 'dict-method': {
      const found = dictMethodCall(node, context);
      return found ? [found] : [];
    }
  }
}

/**
 * `import cPickle` (also `import os, cPickle`, `import cPickle as pickle`, `from cPickle import load`)
 * where it runs when the module is imported (not in a function) and nothing guards it: a `try` whose
 * handlers catch ImportError, or an `if` on the Python version.
 */
function moduleImport(node: Node, lines: LineIndex): Python2Construct | undefined {
  const dotted = node.parent;
  const name = node.text;
  if (node.type !== 'identifier' || dotted?.type !== 'dotted_name' || dotted.firstChild?.id !== node.id)
    return undefined;
  const holder = dotted.parent?.type === 'aliased_import' ? dotted.parent : dotted;
  const statement = holder.parent;
  if (!statement) return undefined;
  const imported =
    statement.type === 'import_statement' ||
    (statement.type === 'import_from_statement' &&
      statement.childForFieldName('module_name')?.id === dotted.id);
  if (!imported || dotted.namedChildCount !== 1 || guarded(statement)) return undefined;
  const now = PYTHON3_MODULES.get(name);
  let python3: string | undefined;
  if (now) {
    // `import cPickle` -> `import pickle as cPickle`: the module keeps its name in the code below.
    python3 = statement.type === 'import_statement' && holder === dotted ? `${now} as ${name}` : now;
  }
  return { ...made('module', dotted, lines, python3), name };
}

/** Whether an import runs only in Python 2 or has a fallback: in a function, a guarding try or if. */
function guarded(statement: Node): boolean {
  let child = statement;
  for (let n = statement.parent; n; child = n, n = n.parent) {
    if (n.type === 'function_definition') return true;
    if (n.type === 'try_statement' && n.childForFieldName('body')?.id === child.id && catchesImportError(n))
      return true;
    if (
      (n.type === 'if_statement' || n.type === 'elif_clause') &&
      /version|PY2|PY3|six\./.test(n.childForFieldName('condition')?.text ?? '')
    )
      return true;
  }
  return false;
}

/** `xrange(n)`, `isinstance(s, basestring)`: a builtin Python 3 lacks, unless the module binds the name. */
function builtinUse(node: Node, context: Context): Python2Construct | undefined {
  const parent = node.parent;
  const name = node.text;
  if (node.type !== 'identifier' || !parent) return undefined;
  const used =
    (parent.type === 'call' && parent.childForFieldName('function')?.id === node.id) ||
    parent.type === 'argument_list' ||
    (parent.type === 'tuple' && parent.parent?.type === 'argument_list');
  if (!used || bindsName(context, name)) return undefined;
  return { ...made('builtin', node, context.lines, PYTHON3_BUILTINS.get(name)), name };
}

/** Whether the module defines, assigns or imports `name` anywhere (e.g. a `xrange = range` shim). */
function bindsName(context: Context, name: string): boolean {
  let bound = context.bound.get(name);
  if (bound === undefined) {
    bound = new RegExp(
      String.raw`\b(?:def|class)\s+${name}\b|\b${name}\s*=(?!=)|\bimport\b[^\n]*\b${name}\b|\bas\s+${name}\b|\bfor\s+${name}\b`,
    ).test(context.source);
    context.bound.set(name, bound);
  }
  return bound;
}

/** Whether an import statement of the module binds `name` (`import six`, `from future import utils as u`). */
function importsName(source: string, name: string): boolean {
  return new RegExp(String.raw`^[ \t]*(?:from\b[^\n]*)?\bimport\b[^\n]*\b${name}\b`, 'm').test(source);
}

/** Where `d.has_key(k)` may become `k in d` as it is: a condition, an assert, a return. */
const WHOLE_EXPRESSION = new Set([
  'if_statement',
  'elif_clause',
  'while_statement',
  'not_operator',
  'boolean_operator',
  'assert_statement',
  'return_statement',
]);

/** Expressions that bind looser than `in` (`a or b in d` is not `(a or b) in d`). */
const LOOSER_THAN_IN = new Set([
  'boolean_operator',
  'not_operator',
  'comparison_operator',
  'conditional_expression',
  'lambda',
  'named_expression',
]);

/** `d.iteritems()` -> `d.items()`; `d.has_key(k)` -> `k in d` where it is a whole expression. */
function dictMethodCall(node: Node, context: Context): Python2Construct | undefined {
  const { lines } = context;
  const attribute = node.parent;
  const call = attribute?.parent;
  const name = node.text;
  if (
    node.type !== 'identifier' ||
    attribute?.type !== 'attribute' ||
    attribute.childForFieldName('attribute')?.id !== node.id ||
    call?.type !== 'call' ||
    call.childForFieldName('function')?.id !== attribute.id
  )
    return undefined;
  // `six.iteritems(d)`: a function of a module the file imports, Python 3's too.
  const object = attribute.childForFieldName('object');
  if (object?.type === 'identifier' && importsName(context.source, object.text)) return undefined;
  const now = PYTHON3_DICT_METHODS.get(name);
  if (now) return { ...made('dict-method', node, lines, now), name };
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const key = args.length === 1 ? args[0] : undefined;
  // `k in d` stands alone where a whole expression goes; a key that binds looser than `in` keeps its parentheses.
  const python3 =
    key && key.type !== 'keyword_argument' && object && WHOLE_EXPRESSION.has(call.parent?.type ?? '')
      ? `${LOOSER_THAN_IN.has(key.type) ? `(${key.text})` : key.text} in ${object.text}`
      : undefined;
  return { ...made('dict-method', call, lines, python3), name };
}

function made(kind: Python2Kind, node: Node, lines: LineIndex, python3?: string): Python2Construct {
  return { kind, span: spanOf(node, lines), ...(python3 === undefined ? {} : { python3 }) };
}

/** `print a, b` -> `print(a, b)`; a trailing comma ends with a space; `>>f` writes to `file=f`. */
function printCall(node: Node): string | undefined {
  let file: string | undefined;
  const args: string[] = [];
  let trailingComma = false;
  for (const child of node.children.slice(1)) {
    if (!child) return undefined;
    if (child.type === 'chevron') {
      file = child.namedChildren[0]?.text;
      if (file === undefined) return undefined;
    } else if (child.type === ',') trailingComma = true;
    else if (child.isNamed) {
      args.push(child.text);
      trailingComma = false;
    } else if (child.type !== 'comment') return undefined;
  }
  // `print >>f, x`: the comma after the chevron is no trailing comma.
  if (args.length === 0 && file !== undefined) trailingComma = false;
  const parts = [...args];
  if (trailingComma) parts.push("end=' '");
  if (file !== undefined) parts.push(`file=${file}`);
  return `print(${parts.join(', ')})`;
}

/** `exec code in g, l` -> `exec(code, g, l)`. */
function execCall(node: Node): string | undefined {
  const parts: string[] = [];
  for (const child of node.children.slice(1)) {
    if (!child) return undefined;
    if (child.isNamed) parts.push(child.text);
    else if (child.type !== 'in' && child.type !== ',') return undefined;
  }
  return parts.length > 0 && parts.length <= 3 ? `exec(${parts.join(', ')})` : undefined;
}

/** `` `x` `` -> `repr(x)`. */
function backquoteCall(literal: Node): string | undefined {
  const text = literal.text;
  if (!text.startsWith('`') || !text.endsWith('`') || text.length < 3) return undefined;
  return `repr(${text.slice(1, -1)})`;
}

function integer(node: Node, lines: LineIndex): Python2Construct | undefined {
  const text = node.text;
  const long = /[lL]$/.test(text);
  const digits = long ? text.slice(0, -1) : text;
  const octal = /^0[0-7_]*[1-7][0-7_]*$/.test(digits);
  if (!long && !octal) return undefined;
  const python3 = octal ? `0o${digits.slice(1)}` : digits;
  return made(long ? 'long' : 'octal', node, lines, python3);
}

/** `raise E, v` -> `raise E(v)`; `raise E, v, tb` -> `raise E(v).with_traceback(tb)`. */
function raiseWithComma(statement: Node, list: Node, lines: LineIndex): Python2Construct {
  const parts = list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  if (parts.length < 2 || parts.length > 3) return made('raise-comma', statement, lines);
  const [type, value, traceback] = parts.map((p) => p.text);
  // Python 2 passes a tuple's items as the arguments: `raise E, (a, b)` is `raise E(a, b)`.
  const items = parts[1].type === 'tuple' ? value.slice(1, -1).replace(/,\s*$/, '') : value;
  const raised = `raise ${type}(${items})`;
  return made(
    'raise-comma',
    statement,
    lines,
    traceback === undefined ? raised : `${raised}.with_traceback(${traceback})`,
  );
}
