// Plain-text files without an extension whose name matches `prototxt.files.solverGlobs`
// (e.g. `*solver*`) are switched to the prototxt language. Off while the setting is empty.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compileGlob } from '../../common/glob';
import { config } from './config';

/** A base name against a glob (common/glob.ts), case-sensitive like file names on Linux. */
export function matchesNameGlob(name: string, glob: string): boolean {
  return compileGlob(glob)(name);
}

async function adopt(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId !== 'plaintext' || doc.uri.scheme !== 'file') return;
  const name = path.basename(doc.uri.fsPath);
  if (path.extname(name) !== '') return;
  const globs = config.solverGlobs(doc.uri);
  if (globs.length > 0 && globs.some((g) => matchesNameGlob(name, g))) {
    await vscode.languages.setTextDocumentLanguage(doc, 'prototxt');
  }
}

export function watchSolverFiles(): vscode.Disposable {
  for (const doc of vscode.workspace.textDocuments) void adopt(doc);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((doc) => void adopt(doc)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('prototxt.files.solverGlobs')) {
        for (const doc of vscode.workspace.textDocuments) void adopt(doc);
      }
    }),
  );
}
