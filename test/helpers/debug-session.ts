// Drives one layer run under the debugger the way an editor does, over DAP to debugpy's adapter:
// initialize, attach, breakpoints and exception filters, configurationDone, then at every stop the
// stack, the top frame's locals and what `bottom[0]` holds, and continue until the run is over.

import { runLayer, type RunLayerOptions } from '../../common/run/run-layer';
import type { RunRequest, RunResult } from '../../common/run/types';
import { DapClient, type DapEvent } from './dap-client';

export interface FrameSeen {
  name: string;
  path?: string;
  line: number;
}

export interface VariableSeen {
  name: string;
  value: string;
}

export interface StopSeen {
  reason: string;
  text?: string;
  frames: FrameSeen[];
  locals: VariableSeen[];
  /** The children of the first element of `bottom`, when the top frame has a `bottom`. */
  firstBottom?: VariableSeen[];
}

export type DebugRunOptions = Omit<RunLayerOptions, 'debug'> & DebugClientOptions;

export interface DebugRunOutcome {
  result: RunResult;
  stops: StopSeen[];
  /** `verified` per breakpoint, in the order given. */
  verified: boolean[];
  /** The adapter's `initialize` answer. */
  capabilities: Record<string, unknown>;
  /** Everything that went wrong on the DAP side (empty when the session went as planned). */
  problems: string[];
}

interface StackFrameBody {
  id: number;
  name: string;
  line: number;
  source?: { path?: string };
}

interface VariableBody {
  name: string;
  value: string;
  variablesReference: number;
}

async function variables(client: DapClient, reference: number): Promise<VariableBody[]> {
  const body = await client.ask('variables', { variablesReference: reference });
  return body.variables as VariableBody[];
}

async function readStop(client: DapClient, stopped: DapEvent): Promise<StopSeen> {
  const threadId = stopped.body?.threadId as number;
  const stack = await client.ask('stackTrace', { threadId });
  const frames = stack.stackFrames as StackFrameBody[];
  const top = frames[0];
  const scopes = (await client.ask('scopes', { frameId: top.id })).scopes as { variablesReference: number }[];
  const locals = await variables(client, scopes[0].variablesReference);
  const stop: StopSeen = {
    reason: String(stopped.body?.reason),
    text: stopped.body?.text as string | undefined,
    frames: frames.map((f) => ({ name: f.name, path: f.source?.path, line: f.line })),
    locals: locals.map(({ name, value }) => ({ name, value })),
  };
  const bottom = locals.find((v) => v.name === 'bottom');
  if (bottom?.variablesReference) {
    const first = (await variables(client, bottom.variablesReference)).find((v) => v.name === '0');
    if (first?.variablesReference) {
      stop.firstBottom = (await variables(client, first.variablesReference)).map(({ name, value }) => ({
        name,
        value,
      }));
    }
  }
  return stop;
}

export interface DebugClientOptions {
  breakpoints?: { path: string; lines: number[] }[];
  /** debugpy's exception filters: `raised`, `uncaught`, `userUnhandled`. */
  exceptionFilters?: string[];
  /** Called at each stop after it was read; the run continues when it resolves. */
  atStop?: (stop: StopSeen, index: number) => void | Promise<void>;
  /** Called when the adapter says the debuggee is gone (an editor ends its session then). */
  atEnd?: () => void;
}

export type DebugClientOutcome = Omit<DebugRunOutcome, 'result'>;

/**
 * Attaches to the adapter at host:port as an editor would and plays the session until the debuggee
 * is gone: records the stops and continues each. Never rejects: problems are in the outcome.
 */
export async function attachAndPlay(
  host: string,
  port: number,
  options: DebugClientOptions,
): Promise<DebugClientOutcome> {
  const outcome: DebugClientOutcome = { stops: [], verified: [], capabilities: {}, problems: [] };
  let client: DapClient | undefined;
  try {
    client = await DapClient.open(host, port);
    outcome.capabilities = await client.ask('initialize', {
      clientID: 'caffe-prototxt-test',
      adapterID: 'debugpy',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true,
    });
    const attached = client.request('attach', { connect: { host, port }, justMyCode: true });
    await client.event('initialized');
    for (const bp of options.breakpoints ?? []) {
      const body = await client.ask('setBreakpoints', {
        source: { path: bp.path },
        breakpoints: bp.lines.map((line) => ({ line })),
      });
      for (const b of body.breakpoints as { verified: boolean }[]) outcome.verified.push(b.verified);
    }
    await client.ask('setExceptionBreakpoints', { filters: options.exceptionFilters ?? [] });
    let from = client.events.length;
    await client.ask('configurationDone');
    const response = await attached;
    if (!response.success) outcome.problems.push(`attach: ${response.message}`);
    for (;;) {
      // The adapter says `terminated` once the harness is gone; the client leaves after that.
      const next = await Promise.race([
        client.event('stopped', undefined, from),
        client.event('terminated', undefined, from),
      ]);
      if (next.event !== 'stopped') {
        options.atEnd?.();
        break;
      }
      const stop = await readStop(client, next);
      outcome.stops.push(stop);
      await options.atStop?.(stop, outcome.stops.length - 1);
      from = client.events.length;
      const answer = await client.request('continue', { threadId: next.body?.threadId });
      if (!answer.success) break; // the run was stopped meanwhile
    }
  } catch (error) {
    outcome.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    client?.close();
  }
  return outcome;
}

/** Runs `request` under debugpy and plays the client until the run ends. Never rejects. */
export async function debugRun(request: RunRequest, options: DebugRunOptions): Promise<DebugRunOutcome> {
  let session: Promise<DebugClientOutcome> | undefined;
  const result = await runLayer(request, {
    ...options,
    debug: {
      port: 0,
      onListening: ({ host, port }) => {
        session = attachAndPlay(host, port, options);
      },
    },
  });
  const played = (await session) ?? { stops: [], verified: [], capabilities: {}, problems: [] };
  return { ...played, result };
}
