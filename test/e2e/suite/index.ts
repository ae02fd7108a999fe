// Entry point VS Code loads as extensionTestsPath: runs every *.test.js next to this file with mocha,
// then checks that no test wrote to the fixture workspace (tests edit documents but never save).
import Mocha from 'mocha';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file), readFileSync(file, 'utf8'));
  }
  return files;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the e2e run has no workspace folder open');
  const before = snapshot(folder);

  // CAFFE_E2E_GREP runs only the tests whose suite and title match (e.g. "debug layer").
  const grep = process.env.CAFFE_E2E_GREP || undefined;
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000, grep });
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));

  const changed = changedFiles(before, snapshot(folder));
  if (changed.length > 0) throw new Error(`the suite changed fixture files on disk: ${changed.join(', ')}`);
  if (failures > 0) throw new Error(`${failures} e2e test(s) failed`);
}
