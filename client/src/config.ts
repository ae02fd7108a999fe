// Typed getters over the `prototxt.*` settings. In an untrusted workspace VS Code itself hides the
// workspace values of the restricted settings (interpreter, extraPaths) declared in package.json.
import * as vscode from 'vscode';

export const SECTION = 'prototxt';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export function section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

export function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}

export const config = {
  schemaPaths: (scope?: vscode.ConfigurationScope): string[] => strings(section(scope).get('schema.paths')),
  schemaAutoDiscover: (scope?: vscode.ConfigurationScope): boolean =>
    section(scope).get<boolean>('schema.autoDiscover', true) !== false,
  solverGlobs: (scope?: vscode.ConfigurationScope): string[] =>
    strings(section(scope).get('files.solverGlobs')),
  pythonInterpreter: (scope?: vscode.ConfigurationScope): string =>
    section(scope).get<string>('python.interpreter', '').trim(),
  pythonExtraPaths: (scope?: vscode.ConfigurationScope): string[] =>
    strings(section(scope).get('python.extraPaths')),
  usePycaffe: (scope?: vscode.ConfigurationScope): 'auto' | 'always' | 'never' => {
    const v = section(scope).get<string>('python.usePycaffe', 'auto');
    return v === 'always' || v === 'never' ? v : 'auto';
  },
  runTimeoutSeconds: (scope?: vscode.ConfigurationScope): number => {
    const v = section(scope).get<number>('run.timeoutSeconds', 60);
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.round(v) : 60;
  },
  traceServer: (): TraceLevel => {
    const v = section().get<string>('trace.server', 'off');
    return v === 'messages' || v === 'verbose' ? v : 'off';
  },
  /** The whole section as plain JSON, as the server's `readSettings` expects it. */
  serverSettings: (scope?: vscode.ConfigurationScope): unknown => JSON.parse(JSON.stringify(section(scope))),
};

/** Settings written on the user's explicit choice only (schema picker). */
export async function writeWorkspaceSchemaChoice(paths: string[], autoDiscover: boolean): Promise<void> {
  const s = section();
  await s.update('schema.paths', paths, vscode.ConfigurationTarget.Workspace);
  await s.update('schema.autoDiscover', autoDiscover, vscode.ConfigurationTarget.Workspace);
}
