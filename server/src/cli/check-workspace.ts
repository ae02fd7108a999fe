// What `check` runs: the language server's own workspace (documents, analyses with the same schema
// discovery, the Python layers' index, the solvers) over the files given, and for each file the
// diagnostics the editor publishes, gathered by the same code. The Python index is built only when a
// checked file has Python layers or is a Python file, and only as far as they need.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { netsOfTree } from '../analysis/model/embedded-nets';
import { pythonLayerUses } from '../analysis/python-layers';
import { DocumentStore } from '../documents';
import { gatherDiagnostics } from '../features/diagnostics/gather';
import { SEVERITY } from '../features/shared/lsp-diagnostics';
import type { DocumentNode } from '../parser/ast';
import { parse } from '../parser/parse';
import type { InstalledModules } from '../python/missing-imports';
import { createPythonParser } from '../python/parser';
import { PythonIndex } from '../python/workspace-index';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { Analyses } from '../workspace/analyses';
import type { ReadProtoFile } from '../workspace/proto-files';
import { indexOnDemand, localDemand, type ModuleNeed } from '../workspace/python-demand';
import { PythonWorkspace } from '../workspace/python-workspace';
import { SolverUses } from '../workspace/solver-uses';
import type { CliDiagnostic, FileReport } from './format';
import { isInside } from '../util/path-inside';

export interface CheckWorkspaceOptions {
  /** Workspace roots, absolute (see workspaceRoots). */
  roots: readonly string[];
  /**
   * `--schema`: a caffe.proto for every file (absolute) or `bundled:NAME`, and protos of additions to
   * go into it, each with what was read of it already (read again only if it changes on disk
   * meanwhile). The nearest proto otherwise; a proto of additions discovered goes into the one given.
   */
  schemas?: readonly { path: string; read?: ReadProtoFile }[];
  schemaExclude: readonly string[];
  allowLayerTypes: readonly string[];
  /** What the installed Caffe registers (`--python`), labelled with its interpreter. */
  installedLayerTypes?: { types: readonly string[]; label: string };
  /** Extra module folders, absolute (`--python-path`, PYTHONPATH). */
  pythonPaths: readonly string[];
  /** Diagnostic codes left out (`--ignore`). */
  ignore?: readonly string[];
  /** The interpreter given (`--python`): one named python2 takes Python 2 layer modules. */
  interpreter?: string;
  /** Its major version, as it said when asked for its layer types. */
  pythonMajor?: number;
  /** The modules that interpreter can import (`--python`), labelled with it. */
  installedModules?: InstalledModules;
  /** Diagnostics listed per file (`--max-diagnostics`; 0 for all); the editor's number by default. */
  maxDiagnostics?: number;
}

/** A file to check: as shown to the user, and its absolute path. */
export interface CheckedFile {
  shown: string;
  absolute: string;
  /** Found in a given folder (not named itself). */
  found?: boolean;
  /** The given folder it was found in, absolute (the outermost, when given folders nest). */
  folder?: string;
}

export interface CheckOutcome {
  report: FileReport;
  /** Problems with the schema in use (a configured path missing, a proto's syntax errors). */
  schemaProblems: readonly string[];
}

/**
 * The default workspace root of a file: `explicit` (--root) when given; else the nearest ancestor of
 * the current folder holding `.git` when the file is inside it; else the file's own nearest `.git`
 * ancestor; else the current folder when the file is inside it; never a home folder or disk root
 * (a project is not the whole home or disk: walking one for solvers and Python modules takes minutes);
 * else the given folder it was found in (`folder`: the folder is the project, as when it is opened in
 * the editor), or the file's own folder. A file never gets a workspace it is not inside.
 */
export function workspaceRootOf(file: string, cwd: string, explicit?: string, folder?: string): string {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  const here = path.resolve(cwd);
  // A home folder kept in git (its dotfiles) is no project either.
  const current = gitAncestor(here);
  if (current !== undefined && !tooBroad(current) && isInside(file, current)) return current;
  const repository = gitAncestor(path.dirname(file));
  if (repository !== undefined && !tooBroad(repository)) return repository;
  if (isInside(file, here) && !tooBroad(here)) return here;
  return folder !== undefined && isInside(file, folder) ? folder : path.dirname(file);
}

/** A home folder or the root of a disk: no folder to take for a project without being asked. */
function tooBroad(dir: string): boolean {
  return path.dirname(dir) === dir || path.resolve(os.homedir()) === dir;
}

/**
 * Trees parsed to find the modules of Python layers are kept for the files' checks up to this much
 * text in all: a folder of huge nets is parsed twice rather than held in memory at once.
 */
const KEPT_TREE_CHARS = 64 * 1024 * 1024;

export class CheckWorkspace {
  private readonly documents = new DocumentStore();
  /** Trees already parsed (by moduleNeeds), by absolute path, until the file is checked. */
  private readonly trees = new Map<string, DocumentNode>();
  private treeChars = 0;
  private readonly analyses: Analyses;
  private readonly python: PythonWorkspace;
  // The files do not change while they are checked: who builds a net is worked out once per solver.
  private readonly solvers = new SolverUses({ fixedDisk: true });
  private readonly settings: Settings;

  constructor(private readonly options: CheckWorkspaceOptions) {
    this.settings = {
      ...DEFAULT_SETTINGS,
      schema: {
        ...DEFAULT_SETTINGS.schema,
        paths: (options.schemas ?? []).map((s) => s.path),
        autoDiscover: true,
        exclude: [...options.schemaExclude],
      },
      layerTypes: { allow: [...options.allowLayerTypes] },
      diagnostics: { ignore: [...(options.ignore ?? [])] },
      python: {
        ...DEFAULT_SETTINGS.python,
        extraPaths: [...options.pythonPaths],
        ...(options.interpreter !== undefined ? { interpreter: options.interpreter } : {}),
      },
    };
    this.analyses = new Analyses(this.documents, undefined, true);
    this.analyses.configure(this.settings, options.roots);
    for (const given of options.schemas ?? []) {
      if (given.read) this.analyses.schemas.adopt(given.path, given.read);
    }
    if (options.installedLayerTypes) this.analyses.setInstalledLayerTypes(options.installedLayerTypes);
    this.python = new PythonWorkspace({ createParser: () => createPythonParser() });
    this.python.pythonMajor = options.pythonMajor;
    this.python.installedModules = options.installedModules;
    this.solvers.setRoots(options.roots);
  }

  /**
   * Builds the Python index the files need (none when they have no Python layers and no .py file).
   * Returns the Python files found in folders that the editor's index leaves out (virtualenvs, build
   * output...): they are not checked.
   */
  async preparePython(
    files: readonly CheckedFile[],
    texts: ReadonlyMap<string, string>,
  ): Promise<ReadonlySet<string>> {
    const needs: ModuleNeed[] = [];
    const pyFiles: string[] = [];
    for (const f of files) {
      const text = texts.get(f.absolute);
      if (text === undefined) continue;
      if (f.absolute.endsWith('.py')) pyFiles.push(f.absolute);
      else needs.push(...this.moduleNeeds(f.absolute, text));
    }
    if (needs.length === 0 && pyFiles.length === 0) return new Set();
    const { roots, pythonPaths } = this.options;
    const demand = localDemand(roots, pythonPaths);
    const parser = demand.parser;
    if (pyFiles.length > 0) {
      // Which prototxts of the workspace use these classes decides which methods they must have.
      this.python.adopt(roots, this.settings, new PythonIndex({ ...demand, parser: await parser() }));
      const open = new Map([...texts].filter(([f]) => !f.endsWith('.py')));
      for (const uses of await this.python.prototxtUses(open)) {
        for (const use of uses.uses) {
          const module = use.module?.value.trim();
          if (use.isPython && module) needs.push({ module, fromDir: path.dirname(uses.file) });
        }
      }
    }
    const { index, listed } = await indexOnDemand(demand, needs, pyFiles);
    // The Python files checked are analysed again as open documents.
    if (pyFiles.length > 0) index.useParser(await parser());
    this.python.adopt(roots, this.settings, index);
    return new Set(
      files
        .filter((f) => f.found && f.absolute.endsWith('.py') && !listed.has(f.absolute))
        .map((f) => f.absolute),
    );
  }

  /** The file's diagnostics as the editor publishes them, with the problems of its schema. */
  async check(file: CheckedFile, text: string): Promise<CheckOutcome> {
    const uri = pathToFileURL(file.absolute).toString();
    const python = file.absolute.endsWith('.py');
    const tree = this.trees.get(file.absolute);
    this.trees.delete(file.absolute);
    const doc = this.documents.open(uri, python ? 'python' : 'prototxt', 1, text, tree);
    try {
      const report = await gatherDiagnostics(
        this.analyses,
        this.python,
        uri,
        this.solvers,
        this.options.maxDiagnostics,
      );
      const schemaProblems = python ? [] : this.analyses.analyzedDoc(doc).schema.problems;
      // A Python file found in a folder is checked for its layer classes (one given by name, in full).
      const layerless =
        python && file.found && this.python.index?.layerClassesInModule(file.absolute).length === 0;
      const diagnostics = layerless ? [] : (report?.diagnostics ?? []).map((d) => toCli(d, uri));
      return { report: { path: file.shown, diagnostics }, schemaProblems };
    } finally {
      this.documents.close(uri);
      this.analyses.forget(uri);
    }
  }

  /**
   * The modules a prototxt's Python layers name (none without the word "python": no parse then). The
   * tree is kept for the file's check, which then does not parse it again.
   */
  private moduleNeeds(file: string, text: string): ModuleNeed[] {
    if (!/python/i.test(text)) return [];
    const tree = parse(text);
    if (this.treeChars + text.length <= KEPT_TREE_CHARS) {
      this.trees.set(file, tree);
      this.treeChars += text.length;
    }
    const out: ModuleNeed[] = [];
    for (const use of netsOfTree(tree).flatMap(pythonLayerUses)) {
      const module = use.module?.value.trim();
      if (use.isPython && module) out.push({ module, fromDir: path.dirname(file) });
    }
    return out;
  }
}

/** LSP's severity numbers (1 error ... 4 hint) by name. */
const SEVERITY_NAME: Record<number, CliDiagnostic['severity']> = Object.fromEntries(
  Object.entries(SEVERITY).map(([name, n]) => [n, name as CliDiagnostic['severity']]),
);

/** An LSP diagnostic (0-based) of the file at `uri` as the CLI prints it (1-based). */
export function toCli(d: Diagnostic, uri: string): CliDiagnostic {
  const related = d.relatedInformation?.filter((r) => r.location.uri === uri) ?? [];
  return {
    severity: SEVERITY_NAME[d.severity ?? SEVERITY.error],
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    message: typeof d.message === 'string' ? d.message : d.message.value,
    code: String(d.code ?? ''),
    ...(related.length > 0
      ? {
          related: related.map((r) => ({
            line: r.location.range.start.line + 1,
            column: r.location.range.start.character + 1,
            message: r.message,
          })),
        }
      : {}),
  };
}

function gitAncestor(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
