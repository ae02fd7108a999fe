// What stops the import of a Python layer's module as Caffe runs it: Python 2 code that Python 3
// cannot import (unless the layers run under Python 2), or an import that nothing provides
// (missing-imports.ts), in the module or behind it. Told on the net's `module:`.

import * as path from 'node:path';
import type { Span } from '../parser/ast';
import type { InstalledModules, MissingImport } from '../python/missing-imports';
import { installAdvice } from '../python/module-packages';
import type { ImportBinding } from '../python/module-info';
import type { Python2Import } from '../python/python2-imports';
import { describePython2, python3Error } from '../python/python2-names';
import { modulesElsewhere, packageInits, type ModuleElsewhere } from '../python/resolve-module';
import type { PythonIndex } from '../python/workspace-index';
import type { Range } from '../util/ranges';
import type { AnalysisDiagnostic } from './diagnostic';
import { display } from './workspace-path';

export type Report = (
  severity: AnalysisDiagnostic['severity'],
  code: string,
  span: Span,
  message: string,
  suggestions?: string[],
) => void;

/**
 * Whether the layers run under Python 2: the run interpreter said so (`major`, when it was asked),
 * else the interpreter setting names one (`python2`, `/usr/bin/python2.7`).
 */
export function runsPython2(interpreter: string | undefined, major?: number): boolean {
  if (major !== undefined) return major === 2;
  return interpreter !== undefined && /^python2(\.\d+)?(\.exe)?$/i.test(path.basename(interpreter.trim()));
}

/**
 * A module that Python 3 cannot import (its own code, a package's __init__.py Python runs before it,
 * or a module it imports): where, what, and what Caffe then does. True when it reported one.
 */
export function python2Module(
  index: PythonIndex,
  file: string,
  mod: { value: string; span: Span },
  roots: readonly string[],
  report: Report,
): boolean {
  const starts = [...packageInits(file, mod.value, (f) => index.has(f)), file];
  let found: Python2Import | undefined;
  for (const start of starts) {
    found = index.python2Import(start);
    if (found) break;
  }
  if (found === undefined) return false;
  const first = found.constructs[0];
  const more = found.constructs.length - 1;
  const where =
    `${display(found.file, roots)} line ${first.span.range.start.line + 1} has ${describePython2(first)}` +
    (more > 0
      ? ` (and ${more} more line${more === 1 ? '' : 's'} that stop${more === 1 ? 's' : ''} its import)`
      : '');
  const chain = found.via.map((f) => display(f, roots));
  const what =
    found.file === file
      ? `is Python 2 code: ${where}`
      : `runs Python 2 code when imported: ${where}` +
        (chain.length > 1 ? `, reached through ${chain.join(' -> ')}` : '');
  report(
    'warning',
    'python-module-python2',
    mod.span,
    `Module '${mod.value}' ${what}. Python 3 cannot import it (${python3Error(first.kind)}), so Caffe built with ` +
      'Python 3 stops at this layer. Quick fix: write every module the import runs for Python 3 (or each ' +
      "file's own quick fixes).",
  );
  return true;
}

/** A module's import that only Python 2 finds (implicitRelativeImports). */
export interface ImplicitRelativeImport {
  binding: ImportBinding;
  /** The package's module the bare name is. */
  sibling: string;
  top: string;
  /** The statement both read, as the message shows it. */
  fix: string;
  /** The edit that makes the statement relative, where one keeps what it binds. */
  edit?: { range: Range; newText: string };
}

/**
 * The imports that only Python 2 finds: the layer's module is imported as part of a package (`module:
 * "rpn.anchor_target_layer"`), and it imports a module of that package by its bare name (`from
 * generate_anchors import generate_anchors`). Python 2 reads that as relative to the package; Python
 * 3 looks for a top-level module of the name, which the search path does not have. One per
 * statement, in the file's order.
 */
export function implicitRelativeImports(
  index: PythonIndex,
  file: string,
  module: string,
  fromDir: string,
): ImplicitRelativeImport[] {
  // A module named without a package is imported from its own folder, where its siblings are found.
  if (!module.trim().includes('.')) return [];
  const dir = path.dirname(file);
  const bindings = index.moduleInfo(file)?.imports ?? [];
  const out: ImplicitRelativeImport[] = [];
  for (const binding of bindings) {
    if (binding.conditional || binding.level !== 0) continue;
    if (out.some((f) => f.binding.span.start === binding.span.start)) continue;
    const top = binding.module.split('.')[0];
    if (!top) continue;
    const sibling = [path.join(dir, `${top}.py`), path.join(dir, top, '__init__.py')].find((f) =>
      index.has(f),
    );
    if (sibling === undefined || index.resolveModule(top, fromDir).file !== undefined) continue;
    const fix =
      binding.kind === 'from'
        ? `from .${binding.module} import ${binding.name === '*' ? '*' : (binding.name ?? '...')}`
        : `from . import ${top}`;
    out.push({ binding, sibling, top, fix, edit: relativeImportEdit(binding, bindings) });
  }
  return out;
}

/**
 * The edit that makes an import relative: a dot before the module of a `from` import; `import m [as
 * a]` (the statement's only name, not dotted) becomes `from . import m [as a]`, which binds the same
 * name. None for the rest (`import pkg.sub` binds `pkg`, which no relative form does).
 */
export function relativeImportEdit(
  binding: ImportBinding,
  all: readonly ImportBinding[],
): { range: Range; newText: string } | undefined {
  if (binding.kind === 'from') {
    const at = binding.moduleSpan?.range.start;
    return at && { range: { start: at, end: at }, newText: '.' };
  }
  const alone = all.filter((b) => b.span.start === binding.span.start).length === 1;
  if (!alone || binding.module.includes('.')) return undefined;
  return {
    range: binding.span.range,
    newText: `from . import ${binding.module}${binding.alias ? ` as ${binding.alias}` : ''}`,
  };
}

/** The first import of implicitRelativeImports, told on the net's `module:`. True when it told one. */
export function implicitRelativeImport(
  index: PythonIndex,
  file: string,
  mod: { value: string; span: Span },
  fromDir: string,
  roots: readonly string[],
  report: Report,
): boolean {
  const [first] = implicitRelativeImports(index, file, mod.value, fromDir);
  if (!first) return false;
  const { binding, sibling, top, fix } = first;
  report(
    'warning',
    'python2-relative-import',
    mod.span,
    `Module '${mod.value.trim()}' cannot be imported by Python 3: ${display(file, roots)} line ` +
      `${binding.span.range.start.line + 1} imports '${binding.module}', which is ${display(sibling, roots)} ` +
      `only as Python 2 reads it (relative to the module's own package); Python 3 looks for a top-level ` +
      `'${top}' and stops: No module named '${top}'. Write ${fix}, which both read.`,
  );
  return true;
}

/**
 * What stops the import of the module at `file` (the dotted `module`) because nothing provides a
 * module it imports: the import, and a folder of the workspace that holds that module off the search
 * path, when one does.
 */
export function missingImportOf(
  index: PythonIndex,
  file: string,
  module: string,
  installed: InstalledModules | undefined,
): (MissingImport & { elsewhere?: ModuleElsewhere }) | undefined {
  for (const start of [...packageInits(file, module, (f) => index.has(f)), file]) {
    const found = index.missingImport(start, installed);
    if (!found) continue;
    const elsewhere =
      found.package === undefined && found.cython === undefined
        ? modulesElsewhere(found.name, index.files())[0]
        : undefined;
    return elsewhere ? { ...found, elsewhere } : found;
  }
  return undefined;
}

/**
 * Why nothing provides a missing module, after the words `imports 'x'` (`which is neither installed
 * ...`, or `: only its Cython source ... is there`), and what to do, for the net's warning and the
 * Python file's.
 */
export function missingImportWords(
  found: Pick<MissingImport, 'name' | 'package' | 'cython' | 'setup'> & { elsewhere?: ModuleElsewhere },
  written: string,
  installed: InstalledModules | undefined,
  roots: readonly string[],
  cli: boolean,
): { why: string; remedy: string } {
  const shown = (folder: string) => {
    const d = display(folder, roots);
    return d === '.' ? './' : d;
  };
  if (found.cython !== undefined || found.setup !== undefined) {
    const build =
      found.setup !== undefined
        ? `Build it: python setup.py build_ext --inplace in ${shown(found.setup)} (its setup.py)`
        : 'Build it with Cython first';
    const why =
      found.cython !== undefined
        ? `, of which only the Cython source ${display(found.cython, roots)} is there (not built)`
        : `, an extension module ${display(path.join(found.setup as string, 'setup.py'), roots)} builds (not built yet)`;
    return { why, remedy: `${build}; Caffe imports the built module.` };
  }
  if (found.package !== undefined) {
    return {
      why: `, which the package in ${shown(found.package)} does not have`,
      remedy: 'Add the module to the package, or import it from where it is.',
    };
  }
  const label = installed?.label ?? 'the interpreter';
  const what = written === found.name ? ', which is' : `: '${found.name}' is`;
  const option = cli ? ' (the CLI: --python-path DIR)' : '';
  const elsewhere = found.elsewhere && shown(found.elsewhere.folder);
  return {
    why: `${what} neither installed for ${label} nor on the workspace's search path`,
    remedy: elsewhere
      ? `The workspace has it in ${elsewhere}, which is not searched: add that folder to the setting ` +
        `prototxt.python.extraPaths${cli ? ` (the CLI: --python-path ${elsewhere})` : ''}; Caffe needs it on PYTHONPATH too.`
      : `${installAdvice(found.name, label, installed?.major)}, or add its folder to the setting ` +
        `prototxt.python.extraPaths${option}.`,
  };
}

/**
 * A module whose import stops because it (or a package __init__.py Python runs first, or a module it
 * imports) imports a module that nothing provides: not the run interpreter (when it said what it
 * has), not the workspace's search path, not a package of the workspace (a Cython module not built).
 */
export function missingImportModule(
  index: PythonIndex,
  file: string,
  mod: { value: string; span: Span },
  installed: InstalledModules | undefined,
  roots: readonly string[],
  report: Report,
): void {
  const found = missingImportOf(index, file, mod.value, installed);
  if (found === undefined) return;
  const line = found.binding.span.range.start.line + 1;
  const written = found.binding.module;
  const { why, remedy } = missingImportWords(found, written, installed, roots, true);
  const chain = found.via.map((f) => display(f, roots));
  const through = chain.length > 1 ? ` (reached through ${chain.join(' -> ')})` : '';
  const dots = '.'.repeat(found.binding.level);
  report(
    'warning',
    'python-import-missing',
    mod.span,
    `Module '${mod.value}' cannot be imported: ${display(found.file, roots)} line ${line} imports ` +
      `'${dots}${written}'${why}${through}. Caffe stops at this layer: No module named '${found.name}'. ${remedy}`,
  );
}
