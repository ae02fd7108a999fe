// The workspace index of Python modules: every .py file analysed once, updated file by file, and the
// questions features ask: which classes are Caffe layers (transitively, across modules), which folders
// scripts put on sys.path, which file a dotted module name means.

import * as path from 'node:path';
import { analyzeModule } from './analyze-module';
import { ClassBases, type BaseTarget, type ModuleClass, type OpaqueBinding } from './class-bases';
import { caffeScriptFolders, pycaffeFolders, scriptSysPathFolders } from './script-paths';
import { FolderEntries } from './folder-entries';
import { createExcludeFilter, type PythonFileSystem } from './file-system';
import { python2Behind, python2Closure, type Python2Import } from './python2-imports';
import {
  missingImportBehind,
  missingImportsIn,
  type InstalledModules,
  type MissingImport,
  type MissingImportHost,
} from './missing-imports';
import type { ClassInfo, ModuleInfo, ResolvedName } from './module-info';
import {
  indexFiles,
  withinLimit,
  type BuildOptions,
  type IndexSink,
  type WorkerOptions,
} from './index-build';
import type { PythonParser } from './parser';
import {
  moduleNamesFor,
  resolveModule,
  searchFolders,
  type ModuleResolution,
  type ModuleResolutionContext,
} from './resolve-module';
import { isInside } from '../util/path-inside';

export interface PythonIndexOptions {
  fs: PythonFileSystem;
  /**
   * Parses the files. An index filled from analyses kept by earlier processes (`adopt`) may start
   * without one and be given one (`useParser`) when a file has to be parsed after all.
   */
  parser?: PythonParser;
  /** Workspace folders, absolute. */
  roots: readonly string[];
  /** Extra exclude globs (the `prototxt.python.exclude` setting), relative to each root. */
  exclude?: readonly string[];
  /** The `prototxt.python.extraPaths` setting, absolute; these folders are indexed too. */
  extraPaths?: readonly string[];
  /** Larger files (generated code, data) are skipped. Default 1 MB of text. */
  maxFileLength?: number;
  /** Parsing in worker threads during `build()`; `update()` always runs in this thread. */
  workers?: WorkerOptions;
}

export type { BuildOptions, WorkerOptions } from './index-build';

export interface LayerClass {
  file: string;
  cls: ClassInfo;
}

export type { BaseTarget } from './class-bases';

export class PythonIndex {
  private readonly modules = new Map<string, ModuleInfo>();
  private readonly bases = new ClassBases(this);
  private sysPathMemo: string[] | undefined;
  private scriptFoldersMemo: string[] | undefined;
  private python2Memo = new Map<string, Python2Import | null>();
  /** By file, for one set of installed modules (a new set starts a new memo). */
  private missingMemo = new Map<string, MissingImport | null>();
  private missingFor: InstalledModules | undefined;
  /** What the folders the import check looks at hold on disk. */
  private readonly disk = new FolderEntries();
  private readonly maxFileLength: number;
  private threads = 0;
  private parser: PythonParser | undefined;

  constructor(private readonly options: PythonIndexOptions) {
    this.maxFileLength = options.maxFileLength ?? 1_000_000;
    this.parser = options.parser;
  }

  /** Gives an index made without a parser the one to parse files with. */
  useParser(parser: PythonParser): void {
    this.parser ??= parser;
  }

  /** Indexes every Python file under the roots and extraPaths. Files that cannot be read are skipped. */
  async build(opts: BuildOptions = {}): Promise<void> {
    const found = new Set<string>();
    for (const root of this.indexedFolders()) {
      const filter = createExcludeFilter(root, this.options.exclude ?? []);
      for (const f of await this.options.fs.listPythonFiles(root, filter)) found.add(f);
      if (opts.isCancelled?.()) return;
    }
    this.threads = await indexFiles([...found], this.sink(), opts);
  }

  /** Worker threads the last `build()` parsed in (0: it ran in this thread). */
  get threadsUsed(): number {
    return this.threads;
  }

  /** (Re-)analyses one file, e.g. on a file event or an edit of an open Python document. */
  update(file: string, text: string): ModuleInfo {
    const info = this.analyze(file, withinLimit(text, this.maxFileLength));
    this.store(info);
    return info;
  }

  /** Takes a file's analysis made elsewhere (kept by an earlier process for the file's current text). */
  adopt(info: ModuleInfo): void {
    this.store(info);
  }

  private analyze(file: string, text: string): ModuleInfo {
    if (this.parser === undefined) {
      // Callers give the parser before any file is parsed; this only keeps a slip from crashing.
      return {
        file,
        imports: [],
        classes: [],
        sysPath: [],
        syntaxErrors: [],
        failure: 'No Python parser was loaded.',
      };
    }
    return analyzeModule(text, file, this.parser);
  }

  /** How `build()` reads, analyses and keeps files. */
  private sink(): IndexSink {
    return {
      fs: this.options.fs,
      ...(this.options.workers ? { workers: this.options.workers } : {}),
      maxFileLength: this.maxFileLength,
      analyze: (file, text) => this.analyze(file, text),
      store: (info) => this.store(info),
    };
  }

  private store(info: ModuleInfo): void {
    this.modules.set(info.file, info);
    this.invalidate();
  }

  /** Forgets a file, or every file under a deleted folder. */
  remove(fileOrFolder: string): void {
    let changed = this.modules.delete(fileOrFolder);
    for (const f of [...this.modules.keys()]) {
      if (isInside(f, fileOrFolder)) changed = this.modules.delete(f) || changed;
    }
    if (changed) this.invalidate();
  }

  /** Whether a path belongs in the index by name and globs (virtualenv detection needs the walk). */
  wouldIndex(file: string): boolean {
    if (!file.endsWith('.py')) return false;
    return this.indexedFolders().some((root) => {
      if (!isInside(file, root)) return false;
      const filter = createExcludeFilter(root, this.options.exclude ?? []);
      if (filter.skipFile(file)) return false;
      for (let d = path.dirname(file); isInside(d, root) && d !== root; d = path.dirname(d)) {
        if (filter.skipDirectory(d, [])) return false;
      }
      return true;
    });
  }

  files(): string[] {
    return [...this.modules.keys()];
  }

  has(file: string): boolean {
    return this.modules.has(file);
  }

  moduleInfo(file: string): ModuleInfo | undefined {
    return this.modules.get(file);
  }

  classesInModule(file: string): ClassInfo[] {
    return this.modules.get(file)?.classes ?? [];
  }

  findClass(file: string, name: string): ClassInfo | undefined {
    return this.classesInModule(file).find((c) => c.name === name);
  }

  /**
   * The class module `file` has as the attribute `name`, as Caffe's getattr finds it: one it defines or
   * one it imports (a package's __init__.py re-exporting its layers), with the file defining it.
   */
  moduleClass(file: string, name: string): ModuleClass | undefined {
    return this.bases.moduleClasses(file).find((c) => c.name === name);
  }

  /**
   * When module `file` has no known class `name`: the statement that may still bind it to a class the
   * index cannot see (an assignment, or an import from a module not in the workspace).
   */
  opaqueBinding(file: string, name: string): OpaqueBinding | undefined {
    return this.bases.opaqueBinding(file, name);
  }

  /** Every class module `file` has as an attribute (see `moduleClass`). */
  moduleClasses(file: string): readonly ModuleClass[] {
    return this.bases.moduleClasses(file);
  }

  /**
   * The layer classes module `file` offers a net, for completion and messages: those it defines, or,
   * when it defines none (a package's __init__.py), those it imports. A module's imported base class is
   * an attribute too, but not one to offer beside the module's own layers.
   */
  moduleLayerClasses(file: string): ModuleClass[] {
    const layers = this.bases.moduleClasses(file).filter((c) => this.isLayerClass(c.file, c.cls.name));
    const own = layers.filter((c) => c.file === file);
    return own.length > 0 ? own : layers;
  }

  /** True when the class derives from caffe.Layer, directly or through other indexed classes. */
  isLayerClass(file: string, className: string): boolean {
    return this.bases.isLayerClass(file, className);
  }

  layerClasses(): LayerClass[] {
    const out: LayerClass[] = [];
    for (const [file, info] of this.modules) {
      for (const cls of info.classes) if (this.isLayerClass(file, cls.name)) out.push({ file, cls });
    }
    return out;
  }

  /** The classes of one module that are Caffe layers. */
  layerClassesInModule(file: string): ClassInfo[] {
    return this.classesInModule(file).filter((c) => this.isLayerClass(file, c.name));
  }

  /** Absolute folders that the workspace's scripts add to sys.path (script-paths.ts). */
  sysPathFolders(): string[] {
    return (this.sysPathMemo ??= scriptSysPathFolders(this.modules, this.options.roots));
  }

  /**
   * Absolute folders of the workspace's scripts that run Caffe, then those holding a checkout's
   * pycaffe package (script-paths.ts).
   */
  scriptFolders(): string[] {
    if (this.scriptFoldersMemo === undefined) {
      const scripts = caffeScriptFolders(this.modules);
      const packages = pycaffeFolders(this.modules).filter((f) => !scripts.includes(f));
      this.scriptFoldersMemo = [...scripts, ...packages];
    }
    return this.scriptFoldersMemo;
  }

  /** The resolution context for a prototxt in `fromDir` (also tells where a "not found" looked). */
  resolutionContext(fromDir: string): ModuleResolutionContext {
    return {
      prototxtDir: fromDir,
      workspaceRoots: this.options.roots,
      extraPaths: this.options.extraPaths ?? [],
      sysPathFolders: this.sysPathFolders(),
      scriptFolders: this.scriptFolders(),
    };
  }

  /** Resolves a prototxt's `module` (fromDir: the prototxt's folder) against the indexed files. */
  resolveModule(dotted: string, fromDir: string): ModuleResolution {
    return resolveModule(dotted, this.resolutionContext(fromDir), (f) => this.modules.has(f));
  }

  /**
   * Modules that define layer classes, each with the dotted names a prototxt in `fromDir` can use for it
   * (shortest first; modules it cannot reach are left out). For `module:` completion.
   */
  layerModules(fromDir: string): { file: string; names: string[]; classes: ClassInfo[] }[] {
    const folders = searchFolders(this.resolutionContext(fromDir));
    const out: { file: string; names: string[]; classes: ClassInfo[] }[] = [];
    for (const file of [...this.modules.keys()].sort()) {
      // A package's __init__.py that imports its layers offers them too.
      const classes = this.moduleLayerClasses(file).map((c) => c.cls);
      if (classes.length === 0) continue;
      const names = moduleNamesFor(file, folders);
      if (names.length > 0) out.push({ file, names, classes });
    }
    return out;
  }

  /**
   * The first indexed module with Python 2 code that stops its import (python2.ts) among `file` and
   * what importing it runs, nearest first: the module-level imports, transitively, and the packages'
   * __init__.py files on the way. `via` is the chain of files from `file` to it.
   */
  python2Import(file: string): Python2Import | undefined {
    const known = this.python2Memo.get(file);
    if (known !== undefined) return known ?? undefined;
    const found = python2Behind(
      file,
      (f) => this.modules.get(f),
      (dir) => this.resolutionContext(dir),
    );
    this.python2Memo.set(file, found ?? null);
    return found;
  }

  /** Every indexed module with Python 2 code among `file` and what importing it runs, nearest first. */
  python2Closure(file: string): ModuleInfo[] {
    return python2Closure(
      file,
      (f) => this.modules.get(f),
      (dir) => this.resolutionContext(dir),
    );
  }

  /**
   * The first import that stops `file`'s import: in `file` or, nearest first, in a workspace module it
   * imports, a module that neither `installed` (the interpreter's modules, when it said) nor the
   * workspace has, or a submodule a package of the workspace lacks (see missing-imports.ts).
   */
  missingImport(file: string, installed: InstalledModules | undefined): MissingImport | undefined {
    this.useFolders(installed);
    const known = this.missingMemo.get(file);
    if (known !== undefined) return known ?? undefined;
    const found = missingImportBehind(file, installed, this.importHost());
    this.missingMemo.set(file, found ?? null);
    return found;
  }

  /** The imports of `file` itself that stop its import (see missingImport). */
  missingImportsIn(
    file: string,
    installed: InstalledModules | undefined,
  ): ReturnType<typeof missingImportsIn> {
    this.useFolders(installed);
    return missingImportsIn(file, installed, this.importHost());
  }

  /**
   * Drops what was found when the list of installed modules is another (asked again after an install)
   * or a folder looked at has changed since (a module built, a file added or removed).
   */
  private useFolders(installed: InstalledModules | undefined): void {
    if (this.missingFor === installed && !this.disk.changed()) return;
    this.missingFor = installed;
    this.missingMemo = new Map();
    this.disk.clear();
  }

  private importHost(): MissingImportHost {
    return {
      info: (f: string) => this.modules.get(f),
      context: (dir: string) => this.resolutionContext(dir),
      onDisk: (folder: string, name: string) => this.disk.entry(folder, name),
      setupNames: (folder: string, dotted: string) => this.disk.setupNames(folder, dotted),
    };
  }

  /** Follows one base class of a class in `file` to its definition. */
  baseTarget(file: string, resolved: ResolvedName): BaseTarget {
    return this.bases.baseTarget(file, resolved);
  }

  private indexedFolders(): string[] {
    const out: string[] = [];
    for (const f of [...this.options.roots, ...(this.options.extraPaths ?? [])]) {
      const abs = path.resolve(f);
      if (!out.some((o) => isInside(abs, o))) out.push(abs);
    }
    return out;
  }

  private invalidate(): void {
    this.bases.clear();
    this.sysPathMemo = undefined;
    this.scriptFoldersMemo = undefined;
    this.python2Memo = new Map();
    this.missingMemo = new Map();
    this.disk.clear();
  }
}
