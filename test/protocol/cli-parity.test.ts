// One truth for the CLI and the editor: for every fixture workspace, `check --format json` gives each
// file exactly the diagnostics the language server publishes for it (ranges, codes, severities and
// words), Python layers and Python layer files included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { fileUri, repoRoot, startServer } from '../helpers/lsp-client';

interface CliReport {
  path: string;
  diagnostics: {
    severity: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    code: string;
    message: string;
  }[];
}

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];
const pythonWorkspaces = path.join(repoRoot, 'test/fixtures/python-workspaces');
const WORKSPACES = [
  ...readdirSync(pythonWorkspaces).map((name) => path.join(pythonWorkspaces, name)),
  ...['check', 'e2e-workspace', 'layers', 'training'].map((name) =>
    path.join(repoRoot, 'test/fixtures', name),
  ),
  path.join(repoRoot, 'examples'),
];

function cliReports(root: string): CliReport[] {
  const env = { ...process.env };
  delete env.PYTHONPATH;
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [path.join(repoRoot, 'dist/cli.js'), 'check', '--root', root, '--format', 'json', '.'],
      {
        cwd: root,
        env,
        encoding: 'utf8',
      },
    );
  } catch (error) {
    // Exit status 1 (errors found) still prints the reports.
    out = (error as { stdout: string }).stdout;
  }
  return JSON.parse(out) as CliReport[];
}

const fromLsp = (d: Diagnostic) => ({
  severity: SEVERITY[d.severity ?? 1],
  line: d.range.start.line + 1,
  column: d.range.start.character + 1,
  endLine: d.range.end.line + 1,
  endColumn: d.range.end.character + 1,
  code: String(d.code),
  message: String(d.message),
  // The related places, all in the same file here, as the JSON report gives them.
  ...(d.relatedInformation?.length
    ? {
        related: d.relatedInformation.map((r) => ({
          line: r.location.range.start.line + 1,
          column: r.location.range.start.character + 1,
          message: r.message,
        })),
      }
    : {}),
});

for (const root of WORKSPACES) {
  test(`CLI and server agree on ${path.relative(repoRoot, root)}`, async () => {
    const reports = cliReports(root);
    assert.ok(reports.length > 0, 'the CLI checked files');
    const server = await startServer({ rootPath: root });
    try {
      // A layer whose module is nowhere: its warning is published once the Python index is ready.
      const probe = fileUri(path.join(root, 'parity-probe.prototxt'));
      server.open(
        probe,
        'layer { name: "p" type: "Python" top: "t" python_param { module: "no_such_module_here" layer: "L" } }\n',
      );
      await server.diagnostics(probe, (p) => p.diagnostics.some((d) => d.code === 'python-module-not-found'));
      for (const report of reports) {
        const file = path.join(root, report.path);
        const uri = fileUri(file);
        server.open(uri, readFileSync(file, 'utf8'), file.endsWith('.py') ? 'python' : 'prototxt');
        const published = (await server.diagnostics(uri)).map(fromLsp);
        assert.deepEqual(report.diagnostics, published, report.path);
      }
    } finally {
      await server.stop();
    }
  });
}
