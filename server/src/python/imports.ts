// Import statements -> bindings, and dotted references resolved through them.

import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../util/ranges';
import type { ImportBinding, PySpan, ResolvedName } from './module-info';
import { catchesImportError, dottedText, spanOf } from './py-nodes';

/** Bindings of the given import statements (`import_statement` / `import_from_statement` nodes). */
export function collectImports(statements: readonly Node[], lines: LineIndex): ImportBinding[] {
  const out: ImportBinding[] = [];
  for (const stmt of statements) {
    const made = statementBindings(stmt, spanOf(stmt, lines), lines);
    const conditional = made.length > 0 && runsConditionally(stmt);
    for (const b of made) out.push(conditional ? { ...b, conditional } : b);
  }
  return out;
}

function statementBindings(stmt: Node, span: PySpan, lines: LineIndex): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (stmt.type === 'import_statement') {
    for (const n of stmt.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const module = dottedText(n.childForFieldName('name'));
        const alias = n.childForFieldName('alias')?.text;
        if (module && alias) out.push({ kind: 'import', module, level: 0, alias, local: alias, span });
      } else {
        const module = dottedText(n);
        if (module) out.push({ kind: 'import', module, level: 0, local: module.split('.')[0], span });
      }
    }
    return out;
  }
  const moduleName = stmt.childForFieldName('module_name');
  const module = fromModule(moduleName);
  if (!module || !moduleName) return out;
  const from = module.level === 0 ? { ...module, moduleSpan: spanOf(moduleName, lines) } : module;
  if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) {
    out.push({ kind: 'from', ...from, name: '*', span });
    return out;
  }
  for (const n of stmt.childrenForFieldName('name')) {
    if (!n) continue;
    if (n.type === 'aliased_import') {
      const name = dottedText(n.childForFieldName('name'));
      const alias = n.childForFieldName('alias')?.text;
      if (name && alias) out.push({ kind: 'from', ...from, name, alias, local: alias, span });
    } else {
      const name = dottedText(n);
      if (name) out.push({ kind: 'from', ...from, name, local: name, span });
    }
  }
  return out;
}

/**
 * Whether importing the module may skip the statement or survive its failure: under an `if` (also
 * `if __name__ == '__main__':`, which an import never enters), or in a `try` that catches ImportError
 * (its body or a handler: a fallback import runs only when the first fails).
 */
function runsConditionally(statement: Node): boolean {
  for (let n = statement.parent; n; n = n.parent) {
    const type = n.type;
    if (type === 'if_statement' || type === 'function_definition') return true;
    if (type === 'try_statement' && catchesImportError(n)) return true;
  }
  return false;
}

function fromModule(node: Node | null): { module: string; level: number } | undefined {
  if (!node) return undefined;
  if (node.type === 'dotted_name') {
    const module = dottedText(node);
    return module ? { module, level: 0 } : undefined;
  }
  if (node.type !== 'relative_import') return undefined;
  let level = 0;
  let module = '';
  for (const c of node.namedChildren) {
    if (c?.type === 'import_prefix') level = c.text.length;
    else if (c?.type === 'dotted_name') module = dottedText(c) ?? '';
  }
  return { module, level };
}

const BUILTINS = new Set(['eval', 'float', 'int', 'str', 'object', 'dict', 'list', 'tuple', 'open']);

/** Looks a dotted reference up: classes of this module first, then imports, then builtins. */
export function resolveDotted(
  text: string,
  imports: readonly ImportBinding[],
  localClasses: ReadonlySet<string>,
): ResolvedName {
  const parts = text.split('.');
  const head = parts[0];
  if (parts.length === 1 && localClasses.has(head)) return { kind: 'local', name: head };
  const binding = findBinding(head, imports);
  if (binding) {
    let qualifiedParts: string[];
    if (binding.kind === 'import') {
      qualifiedParts = binding.alias ? [...binding.module.split('.'), ...parts.slice(1)] : parts;
    } else {
      const base = binding.module ? binding.module.split('.') : [];
      qualifiedParts = [...base, binding.name ?? head, ...parts.slice(1)];
    }
    return imported(qualifiedParts, binding.level, false);
  }
  if (parts.length === 1 && BUILTINS.has(head)) return { kind: 'builtin', name: head };
  const wildcard = [...imports].reverse().find((b) => b.name === '*');
  if (wildcard && !localClasses.has(head)) {
    const base = wildcard.module ? wildcard.module.split('.') : [];
    return imported([...base, ...parts], wildcard.level, true, wildcard.module);
  }
  return { kind: 'unresolved', text };
}

/** The binding of `head`; the last one wins, as when Python runs the statements in order. */
function findBinding(head: string, imports: readonly ImportBinding[]): ImportBinding | undefined {
  let found: ImportBinding | undefined;
  for (const b of imports) if (b.local === head) found = b;
  return found;
}

function imported(
  parts: string[],
  level: number,
  viaWildcard: boolean,
  wildcardModule?: string,
): ResolvedName {
  const name = parts[parts.length - 1] ?? '';
  const module = parts.slice(0, -1).join('.');
  return {
    kind: 'imported',
    module,
    level,
    name,
    qualified: '.'.repeat(level) + parts.join('.'),
    viaWildcard,
    ...(wildcardModule === undefined ? {} : { wildcardModule }),
  };
}

/** The fully written qualified name of a resolution (`caffe.Layer`, `.layers.Base`, `Name` for locals). */
export function qualifiedName(r: ResolvedName): string {
  switch (r.kind) {
    case 'local':
    case 'builtin':
      return r.name;
    case 'imported':
      return r.qualified;
    case 'unresolved':
      return r.text;
  }
}
