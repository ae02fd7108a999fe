// Diagnostics as text lines (`path:line:col: severity: message [code]`) or one JSON array, 1-based.

import type { AnalysisDiagnostic } from '../analysis/diagnostic';
import { foreignFormat, foreignFormatDiagnostic } from '../analysis/foreign-format';
import type { DocumentNode } from '../parser/ast';
import { LineIndex } from '../util/ranges';

export interface CliDiagnostic {
  severity: AnalysisDiagnostic['severity'];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  code: string;
}

export interface FileReport {
  path: string;
  diagnostics: CliDiagnostic[];
}

export function toCliDiagnostics(text: string, diagnostics: readonly AnalysisDiagnostic[]): CliDiagnostic[] {
  if (diagnostics.length === 0) return [];
  const lines = new LineIndex(text);
  return diagnostics.map((d) => {
    const start = lines.positionAt(d.start);
    const end = lines.positionAt(d.end);
    return {
      severity: d.severity,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      message: d.message,
      code: d.code,
    };
  });
}

export function formatText(report: FileReport): string {
  return report.diagnostics
    .map((d) => `${report.path}:${d.line}:${d.column}: ${d.severity}: ${oneLine(d.message)} [${d.code}]\n`)
    .join('');
}

function oneLine(message: string): string {
  return message.replace(/\r?\n/g, ' ');
}

/**
 * The `not-prototxt` line of a file written in another format (YAML, JSON), for a command that has
 * nothing to work on then; undefined for a prototxt.
 */
export function notPrototxtLine(path: string, text: string, doc: DocumentNode): string | undefined {
  const found = doc.errors.length > 0 ? foreignFormat(text, doc) : undefined;
  if (found === undefined) return undefined;
  return formatText({ path, diagnostics: toCliDiagnostics(text, [foreignFormatDiagnostic(found)]) });
}

/** Writes the `not-prototxt` line of a YAML or JSON file to `stderr`: true when it did (exit 1 then). */
export function toldNotPrototxt(
  stderr: (text: string) => void,
  path: string,
  text: string,
  doc: DocumentNode,
): boolean {
  const line = notPrototxtLine(path, text, doc);
  if (line !== undefined) stderr(line);
  return line !== undefined;
}
