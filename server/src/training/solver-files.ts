// The files a solver names: its net files (`net`, `train_net`, `test_net`) and the folder its
// snapshots go to (`snapshot_prefix`). Caffe opens them relative to the folder it is started in, which
// the solver does not record: a path is looked for in the solver's folder, then in each workspace root
// (solver-nets.ts). A net file found in none is an error (Caffe stops when it cannot read it), or a
// warning when a script of the workspace names it (net-writers.ts: it is made by running that); a
// snapshot folder that exists in none is a warning (Caffe trains, then fails to write the snapshot).
// Pure apart from the file-system callbacks the caller passes.

import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisDiagnostic } from '../analysis/diagnostic';
import { firstField, numberValue, scalarText } from '../analysis/model/net-read';
import type { FieldNode, Span } from '../parser/ast';
import { notNetWords } from '../analysis/model/top-message';
import { isDirectory, isFile } from '../util/fs-probe';
import type { NetWriter } from './net-writers';
import { caseFix, caseNote, inOtherCase, type OtherCase } from './path-case';
import {
  resolveNetFile,
  solverNets,
  triedPlaces,
  WINDOWS_DRIVE,
  WINDOWS_READING,
  type NetFileResolution,
  type StartFolder,
} from './solver-nets';

export interface FileSystemView {
  isFile(file: string): boolean;
  isDirectory(dir: string): boolean;
  /** The names in a folder (empty when it cannot be read); absent: folders are not listed. */
  entries?(dir: string): readonly string[];
}

/** A path a solver names, with where it is written and what it resolves to. */
export interface SolverPath {
  field: FieldNode;
  /** The string value's span. */
  span: Span;
  written: string;
  /** A snapshot folder: whether Caffe checks it before training (snapshot > 0) or only writes at the end. */
  kind: 'net' | 'snapshot' | 'final snapshot';
  resolution: NetFileResolution;
  /** For an absolute path found nowhere: the same file or folder in a workspace root (see `copyInRoot`). */
  inRoot?: CopyInRoot;
  /** For a net path with folders found nowhere: a file of its name in the solver's own folder. */
  beside?: string;
  /**
   * For a path found nowhere: the file or folder one of the places tried names in other letter case
   * (`FSRCNN_net.prototxt` for `fsrcnn_net.prototxt`), which Windows and macOS open and Linux does not;
   * `written`: the path as written with those letters, when it can be said so.
   */
  otherCase?: OtherCase;
}

/** Where an absolute path's file is in the workspace, and the folder the path took the workspace for. */
export interface CopyInRoot {
  file: string;
  root: string;
  /** The leading folders the path has and the workspace lacks (`/SegNet`). */
  prefix: string;
  /** The path starts with `...`: its author left out where their copy was. */
  elided?: boolean;
}

/** The folder of a snapshot prefix: "snapshots/lenet" writes snapshots/lenet_iter_N.caffemodel, "snapshots/" into snapshots/. */
function snapshotFolder(written: string): string {
  return written.endsWith('/') || written.endsWith(path.sep) ? written : path.dirname(written);
}

/** Every net file and the snapshot folder of a solver, resolved. */
export function solverPaths(
  fields: readonly FieldNode[],
  solverFile: string,
  roots: readonly string[],
  fsView: FileSystemView,
  starts: readonly StartFolder[] = [],
): SolverPath[] {
  const out: SolverPath[] = [];
  for (const net of solverNets(fields)) {
    if (net.path === undefined || !net.pathSpan) continue;
    const resolution = resolveNetFile(net.path, solverFile, roots, fsView.isFile, starts);
    const inRoot = resolution.found ? undefined : copyInRoot(net.path, roots, fsView.isFile);
    const beside = resolution.found || inRoot ? undefined : besideSolver(net.path, solverFile, fsView.isFile);
    const otherCase =
      resolution.found || inRoot || beside ? undefined : inOtherCase(net.path, resolution, fsView);
    out.push({
      field: net.field,
      span: net.pathSpan,
      written: net.path,
      kind: 'net',
      resolution,
      ...(inRoot ? { inRoot } : {}),
      ...(beside ? { beside } : {}),
      ...(otherCase ? { otherCase } : {}),
    });
  }
  const prefix = firstField(fields, 'snapshot_prefix');
  const written = scalarText(prefix?.value);
  const every = numberValue(firstField(fields, 'snapshot')?.value) ?? 0;
  const afterTrain = scalarText(firstField(fields, 'snapshot_after_train')?.value);
  const writes = every > 0 || !/^(false|f|False|0)$/.test(afterTrain ?? 'true');
  if (prefix?.value?.kind === 'string' && written !== undefined && written !== '' && writes) {
    const folder = snapshotFolder(written);
    const resolution = resolveNetFile(folder, solverFile, roots, fsView.isDirectory, starts);
    const inRoot = resolution.found ? undefined : copyInRoot(folder, roots, fsView.isDirectory);
    const otherCase = resolution.found || inRoot ? undefined : inOtherCase(folder, resolution, fsView);
    out.push({
      field: prefix,
      span: { start: prefix.value.start, end: prefix.value.end },
      written,
      kind: every > 0 ? 'snapshot' : 'final snapshot',
      resolution,
      ...(inRoot ? { inRoot } : {}),
      ...(otherCase ? { otherCase: { file: otherCase.file } } : {}),
    });
  }
  return out;
}

/**
 * An absolute path written on another machine names the file where the author's copy of the workspace
 * sat (SegNet's solvers name `/SegNet/Models/segnet_train.prototxt`, others `~/caffe-model/det/...`,
 * and PoseNet's `.../caffe-posenet/posenet/models/train_posenet.prototxt` leaves that place out): the
 * same file in a workspace root, found by the longest tail of the path of at least two parts (a lone
 * file name would be a guess).
 */
function copyInRoot(
  written: string,
  roots: readonly string[],
  exists: (file: string) => boolean,
): CopyInRoot | undefined {
  // `D:\caffe\models\net.prototxt`: absolute on the Windows machine it was written on.
  const drive = WINDOWS_DRIVE.test(written);
  const absolute = path.isAbsolute(written) || drive;
  const elided = startsElided(written);
  if (!absolute && !elided && !startsAtHome(written)) return undefined;
  const parts = (drive ? path.posix.normalize(written.replace(/\\/g, '/')) : path.normalize(written))
    .split(drive ? '/' : path.sep)
    .filter((p) => p !== '');
  for (let i = 1; i <= parts.length - 2; i++) {
    for (const root of roots) {
      const file = path.join(root, ...parts.slice(i));
      if (!exists(file)) continue;
      const prefix = drive
        ? parts.slice(0, i).join('\\')
        : (absolute ? path.sep : '') + parts.slice(0, i).join(path.sep);
      return { file, root, prefix, ...(elided ? { elided } : {}) };
    }
  }
  return undefined;
}

/** The file name a path ends with, its folders written with `/` or `\`. */
function fileName(written: string): string {
  return written.slice(Math.max(written.lastIndexOf('/'), written.lastIndexOf('\\')) + 1);
}

/** `.../x` or `…/x`: a part of the path left out by its author, which Caffe takes for a folder's name. */
function startsElided(written: string): boolean {
  return /^(\.{3,}|\u2026)[/\\]/.test(written);
}

/** How a path found only as a copy in a workspace root took the workspace, in words (no full stop). */
export function copyPlace(copy: CopyInRoot): string {
  const place = `the path was written for a copy of the workspace at ${copy.prefix}`;
  if (!copy.elided) return place;
  const dots = copy.prefix.split(/[/\\]/)[0];
  return `${place}, its start left out: Caffe takes "${dots}" for a folder's name and finds none`;
}

/** `~/x` or `~user/x`: a home folder only a shell expands; Caffe opens the path as written. */
function startsAtHome(written: string): boolean {
  return /^~[^/\\]*[/\\]/.test(written);
}

/** How Caffe finds the file of a path as written. */
function opensIt(written: string): string {
  return path.isAbsolute(written) || WINDOWS_DRIVE.test(written)
    ? 'Caffe opens an absolute path as written (a folder of the machine it was written on)'
    : 'Caffe opens it relative to the folder it is started in';
}

/** What a message adds for a path that starts at a home folder. */
function homeNote(p: SolverPath): string {
  return startsAtHome(p.written) ? ' Caffe does not expand ~ (a shell does): write the path out.' : '';
}

/**
 * A net path with folders (`examples/face/alexNet/train_val.prototxt`) found nowhere, whose file name is
 * in the solver's own folder: the solver and its nets were published to be placed at that folder of
 * the tree Caffe runs in (a Caffe checkout's examples/...), or the path is stale. Folders written with
 * `\` count as folders too.
 */
function besideSolver(
  written: string,
  solverFile: string,
  exists: (file: string) => boolean,
): string | undefined {
  const parts = written.split(/[\\/]/);
  const name = parts[parts.length - 1];
  if (parts.length < 2 || name === '' || name === '.' || name === '..') return undefined;
  const file = path.join(path.dirname(solverFile), name);
  return exists(file) ? file : undefined;
}

/** For a path found only by its file name beside the solver: where the solver expects its files (no full stop). */
export function besideNote(p: SolverPath): string | undefined {
  if (!p.beside) return undefined;
  const name = path.basename(p.beside);
  const folder = p.written.slice(0, p.written.length - name.length);
  const where =
    path.isAbsolute(folder) || WINDOWS_DRIVE.test(folder)
      ? `the absolute folder ${folder}`
      : `${folder} under the folder Caffe is started in`;
  return `The solver's folder has ${name}: if it is this net, the solver expects its files in ${where}`;
}

/** What the message adds for a path found only as a copy in a workspace root, or only by its name beside the solver. */
function copyNote(p: SolverPath): string {
  const beside = besideNote(p);
  if (beside) return ` ${beside} (copy them there, or change the path).`;
  const copy = p.inRoot;
  if (!copy) return '';
  const rel = path.relative(copy.root, copy.file).split(path.sep).join('/');
  return ` The workspace has ${rel}: ${copyPlace(copy)}.`;
}

/** `names`, or how many other scripts name a file of the name too. */
function othersToo(others = 0): string {
  if (others === 0) return ' names';
  return ` (the nearest to the solver of ${others + 1} scripts naming one) names`;
}

/**
 * Net files found nowhere (errors; warnings when `writerOf` names a script of the workspace that
 * writes the file), net files that hold a solver or a label map (errors; `topOf` tells what a file
 * holds) and a snapshot folder that does not exist (a warning).
 */
export function solverFileProblems(
  paths: readonly SolverPath[],
  writerOf: (written: string) => NetWriter | undefined = () => undefined,
  topOf: (file: string) => string | undefined = () => undefined,
  /** A script that makes one of the folders a snapshot folder was looked for in, relative to its root. */
  makerOf: (places: readonly string[]) => string | undefined = () => undefined,
  /** How a script fills in `word` (a template's placeholder): `gen.sh replaces WORD with sed`. */
  templateWord: (word: string) => string | undefined = () => undefined,
  /**
   * Whether the Caffe checkout's solver checks the snapshot folder before training (false: an older
   * Caffe, which finds out at its first snapshot); undefined when no checkout's solver was read.
   */
  snapshotChecked?: boolean,
): AnalysisDiagnostic[] {
  const problems: AnalysisDiagnostic[] = [];
  for (const p of paths) {
    const found = p.resolution.found;
    if (found?.windows && p.kind === 'net') problems.push(windowsSeparators(p, found.file));
    if (found && p.kind === 'net') {
      const top = topOf(found.file);
      const what = top === undefined ? undefined : notNetWords(top);
      if (what) {
        problems.push({
          severity: 'error',
          code: 'solver-files',
          message: `"${p.written}" (${p.field.name}) holds ${what}, not a net: Caffe reads the file as a NetParameter and stops ("Failed to parse NetParameter file"). Name the net's file here.`,
          start: p.span.start,
          end: p.span.end,
        });
      }
    }
    // A template's path (`${EXP}/train.prototxt`) names its file only once a script fills it in.
    if (found || p.resolution.candidates.length === 0 || TEMPLATE_PATH.test(p.written)) continue;
    // GOTURN's solver: net "TRAIN_FILE", which scripts/train.sh replaces with sed in a copy it trains.
    const placeholder = p.written.split(/[\\/]/).find((w) => PLACEHOLDER_WORD.test(w) && templateWord(w));
    if (placeholder !== undefined) {
      problems.push({
        severity: 'information',
        code: 'solver-files',
        message: `"${p.written}" (${p.field.name}) is a template's: ${templateWord(placeholder)}, and Caffe reads the solver only once the script has filled it in.`,
        start: p.span.start,
        end: p.span.end,
      });
      continue;
    }
    const tried = triedPlaces(p.resolution.candidates);
    const named = p.kind === 'net' ? writerOf(p.written) : undefined;
    // A file of the name beside the solver, or the whole path's file in the workspace, tells more than a
    // script elsewhere naming a file of the name.
    const writer = named !== undefined && !named.wholePath && (p.beside || p.inRoot) ? undefined : named;
    if (writer !== undefined) {
      problems.push({
        severity: 'warning',
        code: 'solver-files',
        message: writer.wholePath
          ? `"${p.written}" (${p.field.name}) does not exist yet: ${writer.script} names it, so it is likely made by running that script; run it before training (Caffe stops when it cannot read the file). Looked for ${tried}.`
          : writer.inFolder !== undefined
            ? `"${p.written}" (${p.field.name}) does not exist: ${writer.script}${othersToo(writer.others)} a file of this name, but as ${writer.inFolder}; write that path here if it is the file meant (Caffe stops when it cannot read the file). Looked for ${tried}.`
            : `"${p.written}" (${p.field.name}) does not exist yet: ${writer.script}${othersToo(writer.others)} a file "${fileName(p.written)}", so running that script may make it; make it before training (Caffe stops when it cannot read the file). Looked for ${tried}.`,
        start: p.span.start,
        end: p.span.end,
      });
    } else if (p.kind === 'net') {
      problems.push({
        severity: 'error',
        code: 'solver-files',
        message: `"${p.written}" (${p.field.name}) does not exist: looked for ${tried}. ${opensIt(p.written)} and stops when it cannot read it.${homeNote(p)}${copyNote(p)}${caseNote(p.otherCase)}`,
        start: p.span.start,
        end: p.span.end,
        ...caseFix(p.otherCase),
      });
    } else {
      const when =
        p.kind !== 'snapshot'
          ? 'Caffe trains, then fails to write the final snapshot'
          : snapshotChecked === false
            ? "Caffe trains, then fails to write the first snapshot (this checkout's solver does not check the folder before training)"
            : 'Caffe stops before training ("Cannot write to snapshot prefix")';
      const maker = makerOf(p.resolution.candidates);
      if (maker !== undefined) {
        problems.push({
          severity: 'information',
          code: 'solver-files',
          message: `The snapshot folder of "${p.written}" does not exist yet: ${maker} makes it, so it is likely made by running that script (${when} without it). Looked for ${tried}.`,
          start: p.span.start,
          end: p.span.end,
        });
        continue;
      }
      problems.push({
        severity: 'warning',
        code: 'solver-files',
        message: `The snapshot folder of "${p.written}" does not exist: looked for ${tried}. ${when}; create the folder first.${homeNote(p)}${copyNote(p)}${caseNote(p.otherCase)}`,
        start: p.span.start,
        end: p.span.end,
      });
    }
  }
  return problems;
}

/**
 * A net path found only with its `\` read as folder separators: Caffe on Windows opens that file, Caffe
 * on Linux or macOS takes the whole path for one file name and stops. A warning (the solver may well be
 * meant for Windows), with `/` as the fix, which Caffe reads as a separator everywhere.
 */
function windowsSeparators(p: SolverPath, file: string): AnalysisDiagnostic {
  const slashed = p.written.replace(/\\/g, '/');
  return {
    severity: 'warning',
    code: 'solver-files',
    message: `"${p.written}" (${p.field.name}) uses Windows folder separators (\\): read that way it names ${file}, but Caffe on Linux and macOS takes a \\ for part of the file name and stops when it cannot read the file. Write / instead: Caffe on Windows reads it too.`,
    start: p.span.start,
    end: p.span.end,
    ...(/["\\\n]/.test(slashed) ? {} : { suggestions: [`"${slashed}"`] }),
  };
}

/**
 * A placeholder a script fills in: `${EXP}`, `$(DIR)`, `$CAFFE_ROOT`, `{{ name }}`, `{% ... %}`,
 * `<%= dir %>`, `%(dir)s`, `@DIR@` (Caffe itself reads the path as written).
 */
/** A word a script may fill in: a name with a capital letter or a digit (TRAIN_FILE, cls1x). */
const PLACEHOLDER_WORD = /^(?:<[A-Za-z_][\w-]*>|(?=[\w-]*[A-Z0-9])[A-Za-z_][\w-]*)$/;

const TEMPLATE_PATH =
  /\{\w*\}|\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*|\{\{.*?\}\}|\{%.*?%\}|<%.*?%>|%\([A-Za-z_]\w*\)[diouxXeEfFgGcrs]|@[A-Za-z_]\w*@/;

/** The disk, for the editor and the CLI. */
export const DISK: FileSystemView = {
  isFile,
  isDirectory,
  entries: (dir) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/** Where a resolved path was found, in words: "in the solver's folder: /w/net.prototxt". */
export function foundWhere(resolution: NetFileResolution): string | undefined {
  const found = resolution.found;
  if (!found) return undefined;
  if (found.windows) {
    const { windows: _, ...asSlashed } = found;
    return `${foundWhere({ ...resolution, found: asSlashed })}${WINDOWS_READING}`;
  }
  if (found.in === 'solver folder') return `in the solver's folder: ${found.file}`;
  if (found.in === 'folder above the solver') return `in a folder above the solver: ${found.file}`;
  if (found.in === 'script folder')
    return `from the folder of ${found.script ?? 'a script'}, which names the solver from there: ${found.file}`;
  if (found.in === 'workspace root') return `in the workspace root ${found.root ?? ''}: ${found.file}`;
  if (found.in === 'folder holding the workspace root')
    return `from the folder holding the workspace root ${found.root ?? ''} (the path starts with its name): ${found.file}`;
  return found.file;
}
