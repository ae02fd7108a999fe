// A solver's net files that exist nowhere or hold no net and a snapshot folder that does not exist,
// looked for in the solver's folder, the workspace roots and the folders scripts start Caffe in
// (training/solver-files.ts), as LSP diagnostics.

import type { Diagnostic } from 'vscode-languageserver';
import { SOLVER } from '../../analysis/model/top-message';
import type { NetWriters } from '../../training/net-writers';
import { fileTopMessage } from '../../training/net-file-kind';
import { solverFileProblems } from '../../training/solver-files';
import { solverPathsWithStarts } from '../shared/solver-paths';
import type { AnalyzedDocument } from '../../workspace/analyses';
import { toLspDiagnostics } from '../shared/lsp-diagnostics';

export function solverFileDiagnostics(
  input: AnalyzedDocument,
  roots: readonly string[],
  writers?: NetWriters,
): Diagnostic[] {
  const file = input.doc.path;
  if (!file || input.analysis.topMessage.name !== SOLVER) return [];
  const paths = solverPathsWithStarts(input, file, roots);
  const problems = solverFileProblems(
    paths,
    (written) => writers?.writerOf(written, roots, file),
    fileTopMessage,
    (places) => writers?.makerOf(places, roots, file),
    (word) => writers?.fillerOf(word, roots, true),
    input.schema.checkoutSolvers?.names.snapshotChecked,
  );
  return toLspDiagnostics(input.doc.uri, input.doc.lines, problems);
}
