// The ways `check` prints its reports: text lines, one JSON array, SARIF 2.1.0 (code scanning) and
// GitHub Actions workflow commands (annotations on the pull request).

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatText, type CliDiagnostic, type FileReport } from './format';
import { cliVersion } from './version';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The reports in one format; `cwd` is where relative paths start (SARIF's %SRCROOT%). */
export function formatReports(format: ReportFormat, reports: readonly FileReport[], cwd: string): string {
  switch (format) {
    case 'text':
      return reports.map(formatText).join('');
    case 'json':
      return JSON.stringify(reports, null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(sarifLog(reports, cwd), null, 2) + '\n';
    case 'github':
      return reports.map(githubCommands).join('');
  }
}

const SARIF_LEVEL: Record<CliDiagnostic['severity'], string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

const INFORMATION_URI = 'https://github.com/BVLC/caffe/blob/master/src/caffe/proto/caffe.proto';

/** A SARIF 2.1.0 log: one run, one rule per diagnostic code, paths relative to %SRCROOT% when inside it. */
export function sarifLog(reports: readonly FileReport[], cwd: string): object {
  const codes = [...new Set(reports.flatMap((r) => r.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const results = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level: SARIF_LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(r.path, cwd),
            region: {
              startLine: d.line,
              startColumn: d.column,
              endLine: d.endLine,
              endColumn: Math.max(d.endColumn, d.endLine === d.line ? d.column : 1),
            },
          },
        },
      ],
      ...(d.related
        ? {
            relatedLocations: d.related.map((rel, id) => ({
              id,
              physicalLocation: {
                artifactLocation: artifact(r.path, cwd),
                region: { startLine: rel.line, startColumn: rel.column },
              },
              message: { text: rel.message },
            })),
          }
        : {}),
    })),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'caffe-prototxt',
            version: cliVersion(),
            informationUri: INFORMATION_URI,
            rules: codes.map((id) => ({ id, name: ruleName(id), shortDescription: { text: id } })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + path.sep).toString() } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function artifact(shown: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, shown);
  const rel = path.relative(cwd, absolute);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    return { uri: pathToFileURL(absolute).toString() };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** `unknown-field` -> `UnknownField` (SARIF's rule names are friendly identifiers). */
function ruleName(code: string): string {
  return code.replace(/(^|-)([a-z0-9])/g, (_, _sep: string, c: string) => c.toUpperCase());
}

const GITHUB_COMMAND: Record<CliDiagnostic['severity'], string> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: 'notice',
};

/** One workflow command per diagnostic: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::MESSAGE`. */
export function githubCommands(report: FileReport): string {
  const file = report.path.split(path.sep).join('/');
  return report.diagnostics
    .map((d) => {
      const props = [
        `file=${property(file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${property(d.code)}`,
      ].join(',');
      return `::${GITHUB_COMMAND[d.severity]} ${props}::${data(d.message)}\n`;
    })
    .join('');
}

/** Escapes for a workflow command's message. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes for a workflow command's property value. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
