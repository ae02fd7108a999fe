// The one code-lens entry point: the run lenses above Python layers of a net (run-lens.ts). Lenses
// of other kinds (e.g. above Python layer classes) are added here beside it.

import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { FeatureInput } from '../context';
import { provideRunLenses, type RunLensOptions } from './run-lens';

export type CodeLensOptions = RunLensOptions;

export function provideCodeLenses(
  input: FeatureInput,
  _params: CodeLensParams,
  options: CodeLensOptions = {},
): CodeLens[] {
  if (input.doc.languageId === 'python') return [];
  return provideRunLenses(input, options);
}
