import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { debounceFor, DiagnosticsScheduler } from '../../../../../server/src/features/diagnostics/scheduler';

function diag(message: string): Diagnostic {
  return { message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
}

function harness() {
  const published: { uri: string; version: number | undefined; messages: string[] }[] = [];
  const versions = new Map<string, number>();
  const errors: string[] = [];
  let computeCalls = 0;
  const releases: (() => void)[] = [];
  const scheduler = new DiagnosticsScheduler(
    async (uri) => {
      computeCalls++;
      const version = versions.get(uri)!;
      await new Promise<void>((resolve) => releases.push(resolve));
      return { version, diagnostics: [diag(`v${version}`)] };
    },
    {
      publish: (uri, version, diagnostics) =>
        published.push({
          uri,
          version,
          messages: diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)),
        }),
      currentVersion: (uri) => versions.get(uri),
      error: (m) => errors.push(m),
    },
    10,
  );
  return { scheduler, published, versions, errors, releases, calls: () => computeCalls };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

test('rapid changes are debounced into one computation', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const h = harness();
    for (let v = 1; v <= 50; v++) {
      h.versions.set('a', v);
      h.scheduler.schedule('a');
      mock.timers.tick(5);
    }
    mock.timers.tick(10);
    assert.equal(h.calls(), 1);
    h.releases.shift()!();
    await flush();
    assert.deepEqual(h.published, [{ uri: 'a', version: 50, messages: ['v50'] }]);
  } finally {
    mock.timers.reset();
  }
});

test('a result for a version that is no longer current is dropped', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const h = harness();
    h.versions.set('a', 1);
    h.scheduler.schedule('a');
    mock.timers.tick(10);
    // The document changes while version 1 is being analysed.
    h.versions.set('a', 2);
    h.scheduler.schedule('a');
    h.releases.shift()!();
    await flush();
    assert.deepEqual(h.published, []);
    mock.timers.tick(10);
    h.releases.shift()!();
    await flush();
    assert.deepEqual(h.published, [{ uri: 'a', version: 2, messages: ['v2'] }]);
  } finally {
    mock.timers.reset();
  }
});

test('closing clears published diagnostics and drops work in flight', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const h = harness();
    h.versions.set('a', 1);
    h.scheduler.schedule('a');
    mock.timers.tick(10);
    h.versions.delete('a');
    h.scheduler.clear('a');
    h.releases.shift()!();
    await flush();
    assert.deepEqual(h.published, [{ uri: 'a', version: undefined, messages: [] }]);
  } finally {
    mock.timers.reset();
  }
});

test('the quiet period after an edit grows with the document, up to a second', () => {
  assert.equal(debounceFor(0), 40);
  assert.equal(debounceFor(20_000), 43);
  assert.equal(debounceFor(1_000_000), 190);
  assert.equal(debounceFor(16_000_000), 1000);
});
