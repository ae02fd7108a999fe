// The fuzzer: starts the built server, opens real corpus nets and pathological documents, and
// interleaves random edits with every request kind at random positions. Every answer's ranges are
// checked against the text it was asked about, the server's liveness is pinged, and each crash, error
// response or hang is saved as a reproducer (the open documents and the request) that `replay` runs again.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { startServer, type TestServer } from '../helpers/lsp-client';
import { applyEdit, int, pathologicalDocument, pick, randomEdit, seededRandom } from './mutate';
import {
  linesOf,
  rangeProblems,
  REQUEST_KINDS,
  requestParams,
  type Lines,
  type RequestKind,
} from './requests';

export interface FuzzOptions {
  seed: number;
  /** Stop after this many operations or this long, whichever comes first. */
  operations: number;
  durationMs: number;
  /** Real nets to start from and mutate. */
  corpus: readonly { name: string; text: string }[];
  /** Where reproducers are written. */
  outDir: string;
  /** An answer later than this is a hang (the server is then restarted). */
  hangMs?: number;
  /** Size of the pathological document kept open beside the edited ones. */
  backgroundSize?: number;
  log?: (line: string) => void;
}

export interface Failure {
  kind: 'crash' | 'error' | 'hang' | 'range';
  message: string;
  reproducer: string;
}

export interface FuzzReport {
  seed: number;
  operations: number;
  edits: number;
  requests: number;
  failures: Failure[];
  /** Milliseconds per request, all kinds. */
  latencies: number[];
  /** Milliseconds per request about an edited document while the pathological one is open. */
  besideBackground: number[];
  /** Milliseconds per liveness ping: a hover on a small document never edited, beside the pathological one. */
  pings: number[];
  elapsedMs: number;
}

interface OpenDocument {
  uri: string;
  text: string;
  version: number;
  lines?: Lines;
}

/** The documents open and the request that failed: `replay` opens the same texts and sends it again. */
export interface Reproducer {
  seed: number;
  failure: Omit<Failure, 'reproducer'>;
  documents: { uri: string; text: string }[];
  request?: { method: string; params: unknown };
  /** The last edits before the failure, for the record. */
  recentEdits: { uri: string; start: number; end: number; insert: string }[];
}

/** Answers that are not failures: a request cancelled or outdated, or one the server refuses on purpose (a rename where none applies). */
const EXPECTED_CODES = new Set<number>([
  LSPErrorCodes.RequestCancelled,
  LSPErrorCodes.ContentModified,
  LSPErrorCodes.RequestFailed,
]);
const MAX_EDITED_LENGTH = 2_000_000;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed);
  const hangMs = options.hangMs ?? 60_000;
  const log = options.log ?? (() => undefined);
  const report: FuzzReport = {
    seed: options.seed,
    operations: 0,
    edits: 0,
    requests: 0,
    failures: [],
    latencies: [],
    besideBackground: [],
    pings: [],
    elapsedMs: 0,
  };
  const started = performance.now();
  const recentEdits: Reproducer['recentEdits'] = [];
  let server = await startServer();
  let exited = exitOf(server);
  const docs = new Map<string, OpenDocument>();
  const background = 'file:///fuzz/background.prototxt';
  const edited = ['file:///fuzz/a.prototxt', 'file:///fuzz/b.prototxt'];
  const ping = 'file:///fuzz/ping.prototxt';
  const PING_TEXT = 'layer {\n  name: "data"\n  type: "Input"\n  top: "data"\n}\n';

  const open = (uri: string, text: string) => {
    docs.set(uri, { uri, text, version: 1 });
    server.open(uri, text);
  };
  const freshNet = () => pick(random, options.corpus).text;
  const openAll = () => {
    open(background, pathologicalDocument(random, options.backgroundSize ?? 1_000_000).text);
    for (const uri of edited) open(uri, freshNet());
    open(ping, PING_TEXT);
  };
  const restart = async () => {
    await server.stop().catch(() => undefined);
    server = await startServer();
    exited = exitOf(server);
    docs.clear();
    openAll();
  };
  const save = (failure: Omit<Failure, 'reproducer'>, request?: Reproducer['request']): void => {
    mkdirSync(options.outDir, { recursive: true });
    const file = path.join(options.outDir, `seed${options.seed}-op${report.operations}-${failure.kind}.json`);
    const reproducer: Reproducer = {
      seed: options.seed,
      failure,
      documents: [...docs.values()].map((d) => ({ uri: d.uri, text: d.text })),
      request,
      recentEdits: recentEdits.slice(-20),
    };
    writeFileSync(file, JSON.stringify(reproducer));
    report.failures.push({ ...failure, reproducer: file });
    log(`${failure.kind}: ${failure.message} (${file})`);
  };

  /** Sends one request; records its latency and any failure. Resolves false when the server is gone or stuck. */
  const request = async (
    method: string,
    params: unknown,
    doc: OpenDocument | undefined,
  ): Promise<number | undefined> => {
    report.requests++;
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), hangMs)));
    const answer = server.connection.sendRequest(method, params).then(
      (result: unknown) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const outcome = await Promise.race([answer, hang, exited]);
    clearTimeout(timer);
    const ms = performance.now() - t0;
    if (outcome === 'hang' || outcome === 'exit') {
      const kind = outcome === 'hang' ? 'hang' : 'crash';
      save(
        {
          kind,
          message: `${method}: ${kind === 'hang' ? `no answer in ${hangMs} ms` : `the server exited\n${server.stderr().slice(-4000)}`}`,
        },
        { method, params },
      );
      await restart();
      return undefined;
    }
    report.latencies.push(ms);
    if ('error' in outcome) {
      const e = outcome.error;
      if (!(e instanceof ResponseError) || !EXPECTED_CODES.has(e.code))
        save(
          { kind: 'error', message: `${method}: ${e instanceof Error ? e.message : String(e)}` },
          { method, params },
        );
    } else if (doc) {
      doc.lines ??= linesOf(doc.text);
      const problems = rangeProblems(outcome.result, doc.uri, doc.lines);
      if (problems.length > 0)
        save({ kind: 'range', message: `${method}: ${problems.slice(0, 5).join('; ')}` }, { method, params });
    }
    return ms;
  };

  const edit = (doc: OpenDocument): void => {
    const change = randomEdit(doc.text, random);
    // LSP positions cannot point between the \r and \n of one line break.
    const inBreak = (at: number) => doc.text.charCodeAt(at - 1) === 13 && doc.text.charCodeAt(at) === 10;
    if (inBreak(change.start)) change.start++;
    if (inBreak(change.end) || change.end < change.start) change.end = Math.max(change.start, change.end + 1);
    const lines = (doc.lines ??= linesOf(doc.text));
    const range = { start: positionOf(lines, change.start), end: positionOf(lines, change.end) };
    doc.text = applyEdit(doc.text, change);
    doc.lines = undefined;
    doc.version++;
    recentEdits.push({ uri: doc.uri, ...change });
    if (recentEdits.length > 40) recentEdits.splice(0, 20);
    void server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: doc.uri, version: doc.version },
      contentChanges: [{ range, text: change.insert }],
    });
    report.edits++;
  };

  const replaceText = (doc: OpenDocument, text: string): void => {
    doc.text = text;
    doc.lines = undefined;
    doc.version++;
    void server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: doc.uri, version: doc.version },
      contentChanges: [{ text }],
    });
  };

  openAll();
  while (report.operations < options.operations && performance.now() - started < options.durationMs) {
    report.operations++;
    const doc = docs.get(pick(random, edited)) as OpenDocument;
    const roll = random();
    if (roll < 0.45) {
      // A burst of edits, as typing sends them.
      for (let i = 1 + int(random, 5); i > 0; i--) edit(doc);
      if (doc.text.length > MAX_EDITED_LENGTH) replaceText(doc, freshNet());
    } else if (roll < 0.47) {
      replaceText(doc, freshNet());
    } else if (roll < 0.48) {
      replaceText(
        docs.get(background) as OpenDocument,
        pathologicalDocument(random, options.backgroundSize ?? 1_000_000).text,
      );
    } else if (roll < 0.49) {
      void server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
      docs.delete(doc.uri);
      open(doc.uri, freshNet());
    } else {
      const kind: RequestKind = pick(random, REQUEST_KINDS);
      const target = random() < 0.05 ? (docs.get(background) as OpenDocument) : doc;
      target.lines ??= linesOf(target.text);
      const ms = await request(kind, requestParams(kind, target.uri, target.lines, random), target);
      if (ms !== undefined && target !== docs.get(background)) report.besideBackground.push(ms);
    }
    if (report.operations % 10 === 0) {
      const pingDoc = docs.get(ping) as OpenDocument;
      const ms = await request(
        'textDocument/hover',
        { textDocument: { uri: ping }, position: { line: 2, character: 12 } },
        pingDoc,
      );
      if (ms !== undefined) report.pings.push(ms);
    }
    if (report.operations % 1000 === 0) {
      log(
        `seed ${options.seed}: ${report.operations} operations, ${report.requests} requests, ${report.failures.length} failures`,
      );
    }
  }
  await server.stop();
  report.elapsedMs = performance.now() - started;
  return report;
}

/** Resolves when the server process exits (one listener per server, not one per request). */
function exitOf(server: TestServer): Promise<'exit'> {
  return new Promise((resolve) => server.process.once('exit', () => resolve('exit')));
}

function positionOf(lines: Lines, offset: number): { line: number; character: number } {
  // Lines are split on \r\n, \r and \n; the fuzzer's own texts may hold any of them, so count as LSP does.
  let rest = offset;
  for (let line = 0; line < lines.lengths.length; line++) {
    const length = lines.lengths[line];
    if (rest <= length) return { line, character: rest };
    rest -= length + (lines.breaks[line] ?? 1);
  }
  const last = lines.lengths.length - 1;
  return { line: last, character: lines.lengths[last] };
}

/** A failure saved by `runFuzz`, run again against a fresh server: what it gives now. */
export async function replay(reproducer: Reproducer, hangMs = 60_000): Promise<string> {
  const server: TestServer = await startServer();
  try {
    for (const d of reproducer.documents) server.open(d.uri, d.text);
    if (!reproducer.request) return 'no request recorded';
    const outcome = await Promise.race([
      server.connection.sendRequest(reproducer.request.method, reproducer.request.params).then(
        () => 'answered',
        (e: unknown) => `error response: ${e instanceof Error ? e.message : String(e)}`,
      ),
      new Promise<string>((resolve) =>
        setTimeout(() => resolve(`no answer in ${hangMs} ms`), hangMs).unref(),
      ),
      new Promise<string>((resolve) =>
        server.process.once('exit', () => resolve(`the server exited\n${server.stderr()}`)),
      ),
    ]);
    return outcome;
  } finally {
    await server.stop();
  }
}
