// One Python file -> ModuleInfo: imports, classes (bases, methods, parameter reads) and sys.path additions.
// Pure and total: any input, including broken Python, gives a ModuleInfo.

import type { Node } from 'web-tree-sitter';
import { LineIndex } from '../util/ranges';
import { collectImports, resolveDotted } from './imports';
import type {
  BaseClassRef,
  ClassInfo,
  ImportBinding,
  MethodInfo,
  ModuleAssignment,
  ModuleInfo,
  PySpan,
} from './module-info';
import type { Callable, CallableLookup, MethodNode } from './param-keys';
import { analyzeClassParams } from './param-reads';
import type { PythonParser } from './parser';
import { dottedText, parameterList, spanBetween, spanOf } from './py-nodes';
import { python2Constructs } from './python2';
import { yamlLoadsWithoutLoader } from './yaml-load';
import { collectSysPath, runsCaffeAsScript } from './sys-path';

const MAX_SYNTAX_ERRORS = 20;

export function analyzeModule(source: string, file: string, parser: PythonParser): ModuleInfo {
  const empty: ModuleInfo = { file, imports: [], classes: [], sysPath: [], syntaxErrors: [] };
  let tree;
  try {
    tree = parser.parse(source);
  } catch (e) {
    return { ...empty, failure: `The Python parser failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!tree) return { ...empty, failure: 'The Python parser gave no syntax tree.' };
  try {
    const lines = new LineIndex(source);
    const root = tree.rootNode;
    const { classNodes, functionNodes, importNodes, allNode, assignmentNodes } = moduleLevelStatements(root);
    const imports = collectImports(importNodes, lines);
    const names = classNodes.map((c) => c.def.childForFieldName('name'));
    const localClasses = new Set(names.map((n) => n?.text ?? ''));
    const callables = callableLookup(classNodes, functionNodes);
    const classes: ClassInfo[] = [];
    classNodes.forEach((c, i) => {
      const info = analyzeClass(c, names[i], imports, localClasses, lines, callables);
      if (info) classes.push(info);
    });
    const sysPath = collectSysPath(root, source, file, imports, lines);
    const syntaxErrors = root.hasError ? collectSyntaxErrors(root, lines) : [];
    const python2 = python2Constructs(root, source, lines);
    const yamlLoads = yamlLoadsWithoutLoader(root, source, imports, lines);
    const publicNames = allNode && namesListed(allNode);
    const assignments = assignmentNodes.flatMap((node) => assignedNames(node, lines));
    return {
      file,
      imports,
      classes,
      sysPath,
      syntaxErrors,
      ...(publicNames ? { publicNames } : {}),
      ...(python2.length > 0 ? { python2 } : {}),
      ...(yamlLoads.length > 0 ? { yamlLoads } : {}),
      ...(assignments.length > 0 ? { assignments } : {}),
      ...(runsCaffeAsScript(source) ? { runsCaffe: true as const } : {}),
    };
  } catch (e) {
    return {
      ...empty,
      failure: `Analysis of the Python file failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  } finally {
    tree.delete();
  }
}

/**
 * Classes importable from the module and the module's imports: top level, also inside module-level
 * if/try/with blocks (`try: import yaml except ImportError: ...`). Imports inside functions are left out:
 * they do not bind module names.
 */
/** A class or function definition and the node that spans it with its decorators (itself if none). */
interface Definition {
  def: Node;
  outer: Node;
}

function moduleLevelStatements(root: Node): {
  classNodes: Definition[];
  functionNodes: Node[];
  importNodes: Node[];
  allNode?: Node;
  assignmentNodes: Node[];
} {
  const classNodes: Definition[] = [];
  const functionNodes: Node[] = [];
  const importNodes: Node[] = [];
  const assignmentNodes: Node[] = [];
  let allNode: Node | undefined;
  const visit = (container: Node) => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      const type = child.type;
      if (type === 'import_statement' || type === 'import_from_statement') importNodes.push(child);
      else if (type === 'expression_statement') {
        // `__all__ = [...]`: the last assignment at module level is the one a wildcard import reads.
        const assignment = child.namedChildren[0];
        if (assignment?.type !== 'assignment') continue;
        if (assignment.childForFieldName('left')?.text === '__all__')
          allNode = assignment.childForFieldName('right') ?? undefined;
        else assignmentNodes.push(assignment);
      } else if (type === 'class_definition') classNodes.push({ def: child, outer: child });
      else if (type === 'function_definition') functionNodes.push(child);
      else if (type === 'decorated_definition') {
        const def = child.childForFieldName('definition');
        if (def?.type === 'class_definition') classNodes.push({ def, outer: child });
      } else if (COMPOUND.has(type)) visit(child);
    }
  };
  visit(root);
  return { classNodes, functionNodes, importNodes, assignmentNodes, ...(allNode ? { allNode } : {}) };
}

/**
 * The module-level functions and classes by name (the last definition of a name wins, as at run
 * time), each read only when a layer hands its parameters to it.
 */
function callableLookup(classNodes: readonly Definition[], functionNodes: readonly Node[]): CallableLookup {
  const defs = new Map<string, Node>();
  for (const def of [...classNodes.map((c) => c.def), ...functionNodes].sort(
    (a, b) => a.startIndex - b.startIndex,
  )) {
    const name = def.childForFieldName('name')?.text;
    if (name) defs.set(name, def);
  }
  const made = new Map<string, Callable | undefined>();
  return (name) => {
    if (made.has(name)) return made.get(name);
    const def = defs.get(name);
    let callable: Callable | undefined;
    if (def?.type === 'function_definition') {
      const fn = { name, node: def };
      callable = { methods: [fn], entry: fn, bound: false };
    } else if (def) {
      const methods = classMethods(def).map((m) => ({
        name: m.def.childForFieldName('name')?.text ?? '',
        node: m.def,
      }));
      callable = { methods, entry: methods.find((m) => m.name === '__init__'), bound: true };
    }
    made.set(name, callable);
    return callable;
  };
}

/**
 * The names one module-level assignment binds: a plain name, each plain name of a tuple or list on the
 * left, and through chains (`A = B = C`); with the right side when it is one plain name.
 */
function assignedNames(node: Node, lines: LineIndex): ModuleAssignment[] {
  const span = spanOf(node, lines);
  const out: ModuleAssignment[] = [];
  let right: Node | null = node;
  const targets: Node[] = [];
  while (right?.type === 'assignment') {
    const left = right.childForFieldName('left');
    if (left) targets.push(left);
    right = right.childForFieldName('right');
  }
  const alias = right?.type === 'identifier' ? right.text : undefined;
  const add = (target: Node, single: boolean): void => {
    if (target.type === 'identifier') {
      if (!/^__\w+__$/.test(target.text))
        out.push({ name: target.text, ...(single && alias ? { alias } : {}), span });
    } else if (
      target.type === 'pattern_list' ||
      target.type === 'tuple_pattern' ||
      target.type === 'list_pattern'
    )
      for (const part of target.namedChildren) if (part) add(part, false);
  };
  for (const target of targets) add(target, true);
  return out;
}

/**
 * The names of `__all__ = [...]` or `(...)` when every item is a plain string literal; undefined for
 * anything computed (its names are then unknown, and the module's public names stand).
 */
function namesListed(node: Node): string[] | undefined {
  if (node.type !== 'list' && node.type !== 'tuple') return undefined;
  const names: string[] = [];
  for (const item of node.namedChildren) {
    if (!item || item.type === 'comment') continue;
    if (item.type !== 'string') return undefined;
    const m = /^(['"])([A-Za-z_][A-Za-z0-9_]*)\1$/.exec(item.text);
    if (!m) return undefined;
    names.push(m[2]);
  }
  return names;
}

const COMPOUND = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'finally_clause',
  'with_statement',
  'block',
  // Broken files: definitions tree-sitter could not place still sit under ERROR nodes.
  'ERROR',
]);

function analyzeClass(
  { def: node, outer }: Definition,
  nameNode: Node | null,
  imports: readonly ImportBinding[],
  localClasses: ReadonlySet<string>,
  lines: LineIndex,
  callables: CallableLookup,
): ClassInfo | undefined {
  if (!nameNode || nameNode.isMissing) return undefined;
  const name = nameNode.text;
  const bases: BaseClassRef[] = [];
  for (const arg of node.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!arg || arg.type === 'keyword_argument' || arg.type === 'comment') continue;
    const text = dottedText(arg);
    const resolved = text
      ? resolveDotted(text, imports, withoutSelf(localClasses, name))
      : ({ kind: 'unresolved', text: arg.text } as const);
    bases.push({ text: text ?? arg.text, resolved, span: spanOf(arg, lines) });
  }
  const methods: MethodInfo[] = [];
  const methodNodes: MethodNode[] = [];
  for (const m of classMethods(node)) {
    const nameOfMethod = m.def.childForFieldName('name');
    const info = methodInfo(m, nameOfMethod, lines);
    if (info) methods.push(info);
    methodNodes.push({ name: nameOfMethod?.text ?? '', node: m.def });
  }
  const params = analyzeClassParams(methodNodes, imports, localClasses, lines, callables);
  return {
    name,
    nameSpan: spanOf(nameNode, lines),
    span: spanOf(outer, lines),
    bases,
    methods,
    paramReads: params.reads,
    paramKeys: params.keys,
    evalCalls: params.evalCalls,
    ...(params.keysOpen ? { keysOpen: true as const } : {}),
    ...(/\bblobs\s*\.\s*add_blob\s*\(/.test(node.text) ? { addsBlobs: true as const } : {}),
  };
}

function withoutSelf(names: ReadonlySet<string>, self: string): ReadonlySet<string> {
  if (!names.has(self)) return names;
  const copy = new Set(names);
  copy.delete(self);
  return copy;
}

function classMethods(cls: Node): Definition[] {
  const out: Definition[] = [];
  const visit = (container: Node | null) => {
    for (const child of container?.namedChildren ?? []) {
      if (!child) continue;
      const type = child.type;
      if (type === 'function_definition') out.push({ def: child, outer: child });
      else if (type === 'decorated_definition') {
        const def = child.childForFieldName('definition');
        if (def?.type === 'function_definition') out.push({ def, outer: child });
      } else if (type === 'if_statement' || type === 'else_clause' || type === 'block') visit(child);
    }
  };
  visit(cls.childForFieldName('body'));
  return out;
}

function methodInfo(
  { def, outer }: Definition,
  nameNode: Node | null,
  lines: LineIndex,
): MethodInfo | undefined {
  const paramsNode = nameNode ? def.childForFieldName('parameters') : null;
  if (!nameNode || !paramsNode) return undefined;
  const parametersSpan: PySpan = spanOf(paramsNode, lines);
  const parameters = parameterNames(paramsNode);
  return {
    name: nameNode.text,
    parameters,
    defaults: paramsNode.namedChildren.filter(
      (p) => p?.type === 'default_parameter' || p?.type === 'typed_default_parameter',
    ).length,
    nameSpan: spanOf(nameNode, lines),
    parametersSpan,
    signatureSpan: spanBetween(def.startIndex, paramsNode.endIndex, lines),
    span: spanOf(outer, lines),
    ...topUseOf(def, nameNode.text, parameters),
  };
}

/** The methods Caffe passes the tops to as their third parameter (after self and the bottoms). */
const TOPS_THIRD = new Set(['setup', 'reshape', 'forward']);

/** `topUse` of a setup, reshape or forward method (see MethodInfo). */
function topUseOf(def: Node, method: string, parameters: readonly string[]): Pick<MethodInfo, 'topUse'> {
  const name = parameters[2];
  if (!TOPS_THIRD.has(method) || name === undefined || name.startsWith('*')) return {};
  let reshapes = false;
  let indexes = false;
  let other = false;
  const same = (a: Node | null, b: Node) =>
    a !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
  const visit = (n: Node): void => {
    if (n.text === name) {
      const parent = n.parent;
      // `self.top` and `f(top=...)` name something else.
      if (parent?.type === 'attribute' && same(parent.childForFieldName('attribute'), n)) return;
      if (parent?.type === 'keyword_argument' && same(parent.childForFieldName('name'), n)) return;
      if (parent?.type === 'subscript' && same(parent.childForFieldName('value'), n)) {
        const attribute = parent.parent;
        const called =
          attribute?.type === 'attribute' &&
          attribute.childForFieldName('attribute')?.text === 'reshape' &&
          attribute.parent?.type === 'call';
        if (called) reshapes = true;
        // `top[0].data`: read through; `helper(top[0])`, `blob = top[0]`: the blob goes where it may be reshaped.
        else if (attribute?.type === 'attribute' && same(attribute.childForFieldName('object'), parent))
          indexes = true;
        else other = true;
      } else if (
        parent?.type === 'argument_list' &&
        parent.parent?.childForFieldName('function')?.text === 'len'
      )
        indexes = true;
      else other = true;
    }
  };
  // The name's places are found in the text and only their nodes fetched: each node fetched costs a
  // crossing into the parser's memory. A place in a string or comment is no identifier.
  const body = def.childForFieldName('body');
  const text = body?.text ?? '';
  const word = new RegExp(`(?<![\\p{L}\\p{N}_])${name}(?![\\p{L}\\p{N}_])`, 'gu');
  for (let m = word.exec(text); body && m; m = word.exec(text)) {
    const at = body.startIndex + m.index;
    const n = body.descendantForIndex(at, at + name.length);
    if (n?.type === 'identifier') visit(n);
  }
  return { topUse: reshapes ? 'reshapes' : other ? 'other' : indexes ? 'indexes' : 'none' };
}

function parameterNames(params: Node): string[] {
  return parameterList(params).map((p) => (p.kind === 'list' ? '*' : p.kind === 'dict' ? '**' : '') + p.name);
}

function collectSyntaxErrors(root: Node, lines: LineIndex): PySpan[] {
  const out: PySpan[] = [];
  const visit = (n: Node) => {
    if (out.length >= MAX_SYNTAX_ERRORS) return;
    if (n.type === 'ERROR' || n.isMissing) {
      out.push(spanOf(n, lines));
      return;
    }
    for (const c of n.children) if (c && (c.hasError || c.isMissing)) visit(c);
  };
  visit(root);
  return out;
}
