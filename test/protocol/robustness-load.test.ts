// The server never dies under load (issue 3, point 8): a 20 MB document, a binary file, invalid
// UTF-8 on the wire and 10,000 rapid incremental edits all end in diagnostics, and the server
// keeps answering; the edits leave its memory flat.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import type { Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { generateNet } from '../../bench/generate-net';
import { DEFAULT_MAX_DIAGNOSTICS } from '../../server/src/analysis/diagnostic-cap';
import { startServer, type TestServer } from '../helpers/lsp-client';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
});

const pos = (line: number, character: number) => ({ line, character });

async function hoverText(uri: string, line: number, character: number): Promise<string | undefined> {
  const hover = (await server.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: pos(line, character),
  })) as Hover | null;
  return (hover?.contents as MarkupContent | undefined)?.value;
}

/** Bytes that are not a prototxt: a fixed pseudo-random sequence with NULs and high bytes. */
function binaryBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = i % 97 === 0 ? 0 : x & 0xff;
  }
  return out;
}

/** Writes one JSON-RPC message body as raw bytes straight to the server's stdin. */
function writeRaw(body: Buffer): void {
  server.process.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
}

/** A didOpen whose text mixes text with raw byte runs that are not valid UTF-8. */
function didOpenWithBytes(uri: string, parts: (string | Buffer)[]): Buffer {
  const marker = (i: number) => `@@RAW${i}@@`;
  const text = parts.map((p, i) => (typeof p === 'string' ? p : marker(i))).join('');
  const json = JSON.stringify({
    jsonrpc: '2.0',
    method: 'textDocument/didOpen',
    params: { textDocument: { uri, languageId: 'prototxt', version: 1, text } },
  });
  const chunks: Buffer[] = [];
  let rest = json;
  parts.forEach((p, i) => {
    if (typeof p === 'string') return;
    const at = rest.indexOf(marker(i));
    chunks.push(Buffer.from(rest.slice(0, at), 'utf8'), p);
    rest = rest.slice(at + marker(i).length);
  });
  chunks.push(Buffer.from(rest, 'utf8'));
  return Buffer.concat(chunks);
}

test('a 20 MB document opens, gets diagnostics, and a hover on it still works', async () => {
  const uri = 'file:///virtual/huge.prototxt';
  const text = generateNet(20_000_000);
  assert.ok(text.length >= 20_000_000);
  server.open(uri, text);
  const diagnostics = await server.diagnostics(uri, (p) => p.version === 1);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 1),
    [],
    'the generated net is valid',
  );
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('type: "Convolution"'));
  assert.match((await hoverText(uri, line, 11)) ?? '', /convolution_param/);
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('a binary file gets diagnostics, not a crash', async () => {
  const bytes = binaryBytes(64 * 1024);
  const cases: [string, string][] = [
    ['file:///virtual/binary-latin1.prototxt', bytes.toString('latin1')],
    ['file:///virtual/binary-utf8.prototxt', bytes.toString('utf8')], // replacement characters
  ];
  for (const [uri, text] of cases) {
    server.open(uri, text);
    const diagnostics = await server.diagnostics(uri, (p) => p.version === 1);
    const syntax = diagnostics.filter((d) => d.code === 'syntax');
    assert.ok(syntax.length > 0, `${uri}: a binary file is reported`);
    // Capped: the first DEFAULT_MAX_DIAGNOSTICS are listed, then one says how many there were.
    assert.equal(
      diagnostics.length,
      DEFAULT_MAX_DIAGNOSTICS + 1,
      `${uri}: ${diagnostics.length} diagnostics`,
    );
    assert.match(
      String(diagnostics[DEFAULT_MAX_DIAGNOSTICS].message),
      /problems in all; only the first 1,000/,
    );
    for (const d of diagnostics) assert.ok(d.range.start.line >= 0 && String(d.message).length > 0);
    await hoverText(uri, 0, 0); // answered (an error response would reject)
  }
});

test('invalid UTF-8 on the wire gets diagnostics, not a crash', async () => {
  const uri = 'file:///virtual/invalid-utf8.prototxt';
  writeRaw(
    didOpenWithBytes(uri, [
      'name: "n',
      Buffer.from([0xff]),
      '"\nlayer {\n  name: "',
      Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0xa0, 0xa1, 0xff, 0xfe]),
      '"\n  type: "ReLU"\n  bottom: "a"\n  top: "a"\n}\n',
      Buffer.from([0xc0, 0xaf]),
      ' bogus\n',
    ]),
  );
  const diagnostics = await server.diagnostics(uri, (p) => p.version === 1);
  assert.ok(diagnostics.length > 0, 'the stray bytes after the layer are reported');
  assert.match((await hoverText(uri, 3, 11)) ?? '', /ReLU/);
});

test('broken JSON-RPC on the wire is skipped and the server keeps answering', async () => {
  writeRaw(Buffer.from('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{'));
  writeRaw(Buffer.from('[1, 2, 3]'));
  writeRaw(Buffer.from('{"jsonrpc":"2.0","id":"x-1"}'));
  writeRaw(Buffer.from([0x00, 0xff, 0xfe, 0x7b]));
  await assert.rejects(
    server.connection.sendRequest('caffe/noSuchMethod', {}),
    /Unhandled method|not found/i,
  );
  const uri = 'file:///virtual/after-garbage.prototxt';
  server.open(uri, 'layer {\n  name: "r"\n  type: "ReLU"\n}\n');
  assert.match((await hoverText(uri, 2, 11)) ?? '', /ReLU/);
});

/** The resident set size of a Linux process in kB, or undefined elsewhere. */
function rssKb(pid: number): number | undefined {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

test('10,000 rapid incremental edits: the server lives, the last version is reported, memory is flat', async (t) => {
  const uri = 'file:///virtual/rapid.prototxt';
  const net = generateNet(200_000);
  server.open(uri, net + '# ');
  await server.diagnostics(uri, (p) => p.version === 1);
  const edits = 10_000;
  const published: number[] = [];
  const lastReport = server.diagnostics(uri, (p: PublishDiagnosticsParams) => {
    if (p.version !== 1) published.push(p.version ?? 0);
    return p.version === edits + 1;
  });
  const before = rssKb(server.process.pid!);
  const lastLine = net.split('\n').length - 1;
  for (let i = 0; i < edits - 1; i++) {
    // Type into the trailing comment, one character at a time.
    const at = pos(lastLine, 2 + i);
    void server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: at, end: at }, text: 'x' }],
    });
  }
  const end = pos(lastLine, 2 + edits - 1);
  await server.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: edits + 1 },
    contentChanges: [{ range: { start: end, end }, text: '\nbogus_field: 1\n' }],
  });
  const last = await lastReport;
  const unknown = last.find((d) => d.code === 'unknown-field');
  assert.deepEqual(unknown?.range.start, pos(lastLine + 1, 0), JSON.stringify(last));
  // Never stale: versions only go up, and nothing follows the last version's report.
  assert.deepEqual(
    published,
    [...published].sort((a, b) => a - b),
  );
  assert.equal(published.at(-1), edits + 1);
  assert.ok(published.length < edits, `${published.length} reports for ${edits} edits: not debounced`);
  assert.match((await hoverText(uri, 4, 11)) ?? '', /Input/);

  const after = rssKb(server.process.pid!);
  if (before === undefined || after === undefined) {
    t.skip('no /proc/<pid>/status here: memory not measured');
    return;
  }
  const grownMb = (after - before) / 1024;
  t.diagnostic(`RSS ${before} -> ${after} kB; ${published.length} reports for ${edits} edits`);
  assert.ok(grownMb < 150, `the server grew by ${grownMb.toFixed(0)} MB over ${edits} edits`);
});
