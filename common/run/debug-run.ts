// A layer run under debugpy: the harness is started with `--debug-listen 127.0.0.1:PORT`, announces
// where debugpy's adapter listens as the first line of its stdout, and waits for a DAP client (VS Code,
// nvim-dap, a test) to attach before it runs the request. Editor-neutral: shared by the CLI and the
// VS Code client. No timeout applies to such a run: a run stopped at a breakpoint waits for the user,
// and it ends when it finishes, is cancelled, or its debug session is stopped.

/** The only interface the debugger listens on. */
export const DEBUG_HOST = '127.0.0.1';

/** The CLI's default port (debugpy's usual one). */
export const DEFAULT_DEBUG_PORT = 5678;

export interface DebugEndpoint {
  host: string;
  port: number;
}

export interface DebugListenOptions {
  /** Port to listen on; 0 lets the system choose a free one (reported to `onListening`). */
  port: number;
  /** Called once debugpy listens: a DAP client can attach (`connect` to this endpoint) now. */
  onListening?: (endpoint: DebugEndpoint) => void;
}

/** The harness arguments that start it under debugpy; none without `debug`. */
export function debugHarnessArgs(debug: DebugListenOptions | undefined): string[] {
  return debug ? ['--debug-listen', `${DEBUG_HOST}:${debug.port}`] : [];
}

/** Error types of a run whose debugger could not start (no result of the layer exists then). */
export const DEBUG_SETUP_ERRORS: readonly string[] = ['DebugpyMissing', 'DebugListenFailed', 'DebugAddress'];

/** The endpoint announced on the harness's first stdout line, once that line is complete. */
export function announcedEndpoint(stdout: string): DebugEndpoint | undefined {
  const end = stdout.indexOf('\n');
  if (end < 0) return undefined;
  try {
    const value = JSON.parse(stdout.slice(0, end)) as { debugger?: Partial<DebugEndpoint> };
    const { host, port } = value.debugger ?? {};
    return typeof host === 'string' && typeof port === 'number' ? { host, port } : undefined;
  } catch {
    return undefined;
  }
}

/** The harness's stdout without the announcement line (what is left is the result). */
export function withoutAnnouncement(stdout: string): string {
  return announcedEndpoint(stdout) ? stdout.slice(stdout.indexOf('\n') + 1) : stdout;
}

/** Calls `debug.onListening` once, when the accumulated stdout holds the announcement. */
export function announcementWatcher(debug: DebugListenOptions | undefined): (stdout: string) => void {
  let told = !debug?.onListening;
  return (stdout) => {
    if (told) return;
    const endpoint = announcedEndpoint(stdout);
    if (endpoint || stdout.includes('\n')) told = true;
    if (endpoint) debug?.onListening?.(endpoint);
  };
}
