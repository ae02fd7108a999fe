// `caffe-prototxt run-layer --debug`: what another editor's DAP client (nvim-dap...) meets on the
// command line — the listening line on stderr, a wait for the client, breakpoints in the layer, and
// the usual report and exit code once the client lets the run finish.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../../../../server/src/cli/commands';
import { parseRunLayerArgs } from '../../../../server/src/cli/commands/run-layer';
import {
  attachAndPlay,
  type DebugClientOptions,
  type DebugClientOutcome,
} from '../../../helpers/debug-session';
import { fixtures, lineOf, repoRoot, SYSTEM_PYTHON } from '../../common/run/helpers';
import { skipReason } from '../../../helpers/resources';

const skip = skipReason('python', 'debugpy');
const NET = path.join('test', 'fixtures', 'layers', 'layers.prototxt');

/** Runs the CLI with --debug on any free port; a client attaches when the listening line comes. */
async function debugCli(
  client: DebugClientOptions,
  ...args: string[]
): Promise<{ code: number; out: string; err: string; session?: DebugClientOutcome }> {
  let out = '';
  let err = '';
  let session: Promise<DebugClientOutcome> | undefined;
  const code = await runCli(
    [
      'run-layer',
      NET,
      '--python',
      SYSTEM_PYTHON,
      '--pycaffe',
      'never',
      '--debug',
      '--debug-port',
      '0',
      ...args,
    ],
    {
      stdout: (t) => void (out += t),
      stderr: (t) => {
        err += t;
        const m = /^debugger listening on (127\.0\.0\.1):(\d+)$/m.exec(err);
        if (m && !session) session = attachAndPlay(m[1], Number(m[2]), client);
      },
      cwd: repoRoot,
    },
  );
  return { code, out, err, session: await session };
}

test('--debug and --debug-port: default 5678, loopback only, no port without --debug', () => {
  const parsed = parseRunLayerArgs(['net.prototxt', '--layer', 'x', '--debug']);
  assert.equal(typeof parsed === 'object' && parsed.debugPort, 5678);
  const chosen = parseRunLayerArgs(['net.prototxt', '--layer', 'x', '--debug-port=6000', '--debug']);
  assert.equal(typeof chosen === 'object' && chosen.debugPort, 6000);
  const plain = parseRunLayerArgs(['net.prototxt', '--layer', 'x']);
  assert.equal(typeof plain === 'object' && plain.debugPort, undefined);
  assert.equal(
    parseRunLayerArgs(['net.prototxt', '--layer', 'x', '--debug-port', '6000']),
    '--debug-port goes with --debug',
  );
  assert.match(
    String(parseRunLayerArgs(['n', '--layer', 'x', '--debug', '--debug-port', 'x'])),
    /port number/,
  );
  assert.match(String(parseRunLayerArgs(['n', '--layer', 'x', '--debug', '--debug-port', '70000'])), /port/);
});

test(
  'run-layer --debug waits for a client, stops at its breakpoint, then prints the report',
  { skip, timeout: 120_000 },
  async () => {
    const file = path.join(fixtures, 'scale_layer.py');
    const line = lineOf(file, 'top[0].data[...] = bottom[0].data * self._scale(bottom)');
    const r = await debugCli({ breakpoints: [{ path: file, lines: [line] }] }, '--layer', 'scale');
    assert.match(r.err, /^debugger listening on 127\.0\.0\.1:\d+$/m);
    assert.deepEqual(r.session?.problems, []);
    assert.deepEqual(
      r.session?.stops.map((s) => [s.reason, s.frames[0]?.path, s.frames[0]?.line]),
      [['breakpoint', file, line]],
    );
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^layer "scale" \(scale_layer\.ChannelScale\), phase TRAIN$/m);
    assert.match(r.out, /^timings: setup /m);
  },
);

test(
  'run-layer --debug --json: a layer that raises stops there and exits 1 with the JSON report',
  { skip, timeout: 120_000 },
  async () => {
    const file = path.join(fixtures, 'setup_raises.py');
    const r = await debugCli({ exceptionFilters: ['userUnhandled'] }, '--layer', 'fails', '--json');
    assert.deepEqual(
      r.session?.stops.map((s) => [s.reason, s.frames[0]?.path, s.frames[0]?.line]),
      [['exception', file, lineOf(file, 'SETUP_RAISES_LINE')]],
    );
    assert.equal(r.code, 1, r.out + r.err);
    const report = JSON.parse(r.out) as { passed: boolean; result: { error?: { type: string } } };
    assert.equal(report.passed, false);
    assert.equal(report.result.error?.type, 'ValueError');
  },
);
