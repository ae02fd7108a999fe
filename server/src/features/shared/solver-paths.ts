// The paths a solver names, for the features that read them at the cursor: go to a net file, complete
// a path (folders and net files in the solver's folder and the workspace roots), say where it was found.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionItemKind,
  type CompletionItem,
  type Location,
  type LocationLink,
} from 'vscode-languageserver';
import { SOLVER } from '../../analysis/model/top-message';
import type { FieldNode } from '../../parser/ast';
import type { FieldValueQuery } from '../../analysis/query';
import {
  besideNote,
  copyPlace,
  DISK,
  foundWhere,
  solverPaths,
  type SolverPath,
} from '../../training/solver-files';
import { triedPlaces } from '../../training/solver-nets';
import type { AnalyzedDocument } from '../context';
import { Doc } from './field-docs';

const PATH_FIELDS = new Set(['net', 'train_net', 'test_net', 'snapshot_prefix']);
const NET_FILE = /\.(prototxt|pt|txt)$/i;
/** How many entries a folder may offer. */
const ENTRY_CAP = 200;

/** The solver path whose string value holds `offset` (its quotes included). */
export function solverPathAt(
  input: AnalyzedDocument,
  offset: number,
  roots: readonly string[],
): SolverPath | undefined {
  const file = input.doc.path;
  if (!file || input.analysis.topMessage.name !== SOLVER) return undefined;
  const field = input.doc.ast.fields.find((f) => f.value && f.value.start <= offset && offset <= f.value.end);
  if (!field || !PATH_FIELDS.has(field.name) || field.value?.kind !== 'string') return undefined;
  return solverPathsWithStarts(input, file, roots, [field]).find((p) => p.field === field);
}

/**
 * The paths of a solver document, looked for also from the folders the workspace's scripts start
 * Caffe in when one is found nowhere else (that walk of the workspace's scripts is made only then).
 */
export function solverPathsWithStarts(
  input: AnalyzedDocument,
  file: string,
  roots: readonly string[],
  fields: readonly FieldNode[] = input.doc.ast.fields,
): SolverPath[] {
  const paths = solverPaths(fields, file, roots, DISK);
  if (!input.scriptStarts || paths.every((p) => p.resolution.found || p.resolution.candidates.length === 0))
    return paths;
  const starts = input.scriptStarts();
  return starts.length === 0 ? paths : solverPaths(fields, file, roots, DISK, starts);
}

/** Go to definition on a net path: the file it resolves to. */
export function solverPathDefinition(
  input: AnalyzedDocument,
  offset: number,
  roots: readonly string[],
): Location[] | LocationLink[] | undefined {
  const hit = solverPathAt(input, offset, roots);
  // Where it is found, else the workspace's copy of an absolute path written elsewhere.
  const found = hit?.kind === 'net' ? (hit.resolution.found ?? hit.inRoot) : undefined;
  if (!hit || !found) return undefined;
  const uri = pathToFileURL(found.file).toString();
  const start = { line: 0, character: 0 };
  const range = { start, end: start };
  if (!input.client.definitionLinks) return [{ uri, range }];
  const origin = input.doc.lines.rangeOf(hit.span.start, hit.span.end);
  return [{ originSelectionRange: origin, targetUri: uri, targetRange: range, targetSelectionRange: range }];
}

/** A hover on a path: where it was found, or where it was looked for. */
export function solverPathHover(
  input: AnalyzedDocument,
  offset: number,
  roots: readonly string[],
  markdown: boolean,
): string | undefined {
  const hit = solverPathAt(input, offset, roots);
  if (!hit) return undefined;
  const doc = new Doc(markdown);
  const what = hit.kind === 'net' ? 'net file' : 'snapshot folder';
  const where = foundWhere(hit.resolution);
  if (where) doc.raw(`**${what}** found ${where}`, `${what} found ${where}`);
  else if (hit.resolution.candidates.length > 0)
    doc.raw(
      `**${what}** not found; looked for ${triedPlaces(hit.resolution.candidates, (c) => doc.c(c))}`,
      `${what} not found; looked for ${triedPlaces(hit.resolution.candidates)}`,
    );
  const beside = where ? undefined : besideNote(hit);
  if (beside) doc.text(`${beside}.`);
  if (!where && hit.inRoot) {
    const rel = path.relative(hit.inRoot.root, hit.inRoot.file).split(path.sep).join('/');
    doc.text(`The workspace has it as ${rel}: ${copyPlace(hit.inRoot)}.`);
  }
  doc.text(
    "Caffe opens it relative to the folder it is started in: the solver's folder and the workspace roots are tried.",
  );
  return doc.toString();
}

/** Folders and net files (folders only for snapshot_prefix) where a path is being typed. */
export function solverPathCompletion(
  input: AnalyzedDocument,
  q: FieldValueQuery,
  roots: readonly string[],
): CompletionItem[] | undefined {
  const file = input.doc.path;
  const value = q.value;
  if (!file || q.path.length !== 0 || !PATH_FIELDS.has(q.field.name) || value?.kind !== 'string')
    return undefined;
  if (input.analysis.topMessage.name !== SOLVER) return undefined;
  const text = input.doc.text;
  const open = value.start + 1;
  const close =
    value.pieces.length === 1 && value.end - value.start >= 2 && text[value.end - 1] === text[value.start]
      ? value.end - 1
      : value.end;
  if (q.offset < open || q.offset > close) return undefined;
  const typed = text.slice(open, q.offset);
  const slash = typed.lastIndexOf('/');
  const dirPart = typed.slice(0, slash + 1);
  const bases: { dir: string; where: string }[] = path.isAbsolute(dirPart)
    ? [{ dir: dirPart, where: 'absolute path' }]
    : [
        { dir: path.resolve(path.dirname(file), dirPart), where: "in the solver's folder" },
        ...roots.map((r) => ({ dir: path.resolve(r, dirPart), where: `in the workspace root ${r}` })),
      ];
  const range = input.doc.lines.rangeOf(open + dirPart.length, close);
  const foldersOnly = q.field.name === 'snapshot_prefix';
  const items = new Map<string, CompletionItem>();
  for (const base of bases) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(base.dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.slice(0, ENTRY_CAP)) {
      if (entry.name.startsWith('.')) continue;
      const folder = entry.isDirectory();
      if (!folder && (foldersOnly || !entry.isFile() || !NET_FILE.test(entry.name))) continue;
      const label = folder ? `${entry.name}/` : entry.name;
      if (items.has(label)) continue;
      items.set(label, {
        label,
        kind: folder ? CompletionItemKind.Folder : CompletionItemKind.File,
        detail: base.where,
        sortText: `${folder ? 1 : 0}${entry.name}`,
        textEdit: { range, newText: label },
        ...(folder ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
      });
    }
  }
  return [...items.values()];
}
