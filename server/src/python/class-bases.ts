// Where the base classes of indexed Python classes lead: Caffe's own Layer, another indexed class
// (through local names, relative and absolute imports, and a package's re-exports), or nowhere known;
// and so which classes are Caffe layers, transitively across modules.

import * as path from 'node:path';
import { resolveDotted } from './imports';
import type { ClassInfo, ModuleAssignment, ModuleInfo, PySpan, ResolvedName } from './module-info';
import type { ModuleResolution } from './resolve-module';

/** Where a class's base leads: Caffe's own Layer, another indexed class, or nowhere known. */
export type BaseTarget =
  { kind: 'caffe' } | { kind: 'class'; file: string; cls: ClassInfo } | { kind: 'unknown' };

/** A class a module has as an attribute (`name`), and the file defining it. */
export interface ModuleClass {
  name: string;
  file: string;
  cls: ClassInfo;
}

/** A statement by which a module may bind a name to a class the index cannot see (`opaqueBinding`). */
export interface OpaqueBinding {
  kind: 'assignment' | 'import' | 'wildcard';
  /** The module the statement is in. */
  file: string;
  span: PySpan;
  /** The module an import names, as written (leading dots included), which the index does not have. */
  module?: string;
}

/** What the walk reads of the index. */
export interface IndexedModules {
  moduleInfo(file: string): ModuleInfo | undefined;
  resolveModule(dotted: string, fromDir: string): ModuleResolution;
}

const CAFFE_LAYER = new Set(['caffe.Layer', 'caffe._caffe.Layer', 'caffe.pycaffe.Layer']);
const MAX_HOPS = 16;

export class ClassBases {
  /** `file\0class` -> whether it is a Caffe layer; dropped with every change of the index. */
  private layerMemo = new Map<string, boolean>();
  /** Module file -> the classes it has as attributes; dropped with every change of the index. */
  private classesMemo = new Map<string, readonly ModuleClass[]>();

  constructor(private readonly index: IndexedModules) {}

  /** Forget what was worked out (a module changed). */
  clear(): void {
    this.layerMemo = new Map();
    this.classesMemo = new Map();
  }

  /**
   * The classes module `file` has as attributes once imported, which is what Caffe's
   * `getattr(module, layer)` finds: the classes it defines and those its module-level `from` imports
   * bind (`from .proposal_layer import ProposalLayer`, `as` names, and `from .layers import *`, which
   * takes what the module's `__all__` lists or else its public names), in statement order, a later
   * binding of a name replacing an earlier one.
   */
  moduleClasses(file: string): readonly ModuleClass[] {
    let known = this.classesMemo.get(file);
    if (!known) this.classesMemo.set(file, (known = this.attributes(file, new Set())));
    return known;
  }

  private attributes(file: string, visiting: Set<string>): ModuleClass[] {
    const info = this.index.moduleInfo(file);
    if (!info || visiting.has(file) || visiting.size > MAX_HOPS) return [];
    visiting.add(file);
    const byName = new Map<string, ModuleClass>();
    type Statement = {
      start: number;
      cls?: ClassInfo;
      from?: ModuleInfo['imports'][number];
      assigned?: ModuleAssignment;
    };
    const statements: Statement[] = [
      ...info.classes.map((cls) => ({ start: cls.span.start, cls })),
      ...info.imports.filter((b) => b.kind === 'from').map((b) => ({ start: b.span.start, from: b })),
      ...(info.assignments ?? []).map((assigned) => ({ start: assigned.span.start, assigned })),
    ].sort((a, b) => a.start - b.start);
    for (const { cls, from, assigned } of statements) {
      if (cls) {
        byName.set(cls.name, { name: cls.name, file, cls });
        continue;
      }
      if (assigned) {
        // `Smooth = SmoothL1`: the same class under a second name. Any other value may still be a
        // class (a factory's, a decorator's): the name keeps what it had, and opaqueBinding says so.
        const same = assigned.alias !== undefined ? byName.get(assigned.alias) : undefined;
        if (same) byName.set(assigned.name, { ...same, name: assigned.name });
        continue;
      }
      if (!from) continue;
      const source =
        from.level > 0
          ? this.relativeModule(file, from.level, from.module)
          : this.absoluteModule(file, from.module);
      if (!source) continue;
      const found = this.attributes(source, visiting);
      if (from.name === '*') {
        const listed = this.index.moduleInfo(source)?.publicNames;
        for (const c of found)
          if (listed ? listed.includes(c.name) : !c.name.startsWith('_')) byName.set(c.name, c);
      } else if (from.local) {
        const c = found.find((f) => f.name === from.name);
        if (c) byName.set(from.local, { ...c, name: from.local });
      }
    }
    visiting.delete(file);
    return [...byName.values()];
  }

  /**
   * How module `file` may have attribute `name` without the index knowing its class: bound by an
   * assignment of something other than a known class, imported from a module the index does not have,
   * or possibly by a wildcard import of such a module. Followed through the modules it imports from:
   * the statement where the trail goes dark (in `file` or a module it imports), for the last statement
   * of `file` that may bind the name; undefined when nothing of the kind could bind it.
   */
  opaqueBinding(file: string, name: string): OpaqueBinding | undefined {
    return this.opaque(file, name, new Set());
  }

  private opaque(file: string, name: string, visiting: Set<string>): OpaqueBinding | undefined {
    const info = this.index.moduleInfo(file);
    if (!info || visiting.has(file) || visiting.size > MAX_HOPS) return undefined;
    visiting.add(file);
    // The last statement of this module that may bind it, and what it leads to.
    let at = -1;
    let found: OpaqueBinding | undefined;
    const later = (start: number, binding: OpaqueBinding | undefined) => {
      if (binding && start >= at) [at, found] = [start, binding];
    };
    for (const assigned of info.assignments ?? [])
      if (assigned.name === name)
        later(assigned.span.start, { kind: 'assignment', file, span: assigned.span });
    for (const from of info.imports) {
      if (from.kind !== 'from' || (from.name !== '*' && from.local !== name)) continue;
      const source =
        from.level > 0
          ? this.relativeModule(file, from.level, from.module)
          : this.absoluteModule(file, from.module);
      const module = '.'.repeat(from.level) + from.module;
      const kind = from.name === '*' ? 'wildcard' : 'import';
      later(
        from.span.start,
        source
          ? this.opaque(source, from.name === '*' ? name : (from.name ?? name), visiting)
          : { kind, file, span: from.span, module },
      );
    }
    visiting.delete(file);
    return found;
  }

  /** Follows one base class of a class in `file` to its definition. */
  baseTarget(file: string, resolved: ResolvedName): BaseTarget {
    return this.follow(file, resolved, 0);
  }

  /** True when the class derives from caffe.Layer, directly or through other indexed classes. */
  isLayerClass(file: string, className: string): boolean {
    return this.isLayer(file, className, new Set());
  }

  private findClass(file: string, name: string): ClassInfo | undefined {
    return this.index.moduleInfo(file)?.classes.find((c) => c.name === name);
  }

  private follow(file: string, r: ResolvedName, hops: number): BaseTarget {
    if (hops > MAX_HOPS) return { kind: 'unknown' };
    if (r.kind === 'local') {
      const cls = this.findClass(file, r.name);
      return cls ? { kind: 'class', file, cls } : { kind: 'unknown' };
    }
    if (r.kind !== 'imported') return { kind: 'unknown' };
    if (r.level === 0 && CAFFE_LAYER.has(r.qualified)) return { kind: 'caffe' };
    // `caffe.Layer` through `from config import *`: what `caffe` is in config (its `import caffe`).
    if (r.wildcardModule !== undefined && r.qualified.includes('.', r.wildcardModule.length + r.level + 1)) {
      const via = this.throughWildcard(file, r, r.wildcardModule, hops);
      if (via.kind !== 'unknown') return via;
    }
    const moduleFile =
      r.level > 0 ? this.relativeModule(file, r.level, r.module) : this.absoluteModule(file, r.module);
    if (!moduleFile) return { kind: 'unknown' };
    const cls = this.findClass(moduleFile, r.name);
    if (cls) return { kind: 'class', file: moduleFile, cls };
    // A re-export: `from .proposal_layer import ProposalLayer` in a package's __init__.py.
    const info = this.index.moduleInfo(moduleFile);
    if (!info || !info.imports.some((b) => b.local === r.name)) return { kind: 'unknown' };
    const classes = new Set(info.classes.map((c) => c.name));
    return this.follow(moduleFile, resolveDotted(r.name, info.imports, classes), hops + 1);
  }

  /** A dotted name reached through `from module import *`, looked up among that module's own names. */
  private throughWildcard(
    file: string,
    r: ResolvedName & { kind: 'imported' },
    module: string,
    hops: number,
  ): BaseTarget {
    const moduleFile =
      r.level > 0 ? this.relativeModule(file, r.level, module) : this.absoluteModule(file, module);
    const info = moduleFile === undefined ? undefined : this.index.moduleInfo(moduleFile);
    if (!moduleFile || !info) return { kind: 'unknown' };
    const prefix = '.'.repeat(r.level) + (module ? `${module}.` : '');
    const written = r.qualified.slice(prefix.length);
    const classes = new Set(info.classes.map((c) => c.name));
    return this.follow(moduleFile, resolveDotted(written, info.imports, classes), hops + 1);
  }

  private relativeModule(file: string, level: number, module: string): string | undefined {
    let dir = path.dirname(file);
    for (let i = 1; i < level; i++) dir = path.dirname(dir);
    const base = module ? path.join(dir, ...module.split('.')) : dir;
    return [path.join(base, '__init__.py'), `${base}.py`].find((f) => this.index.moduleInfo(f) !== undefined);
  }

  private absoluteModule(file: string, module: string): string | undefined {
    if (module === '') return undefined;
    return this.index.resolveModule(module, path.dirname(file)).file;
  }

  private isLayer(file: string, className: string, visiting: Set<string>): boolean {
    const key = `${file}\0${className}`;
    const known = this.layerMemo.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return false;
    visiting.add(key);
    const cls = this.findClass(file, className);
    let result = false;
    for (const base of cls?.bases ?? []) {
      const target = this.follow(file, base.resolved, 0);
      if (
        target.kind === 'caffe' ||
        (target.kind === 'class' && this.isLayer(target.file, target.cls.name, visiting))
      ) {
        result = true;
        break;
      }
    }
    visiting.delete(key);
    this.layerMemo.set(key, result);
    return result;
  }
}
