// Debug layer / Debug gradient check: exactly the run of Run layer / Check gradients, with the harness
// under debugpy (listening on 127.0.0.1, a free port) and VS Code attached to it. With the Python
// extension, its debugger attaches (debug type `debugpy`) and its bundled debugpy is put on PYTHONPATH;
// without it, this extension's debug type `caffe-layer` connects VS Code to the debugpy adapter that the
// harness started from the chosen interpreter. Stopping the debug session stops the run and its
// processes; the run's end ends the session. No timeout applies (see common/run/debug-run.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_HOST, DEBUG_SETUP_ERRORS, type DebugListenOptions } from '../../common/run/debug-run';
import type { RunLayerArgs } from '../../common/protocol';
import type { RunResult } from '../../common/run/types';
import type { Ctx } from './context';

/** This extension's debug type (package.json `contributes.debuggers`). */
export const LAYER_DEBUG_TYPE = 'caffe-layer';

/** Keys of the debug configurations this extension starts. */
const RUN_KEY = 'caffeLayerRun';
/** debugpy's filter for an exception that leaves the user's code (stops at its raise, once). */
const USER_UNHANDLED = 'userUnhandled';
const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/** Arguments of the debug commands: a run lens's, and whether to stop where an exception is raised. */
export type DebugCommandArgs = Partial<RunLayerArgs> & { fill?: unknown; stopOnRaise?: boolean };

export interface DebugHow {
  /** Stop where a Python exception leaves the user's code (the "Debug" of a failed run). */
  stopOnRaise?: boolean;
}

/** Starts the run with the given debug options and extra PYTHONPATH folders, cancelled by `token`. */
export type DebuggableRun = (
  debug: DebugListenOptions,
  pythonPath: string[],
  token: vscode.CancellationToken,
) => Promise<RunResult>;

interface DebuggerChoice {
  type: string;
  /** Folders to put on PYTHONPATH (the Python extension's debugpy). */
  pythonPath: string[];
  /** Said in the output channel. */
  description: string;
}

let sessionCount = 0;

/**
 * Runs `run` under the debugger and resolves with its result once it ended; undefined (after telling
 * the user why) when the debugger could not be started.
 */
export async function debugLayerRun(
  ctx: Ctx,
  title: string,
  scope: vscode.Uri,
  how: DebugHow,
  run: DebuggableRun,
): Promise<RunResult | undefined> {
  const choice = await chooseDebugger();
  ctx.output.info(`${title}: ${choice.description}.`);
  const id = `${process.pid}-${++sessionCount}`;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const stop = new vscode.CancellationTokenSource();
      const onCancel = token.onCancellationRequested(() => stop.cancel());
      let session: vscode.DebugSession | undefined;
      const ours = (s: vscode.DebugSession): boolean => s.configuration[RUN_KEY] === id;
      const watching = [
        vscode.debug.onDidStartDebugSession((s) => {
          if (ours(s)) session = s;
        }),
        // However the session ends, the run goes too (a result it already wrote is kept).
        vscode.debug.onDidTerminateDebugSession((s) => {
          if (ours(s)) stop.cancel();
        }),
        vscode.debug.registerDebugAdapterTrackerFactory(choice.type, {
          createDebugAdapterTracker: (s) =>
            ours(s)
              ? {
                  onWillReceiveMessage: (message: unknown) => {
                    if (how.stopOnRaise) addUserUnhandled(message);
                    // Stop (disconnect) would let debugpy resume the layer: it is killed first.
                    if (isEndRequest(message)) stop.cancel();
                  },
                }
              : undefined,
        }),
      ];
      const attach = async (host: string, port: number): Promise<void> => {
        progress.report({ message: `debugger on ${host}:${port}` });
        const configuration: vscode.DebugConfiguration = {
          type: choice.type,
          request: 'attach',
          name: title,
          connect: { host, port },
          justMyCode: true,
          [RUN_KEY]: id,
        };
        let started = false;
        try {
          const folder = vscode.workspace.getWorkspaceFolder(scope);
          started = await vscode.debug.startDebugging(folder, configuration, {
            suppressSaveBeforeStart: true,
          });
        } catch (error) {
          ctx.output.error(`The debugger did not start: ${String(error)}`);
        }
        if (!started) {
          void vscode.window.showErrorMessage(
            `${title}: VS Code could not attach the debugger; the run was stopped.`,
          );
          stop.cancel();
        }
      };
      progress.report({ message: 'starting debugpy' });
      try {
        return await run(
          { port: 0, onListening: ({ host, port }) => void attach(host, port) },
          choice.pythonPath,
          stop.token,
        );
      } finally {
        watching.forEach((d) => d.dispose());
        onCancel.dispose();
        if (session) void vscode.debug.stopDebugging(session);
        stop.dispose();
      }
    },
  );
  if (result.error && DEBUG_SETUP_ERRORS.includes(result.error.type)) {
    void vscode.window.showErrorMessage(`Cannot debug the layer: ${result.error.message}`);
    return undefined;
  }
  return result;
}

/** The Python extension's debugger and debugpy when it is installed, else this extension's. */
async function chooseDebugger(): Promise<DebuggerChoice> {
  const pythonPath: string[] = [];
  if (vscode.extensions.getExtension('ms-python.python')) {
    try {
      const { PythonExtension } = await import('@vscode/python-extension');
      const api = await PythonExtension.api();
      const debugpy = await api.debug.getDebuggerPackagePath();
      if (debugpy) pythonPath.push(path.dirname(debugpy));
    } catch {
      // the interpreter's own debugpy, if any, is used then
    }
  }
  if (vscode.extensions.getExtension('ms-python.debugpy')) {
    const bundled = pythonPath.length ? `, its debugpy from ${pythonPath[0]}` : '';
    return {
      type: 'debugpy',
      pythonPath,
      description: `attaching with the Python Debugger extension${bundled}`,
    };
  }
  return {
    type: LAYER_DEBUG_TYPE,
    pythonPath,
    description: "attaching with this extension's debug type (debugpy of the run's interpreter)",
  };
}

/** Whether a failed run's error is the layer's own exception (worth a re-run that stops at it). */
export function raisedInLayer(result: RunResult): boolean {
  const phase = result.error?.phase;
  return (
    result.error?.location !== undefined &&
    ['import', 'construct', 'setup', 'reshape', 'forward', 'backward', 'gradcheck'].includes(phase ?? '')
  );
}

/**
 * The debug type `caffe-layer`: VS Code connects to a debugpy adapter already listening on loopback
 * (a Debug layer run's, or `caffe-prototxt run-layer --debug`'s from a launch.json).
 */
export function registerLayerDebugging(): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugConfigurationProvider(LAYER_DEBUG_TYPE, {
      resolveDebugConfiguration: (_folder, configuration) => {
        if (!configuration.type && !configuration.request) return configuration; // F5 without launch.json
        return { ...configuration, connect: { host: DEBUG_HOST, port: 5678, ...configuration.connect } };
      },
    }),
    vscode.debug.registerDebugAdapterDescriptorFactory(LAYER_DEBUG_TYPE, {
      createDebugAdapterDescriptor: (session) => {
        const { host, port } = (session.configuration.connect ?? {}) as { host?: unknown; port?: unknown };
        const where = typeof host === 'string' ? host : DEBUG_HOST;
        if (typeof port !== 'number')
          throw new Error('A "caffe-layer" session needs "connect": { "port": N }.');
        if (!LOOPBACK.includes(where))
          throw new Error(`"caffe-layer" connects to loopback only, not ${where}.`);
        return new vscode.DebugAdapterServer(port, where);
      },
    }),
  ];
}

interface DapRequest {
  type?: string;
  command?: string;
}

/** VS Code's request that ends a session (Stop / Disconnect, or after the debuggee is gone). */
function isEndRequest(message: unknown): boolean {
  const m = message as DapRequest;
  return m.type === 'request' && (m.command === 'disconnect' || m.command === 'terminate');
}

interface ExceptionBreakpointsRequest {
  type?: string;
  command?: string;
  arguments?: { filters?: string[]; filterOptions?: { filterId: string }[] };
}

/**
 * Adds debugpy's `userUnhandled` filter to the exception breakpoints VS Code sends (whatever the
 * Breakpoints view has ticked): the tracker sees the request before the adapter does.
 */
function addUserUnhandled(message: unknown): void {
  const m = message as ExceptionBreakpointsRequest;
  if (m.type !== 'request' || m.command !== 'setExceptionBreakpoints' || !m.arguments) return;
  const args = m.arguments;
  if (args.filterOptions && !args.filterOptions.some((o) => o.filterId === USER_UNHANDLED))
    args.filterOptions.push({ filterId: USER_UNHANDLED });
  else if (!args.filterOptions) args.filters = [...new Set([...(args.filters ?? []), USER_UNHANDLED])];
}
