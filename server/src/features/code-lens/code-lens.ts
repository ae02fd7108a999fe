// textDocument/codeLens: above each Python layer of a net the run lenses (run-lens.ts); above each layer
// class of a Python file how many prototxt layers use it and Run (python-file.ts); above a solver's
// lr_policy the learning rate schedule (lr-schedule/lr-schedule.ts).

import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { AnalyzedDocument, Services } from '../context';
import { scheduleLenses } from '../lr-schedule/lr-schedule';
import { pythonFileLenses } from './python-file';
import { provideRunLenses } from './run-lens';

export async function provideCodeLenses(
  input: AnalyzedDocument,
  _params: CodeLensParams,
  services?: Services,
): Promise<CodeLens[]> {
  if (input.doc.languageId === 'python')
    return services ? pythonFileLenses(input, services.python, services.documents) : [];
  // Modules resolve as in the diagnostics: through the folders the workspace's scripts put on sys.path too.
  const index = services?.python.index;
  const sysPathFolders = index?.sysPathFolders();
  const scriptFolders = index?.scriptFolders();
  return [
    ...provideRunLenses(input, { roots: services?.roots, sysPathFolders, scriptFolders }),
    ...scheduleLenses(input),
  ];
}
