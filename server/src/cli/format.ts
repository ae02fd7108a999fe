// Diagnostics as text lines (`path:line:col: severity: message [code]`) or one JSON array, 1-based.

import type { AnalysisDiagnostic } from '../analysis/diagnostic';
import { foreignFormat, foreignFormatDiagnostic } from '../analysis/foreign-format';
import type { DocumentNode } from '../parser/ast';
import { LineIndex } from '../util/ranges';
import { grouped } from '../../../common/numbers';

export interface CliDiagnostic {
  severity: AnalysisDiagnostic['severity'];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  code: string;
  /** Other places in the same file the diagnostic points to (JSON and SARIF carry them). */
  related?: CliRelated[];
}

export interface CliRelated {
  line: number;
  column: number;
  message: string;
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

/**
 * ': 3 errors and 1 warning in 2 of them' for the reports' diagnostics ('' when there is no error or
 * warning), the lists cut at --max-diagnostics said so (their counting line is not counted).
 */
export function problemCounts(reports: readonly FileReport[]): string {
  const bySeverity = new Map<string, number>();
  let files = 0;
  let cut = 0;
  for (const report of reports) {
    if (report.diagnostics.length > 0) files++;
    for (const d of report.diagnostics) {
      if (d.code === 'too-many-problems') cut++;
      else bySeverity.set(d.severity, (bySeverity.get(d.severity) ?? 0) + 1);
    }
  }
  // A run with notes and hints alone is a clean one: nothing to sum up.
  if (files === 0 || (!bySeverity.has('error') && !bySeverity.has('warning') && cut === 0)) return '';
  const words: [string, string][] = [
    ['error', 'error'],
    ['warning', 'warning'],
    ['information', 'note'],
    ['hint', 'hint'],
  ];
  const counts = words.flatMap(([severity, word]) => {
    const n = bySeverity.get(severity) ?? 0;
    return n > 0 ? [plural(n, word)] : [];
  });
  const listed =
    counts.length === 1 ? counts[0] : `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}`;
  const where =
    reports.length === 1 ? '' : files === reports.length ? ' in all of them' : ` in ${files} of them`;
  const more = cut > 0 ? `, more left out where --max-diagnostics cut the list (${plural(cut, 'file')})` : '';
  return `: ${listed}${cut > 0 ? ' listed' : ''}${where}${more}`;
}

export function plural(n: number, word: string): string {
  return `${grouped(n)} ${word}${n === 1 ? '' : 's'}`;
}
