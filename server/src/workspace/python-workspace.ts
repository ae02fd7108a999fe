// The server's Python side: the PythonIndex of the workspace (built once with progress, then kept up to
// date from file events and from edits of open Python documents, rebuilt when python.extraPaths or
// python.exclude change) and the Python layers declared by every prototxt of the workspace (open or
// not), scanned on demand and cached by modification time, for references and code lenses.

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { netsOfTree } from '../analysis/model/embedded-nets';
import { pythonLayerUses, resolveLayerUse, type PythonLayerUse } from '../analysis/python-layers';
import { parse } from '../parser/parse';
import {
  createExcludeFilter,
  createNodeFileSystem,
  walkPythonFiles,
  type DirectoryEntry,
  type PythonFileSystem,
} from '../python/file-system';
import type { InstalledModules } from '../python/missing-imports';
import type { PythonParser } from '../python/parser';
import { PythonIndex } from '../python/workspace-index';
import type { Settings } from '../settings';
import { LineIndex } from '../util/ranges';

export interface PythonWorkspaceHost {
  /** Creates the tree-sitter parser (loaded once, lazily). */
  createParser(): Promise<PythonParser>;
  fs?: PythonFileSystem;
  /** Folder listing for the prototxt scan; the real file system by default. */
  readDirectory?(dir: string): Promise<DirectoryEntry[]>;
  /** Modification time in ms, undefined when the file is gone. */
  mtime?(file: string): Promise<number | undefined>;
  /**
   * Called after the index changed: open prototxts need new diagnostics. `files` lists the Python
   * files whose text changed; undefined after a whole build.
   */
  onChange?(files?: readonly string[]): void;
  log?(message: string): void;
}

export interface BuildProgress {
  report(done: number, total: number): void;
  done(): void;
}

/** A prototxt that declares Python layers, with its text's line index for ranges. */
export interface PrototxtUses {
  file: string;
  lines: LineIndex;
  uses: PythonLayerUse[];
}

export type FileChange = { file: string; kind: 'created' | 'changed' | 'deleted' };

const PROTOTXT = /\.(prototxt|pt|pbtxt)$/i;

export class PythonWorkspace {
  private current: PythonIndex | undefined;
  private isReady = false;
  private parser: Promise<PythonParser> | undefined;
  private configKey = '';
  private buildId = 0;
  private building: Promise<void> = Promise.resolve();
  private roots: string[] = [];
  private readonly openTexts = new Map<string, string>();
  private readonly scanned = new Map<string, { mtime: number; entry: PrototxtUses | undefined }>();
  /** The prototxt files under each root; dropped when one is created or deleted. */
  private listed: Promise<string[]> | undefined;
  private readonly fs: PythonFileSystem;
  private readonly readyWaiters = new Set<() => void>();

  /**
   * The major version of the interpreter that runs the layers, when it was asked (the editor's
   * installed-types question, the CLI's --python): Python 2 code is then judged by it.
   */
  pythonMajor: number | undefined;

  /** The modules the run interpreter can import, when it was asked (the same two places). */
  installedModules: InstalledModules | undefined;

  constructor(private readonly host: PythonWorkspaceHost) {
    this.fs = host.fs ?? createNodeFileSystem();
  }

  get index(): PythonIndex | undefined {
    return this.current;
  }

  /** False while the first build of the current configuration runs. */
  get ready(): boolean {
    return this.isReady;
  }

  get workspaceRoots(): readonly string[] {
    return this.roots;
  }

  /** Resolves when the build in progress (if any) has finished. */
  whenReady(): Promise<void> {
    return this.building;
  }

  /**
   * Resolves true once an index is ready (at once when it is), false after `ms` without one: a
   * request about a Python layer made while the first index is being built waits for it a little
   * instead of answering empty. Also waits for a build that has not started yet.
   */
  indexed(ms: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(waiter);
        resolve(false);
      }, ms);
      this.readyWaiters.add(waiter);
    });
  }

  private becameReady(): void {
    this.isReady = true;
    const waiters = [...this.readyWaiters];
    this.readyWaiters.clear();
    for (const w of waiters) w();
  }

  /**
   * Adopts roots and settings; (re)builds the index when they change what is indexed. Returns the
   * build's promise (resolved at once when nothing changed).
   */
  configure(roots: readonly string[], settings: Settings, progress?: BuildProgress): Promise<void> {
    const extraPaths = settings.python.extraPaths.map((p) => resolveSetting(p, roots));
    const exclude = settings.python.exclude;
    const key = configKeyOf(roots, settings);
    if (key === this.configKey) {
      progress?.done();
      return this.building;
    }
    this.configKey = key;
    this.roots = [...roots];
    this.scanned.clear();
    this.listed = undefined;
    const id = ++this.buildId;
    this.isReady = false;
    this.building = this.build(id, extraPaths, exclude, progress).catch((e: unknown) => {
      this.host.log?.(`Python index failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      progress?.done();
    });
    return this.building;
  }

  private async build(
    id: number,
    extraPaths: string[],
    exclude: readonly string[],
    progress?: BuildProgress,
  ): Promise<void> {
    this.parser ??= this.host.createParser();
    const parser = await this.parser;
    const index = new PythonIndex({ fs: this.fs, parser, roots: this.roots, extraPaths, exclude });
    const started = Date.now();
    await index.build({
      onProgress: (done, total) => progress?.report(done, total),
      isCancelled: () => id !== this.buildId,
    });
    progress?.done();
    if (id !== this.buildId) return;
    // Open Python documents are newer than the disk.
    for (const [file, text] of this.openTexts) if (index.wouldIndex(file)) index.update(file, text);
    this.current = index;
    this.becameReady();
    this.host.log?.(`Python index: ${index.files().length} files in ${Date.now() - started} ms`);
    this.host.onChange?.();
  }

  /**
   * Takes an index built elsewhere (e.g. only as far as some layers need it) as the index of these
   * roots and settings.
   */
  adopt(roots: readonly string[], settings: Settings, index: PythonIndex): void {
    const key = configKeyOf(roots, settings);
    if (key !== this.configKey) {
      this.configKey = key;
      this.roots = [...roots];
      this.scanned.clear();
      this.listed = undefined;
    }
    this.buildId++;
    this.current = index;
    this.building = Promise.resolve();
    this.becameReady();
  }

  /** True when roots or settings change what is indexed (or nothing was built yet). */
  needsBuild(roots: readonly string[], settings: Settings): boolean {
    return configKeyOf(roots, settings) !== this.configKey;
  }

  /** Files changed on disk (workspace/didChangeWatchedFiles). Prototxt changes only drop the scan cache. */
  async filesChanged(changes: readonly FileChange[]): Promise<void> {
    await this.building;
    const index = this.current;
    const changed: string[] = [];
    for (const c of changes) {
      if (PROTOTXT.test(c.file)) {
        this.scanned.delete(c.file);
        if (c.kind !== 'changed') this.listed = undefined;
        continue;
      }
      if (!index) continue;
      if (c.kind === 'deleted') {
        index.remove(c.file);
        changed.push(c.file);
      } else if (index.wouldIndex(c.file) && !this.openTexts.has(c.file)) {
        const text = await this.fs.readFile(c.file).catch(() => undefined);
        if (text !== undefined) index.update(c.file, text);
        else index.remove(c.file);
        changed.push(c.file);
      }
    }
    if (changed.length > 0) this.host.onChange?.(changed);
  }

  /** Follows an open document (after open or change) when it is a Python file. */
  documentChanged(doc: { languageId: string; path?: string; text: string } | undefined): void {
    if (doc?.languageId === 'python' && doc.path) this.pythonEdited(doc.path, doc.text);
  }

  /** An open Python document's text (on open and on every edit). */
  pythonEdited(file: string, text: string): void {
    this.openTexts.set(file, text);
    if (this.current?.wouldIndex(file)) {
      this.current.update(file, text);
      this.host.onChange?.([file]);
    }
  }

  /** An open Python document was closed: the disk is the truth again. */
  async pythonClosed(file: string): Promise<void> {
    if (!this.openTexts.delete(file)) return;
    await this.filesChanged([{ file, kind: 'changed' }]);
  }

  /**
   * The Python layers of every prototxt under the roots. `open` maps the path of open documents to their
   * text (newer than the disk); other files are read when their modification time changed.
   */
  async prototxtUses(open: ReadonlyMap<string, string>): Promise<PrototxtUses[]> {
    this.listed ??= Promise.all(this.roots.map((r) => this.listPrototxts(r))).then((l) => l.flat());
    const files = new Set<string>([...open.keys(), ...(await this.listed)]);
    const out: PrototxtUses[] = [];
    for (const file of [...files].sort()) {
      const text = open.get(file);
      const entry = text !== undefined ? usesOf(file, text) : await this.fromDisk(file);
      if (entry) out.push(entry);
    }
    return out;
  }

  /** The uses in `files` whose module and class resolve to the class `className` of `pyFile`. */
  usesOfClass(
    all: readonly PrototxtUses[],
    pyFile: string,
    className: string,
  ): { file: PrototxtUses; use: PythonLayerUse }[] {
    const index = this.current;
    if (!index) return [];
    const out: { file: PrototxtUses; use: PythonLayerUse }[] = [];
    for (const f of all) {
      for (const use of f.uses) {
        if (use.className?.value.trim() !== className) continue;
        const target = resolveLayerUse(use, index, path.dirname(f.file));
        if (target.classFile === pyFile && target.cls?.name === className) out.push({ file: f, use });
      }
    }
    return out;
  }

  private async fromDisk(file: string): Promise<PrototxtUses | undefined> {
    const mtime = await (this.host.mtime ?? statMtime)(file);
    if (mtime === undefined) {
      this.scanned.delete(file);
      return undefined;
    }
    const hit = this.scanned.get(file);
    if (hit && hit.mtime === mtime) return hit.entry;
    const text = await this.fs.readFile(file).catch(() => undefined);
    const entry = text === undefined ? undefined : usesOf(file, text);
    this.scanned.set(file, { mtime, entry });
    return entry;
  }

  private async listPrototxts(root: string): Promise<string[]> {
    const base = createExcludeFilter(root, []);
    const filter = {
      skipDirectory: base.skipDirectory,
      skipFile: (f: string) => !PROTOTXT.test(f),
    };
    return walkPythonFiles(root, filter, this.host.readDirectory ?? nodeReadDirectory);
  }
}

function configKeyOf(roots: readonly string[], settings: Settings): string {
  const extraPaths = settings.python.extraPaths.map((p) => resolveSetting(p, roots));
  return JSON.stringify([roots, extraPaths, settings.python.exclude]);
}

function usesOf(file: string, text: string): PrototxtUses | undefined {
  // Most nets have no Python layer: skip the parse for them.
  if (!/python/i.test(text)) return undefined;
  const uses = netsOfTree(parse(text)).flatMap(pythonLayerUses);
  return uses.length > 0 ? { file, lines: new LineIndex(text), uses } : undefined;
}

/** A setting path: `${workspaceFolder}` substituted, relative paths against the first root. */
export function resolveSetting(p: string, roots: readonly string[]): string {
  const root = roots[0] ?? process.cwd();
  const expanded = p.replace(/\$\{workspaceFolder\}/g, root);
  return path.resolve(root, expanded);
}

async function nodeReadDirectory(dir: string): Promise<DirectoryEntry[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() || e.isFile())
    .map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
}

async function statMtime(file: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The part of the connection the index start-up uses: server-initiated work-done progress. */
export interface ProgressWindow {
  createWorkDoneProgress(): Promise<{
    begin(title: string, percentage?: number, message?: string, cancellable?: boolean): void;
    report(percentage: number, message?: string): void;
    done(): void;
  }>;
}

/**
 * (Re)configures the workspace's index from the roots and settings; a build reports progress
 * (`window/workDoneProgress`, a no-op for clients without it). Never rejects.
 */
export async function configurePythonIndex(
  python: PythonWorkspace,
  window: ProgressWindow,
  roots: readonly string[],
  settings: Settings,
): Promise<void> {
  if (!python.needsBuild(roots, settings)) return;
  const progress = await window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Indexing Python layers', 0, undefined, false);
  let last = -1;
  await python.configure(roots, settings, {
    report: (done, total) => {
      const pct = Math.floor((done * 100) / Math.max(1, total));
      if (pct === last) return;
      last = pct;
      progress?.report(pct, `${done}/${total} Python files`);
    },
    done: () => progress?.done(),
  });
}
