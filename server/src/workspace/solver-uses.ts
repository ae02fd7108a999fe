// Which solvers of the workspace build a net file, and in which phase: the solver files are found by
// content (a prototxt whose top message is SolverParameter, whatever its name), read once and kept
// until the file changes, and their `net`, `train_net` and `test_net` paths resolved as Caffe would
// from the folder it is started in: the solver's folder or a workspace root (`resolveNetFile`).
// No LSP imports: the CLI uses it too.

import fs from 'node:fs';
import path from 'node:path';
import type { Phase } from '../analysis/model/net';
import type { SolverStateFields } from '../analysis/model/net-state';
import { chooseTopMessage, SOLVER } from '../analysis/model/top-message';
import { parse } from '../parser/parse';
import { resolveNetFile, solverNets, solverStates } from '../training/solver-nets';
import { isFile } from '../util/fs-probe';
import { filesUnder } from '../util/walk';

/** One way a solver builds a net file. */
export interface SolverUse {
  /** The solver file, absolute. */
  solver: string;
  phase: Phase;
  /** The solver field naming the net: `net`, `train_net` or `test_net`. */
  field: string;
  /** The stages and level of the solver's state for it (`train_state`, or the test net's `test_state`). */
  stages: readonly string[];
  /** Undefined when that state sets no level (the net's own level applies, else 0). */
  level?: number;
}

export interface SolverUsesHost {
  /** The text of an open document at this path (newer than the disk), undefined when it is not open. */
  openText?(file: string): string | undefined;
  /** Every open document's path, so unsaved or new solvers count too. */
  openFiles?(): readonly string[];
  /**
   * The files do not change while this is used (a one-time check): which paths are files is looked
   * up once, and each solver's nets resolved once, however many nets ask who builds them.
   */
  fixedDisk?: boolean;
}

export interface SolverScanLimits {
  /** Give up listing after this many folders (default 20000). */
  maxDirs?: number;
  /** Files larger than this are no solvers worth reading (default 1 MB). */
  maxFileBytes?: number;
}

/** A solver's file nets: the path as written and each phase/state it is built in. */
interface SolverEntry {
  nets: ({ written: string; field: string; phase: Phase } & SolverStateFields)[];
}

interface Cached {
  mtimeMs: number;
  size: number;
  entry: SolverEntry | undefined;
}

/**
 * Names a solver file can have: prototxt extensions, and a name with "solver" in it that has no other
 * extension or `.txt` (`solver`, `lenet_solver`, `solver_adam.txt`): never source code such as
 * `solver.cpp` or `test_solver.py`.
 */
const CANDIDATE = /\.(prototxt|pt|pbtxt)$|^[^.]*solver[^.]*(?:\.txt)?$/i;
/** Only text with one of these can name a net file (`net:`, `train_net:`, `test_net:`). */
const NET_FIELD = /\b(?:train_|test_)?net\s*:/;

export class SolverUses {
  private roots: string[] = [];
  private listed: string[] | undefined;
  private readonly cache = new Map<string, Cached>();
  private readonly openCache = new Map<string, { text: string; entry: SolverEntry | undefined }>();
  /** What `netFilesChanged` last saw of each open file. */
  private readonly lastSeen = new Map<string, SolverEntry | undefined>();
  /**
   * Per solver, for the entry it had: the paths each of its nets may name (path work only: they
   * change with the roots), and with a fixed disk the paths each names (those that exist, else all).
   */
  private readonly resolved = new Map<
    string,
    { entry: SolverEntry; candidates: string[][]; named?: Set<string>[] }
  >();
  /** With a fixed disk: whether each path looked up is a file. */
  private readonly isFileMemo = new Map<string, boolean>();

  constructor(
    private readonly host: SolverUsesHost = {},
    private readonly limits: SolverScanLimits = {},
  ) {}

  /** New workspace roots: the files are listed again on next use. */
  setRoots(roots: readonly string[]): void {
    this.roots = roots.map((r) => path.resolve(r));
    this.listed = undefined;
    this.resolved.clear();
  }

  get workspaceRoots(): readonly string[] {
    return this.roots;
  }

  /** A file was created, changed or deleted on disk. */
  fileChanged(file: string, kind: 'created' | 'changed' | 'deleted'): void {
    this.cache.delete(path.resolve(file));
    if (kind !== 'changed') this.listed = undefined;
    this.resolved.clear();
    this.isFileMemo.clear();
  }

  /** Forget everything read (e.g. after many changes at once). */
  invalidate(): void {
    this.cache.clear();
    this.listed = undefined;
    this.resolved.clear();
    this.isFileMemo.clear();
  }

  /** The solver files of the workspace (on disk under the roots, and open ones), sorted. */
  solvers(): string[] {
    return this.files().filter((f) => this.entryOf(f) !== undefined);
  }

  /** Every way a solver of the workspace builds `netPath` (absolute), in solver then field order. */
  usesOf(netPath: string): SolverUse[] {
    const target = path.resolve(netPath);
    const out: SolverUse[] = [];
    for (const solver of this.files()) {
      const entry = this.entryOf(solver);
      if (!entry) continue;
      const resolved = this.resolvedNets(solver, entry);
      for (let n = 0; n < entry.nets.length; n++) {
        if (!this.names(resolved, n, target)) continue;
        const { phase, field, stages, level } = entry.nets[n];
        out.push({ solver, phase, field, stages, ...(level === undefined ? {} : { level }) });
      }
    }
    return out;
  }

  /** Whether net `n` of a solver names `target`: among the candidates that exist, else among all. */
  private names(
    resolved: { candidates: string[][]; named?: Set<string>[] },
    n: number,
    target: string,
  ): boolean {
    if (resolved.named) return resolved.named[n].has(target);
    const candidates = resolved.candidates[n];
    const existing = candidates.filter((f) => this.exists(f));
    return (existing.length > 0 ? existing : candidates).includes(target);
  }

  private resolvedNets(
    solver: string,
    entry: SolverEntry,
  ): { candidates: string[][]; named?: Set<string>[] } {
    const hit = this.resolved.get(solver);
    if (hit?.entry === entry) return hit;
    // Only the paths are worked out here (no file is looked at).
    const candidates = entry.nets.map(
      (net) => resolveNetFile(net.written, solver, this.roots, () => false).candidates,
    );
    const named = this.host.fixedDisk
      ? candidates.map((list) => {
          const existing = list.filter((f) => this.exists(f));
          return new Set(existing.length > 0 ? existing : list);
        })
      : undefined;
    const made = { entry, candidates, ...(named ? { named } : {}) };
    this.resolved.set(solver, made);
    return made;
  }

  /** Whether `file` is an open document or a file on disk. */
  private exists(file: string): boolean {
    if (this.host.openText?.(file) !== undefined) return true;
    if (!this.host.fixedDisk) return isFile(file);
    let known = this.isFileMemo.get(file);
    if (known === undefined) this.isFileMemo.set(file, (known = isFile(file)));
    return known;
  }

  private files(): string[] {
    this.listed ??= this.list();
    const open = (this.host.openFiles?.() ?? []).filter((f) => CANDIDATE.test(path.basename(f)));
    return [...new Set([...this.listed, ...open.map((f) => path.resolve(f))])].sort();
  }

  private list(): string[] {
    const out: string[] = [];
    for (const { file, name } of filesUnder(this.roots, { maxDirs: this.limits.maxDirs })) {
      if (CANDIDATE.test(name)) out.push(file);
    }
    return out;
  }

  /**
   * The net files whose uses may differ since this was last asked for `file` (before that: since its
   * text on disk), now that its text changed, or it was opened or closed: the files its nets named
   * then and name now, when those nets differ (a `net:` path, a phase, a `test_state`). Empty when
   * its nets stay the same (an edit of `base_lr`), so that nothing else is checked again.
   */
  netFilesChanged(file: string): string[] {
    const target = path.resolve(file);
    const before = this.lastSeen.has(target) ? this.lastSeen.get(target) : this.diskEntry(target);
    const now = this.entryOf(target);
    // Kept while the file is open; once it is closed the disk is what the next opening starts from.
    if (this.host.openText?.(target) !== undefined) this.lastSeen.set(target, now);
    else this.lastSeen.delete(target);
    if (sameNets(before, now)) return [];
    const exists = (f: string) => this.host.openText?.(f) !== undefined || isFile(f);
    const out = new Set<string>();
    for (const net of [...(before?.nets ?? []), ...(now?.nets ?? [])]) {
      for (const f of resolveNetFile(net.written, target, this.roots, exists).candidates) out.add(f);
    }
    return [...out];
  }

  /** Whether `file` was a solver when last asked (its nets may have gone since). */
  wasSolver(file: string): boolean {
    return this.lastSeen.get(path.resolve(file)) !== undefined;
  }

  private entryOf(file: string): SolverEntry | undefined {
    const open = this.host.openText?.(file);
    if (open !== undefined) {
      const hit = this.openCache.get(file);
      if (hit && hit.text === open) return hit.entry;
      const entry = readSolver(open);
      this.openCache.set(file, { text: open, entry });
      return entry;
    }
    this.openCache.delete(file);
    return this.diskEntry(file);
  }

  private diskEntry(file: string): SolverEntry | undefined {
    if (this.host.fixedDisk) {
      const known = this.cache.get(file);
      if (known) return known.entry;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.cache.delete(file);
      return undefined;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.entry;
    let entry: SolverEntry | undefined;
    if (stat.size <= (this.limits.maxFileBytes ?? 1_000_000)) {
      try {
        entry = readSolver(fs.readFileSync(file, 'utf8'));
      } catch {
        entry = undefined;
      }
    }
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, entry });
    return entry;
  }
}

/** The file nets of a solver text; undefined when the text is no solver or names no net file. */
export function readSolver(text: string): SolverEntry | undefined {
  if (!NET_FIELD.test(text)) return undefined;
  const ast = parse(text);
  if (chooseTopMessage(ast).name !== SOLVER) return undefined;
  const states = solverStates(ast.fields);
  const nets: SolverEntry['nets'] = [];
  for (const net of solverNets(ast.fields)) {
    if (net.path === undefined) continue;
    const field = net.source;
    if (net.train) nets.push({ written: net.path, field, phase: 'TRAIN', ...states.train });
    for (const id of net.testNets) {
      nets.push({ written: net.path, field, phase: 'TEST', ...(states.tests[id] ?? { stages: [] }) });
    }
  }
  return nets.length > 0 ? { nets } : undefined;
}

function sameNets(a: SolverEntry | undefined, b: SolverEntry | undefined): boolean {
  return JSON.stringify(a?.nets ?? []) === JSON.stringify(b?.nets ?? []);
}
