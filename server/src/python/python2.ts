// Python 2 code that Python 3 cannot run. A layer module written for Python 2 (py-faster-rcnn and its
// forks are full of them) makes the import fail with a SyntaxError before any of it runs, and Caffe
// built with Python 3 stops at that layer. tree-sitter-python reads the Python 2 forms as they are
// (print and exec statements, backquotes, `<>`, long and old octal literals, `ur` strings, `raise E, msg`,
// tuple parameters), so each is found by what it is, not guessed from an error. Left out on purpose:
// `except A, e:` (Python 3.14 reads `except A, B:` as two exception types).
//
// Each construct comes with the Python 3 text that does the same, where there is one.

import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import type { Python2Construct, Python2Kind } from './module-info';
import { spanOf } from './py-nodes';

/** How each construct is named in a message. */
export const PYTHON2_NAMES: Readonly<Record<Python2Kind, string>> = {
  print: 'a print statement',
  'print-chevron': "'print >>file'",
  exec: 'an exec statement',
  backquote: 'backquotes for repr()',
  'not-equal': "the '<>' operator",
  long: 'a long integer literal (L suffix)',
  octal: "an octal literal without '0o'",
  'ur-string': "a 'ur' string prefix",
  'raise-comma': "'raise E, value'",
  'tuple-parameter': 'a tuple parameter',
};

/**
 * `print >>f, x` is also an expression in Python 3 (a shift of the print function, in a tuple): the
 * module compiles and fails with a TypeError when the line runs. Every other kind stops the import.
 */
export function stopsImport(kind: Python2Kind): boolean {
  return kind !== 'print-chevron';
}

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
  ].join('|'),
  'g',
);

type Candidate = 'print' | 'exec' | 'backquote' | 'not-equal' | 'integer' | 'ur' | 'raise' | 'def' | 'lambda';
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
];

/** The Python 2 constructs of `source` (whose tree is `root`), in source order (the first `MAX_PYTHON2`). */
export function python2Constructs(root: Node, source: string, lines: LineIndex): Python2Construct[] {
  const out: Python2Construct[] = [];
  for (const match of source.matchAll(CANDIDATES)) {
    if (out.length >= MAX_PYTHON2) break;
    const group = GROUPS[match.findIndex((g, i) => i > 0 && g !== undefined) - 1];
    const at = root.descendantForIndex(match.index);
    if (group === undefined || !at || at.startIndex !== match.index) continue;
    for (const found of constructsAt(group, at, lines)) out.push(found);
  }
  out.sort((a, b) => a.span.start - b.span.start);
  return out.slice(0, MAX_PYTHON2);
}

/** What the tree holds where a candidate of `group` starts (`node`, the smallest node there). */
function constructsAt(group: Candidate, node: Node, lines: LineIndex): Python2Construct[] {
  const parent = node.parent;
  if (!parent || parent.hasError) return [];
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
  }
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
