// Layouts in a worker thread: the same picture as on this thread, a newer layout of a document drops
// the older one, and one that runs too long is stopped and placed by depth instead.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { layoutGraph } from '../../../../../server/src/features/graph/layout';
import { LayoutRunner, locateLayoutWorker } from '../../../../../server/src/features/graph/layout-runner';
import { CONV_BLOCK, graphOf, repoRoot } from './graph-fixtures';

const script = locateLayoutWorker(path.join(repoRoot, 'server/src/features/graph'));
const runners: LayoutRunner[] = [];
const runner = (timeoutMs?: number, idleMs?: number) => {
  const r = new LayoutRunner({ script, timeoutMs, idleMs });
  runners.push(r);
  return r;
};
after(() => runners.forEach((r) => r.dispose()));

/** A net whose layout takes ELK a while: a few hundred layers with a fan-in of 80. */
function slowNet(): string {
  let text = 'layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }\n';
  for (let i = 0; i < 80; i++) text += `layer { name: "r${i}" type: "ReLU" bottom: "data" top: "r${i}" }\n`;
  const bottoms = Array.from({ length: 80 }, (_, i) => ` bottom: "r${i}"`).join('');
  return `${text}layer { name: "cat" type: "Concat"${bottoms} top: "out" }\n`;
}

test('the worker is found beside the sources, and lays out as this thread does', async () => {
  assert.ok(script?.endsWith('layout-worker.ts'), String(script));
  const graph = graphOf(CONV_BLOCK);
  assert.deepEqual(await runner().layout('a', graph), await layoutGraph(graph));
});

test('a newer layout for the same key drops the older one, running or queued; other keys are kept', async () => {
  const r = runner();
  const slow = graphOf(slowNet(), 'TRAIN');
  const small = graphOf(CONV_BLOCK);
  const first = r.layout('doc', slow); // starts running
  const other = r.layout('other', small); // queued behind it
  const second = r.layout('doc', slow); // queued
  const third = r.layout('doc', small); // drops the running first and the queued second
  assert.equal(await first, undefined);
  assert.equal(await second, undefined);
  assert.equal((await third)?.nodes.length, small.nodes.length);
  assert.equal((await other)?.nodes.length, small.nodes.length);
});

test('a layout past its time is stopped and the graph placed by depth, with a note', async () => {
  const graph = graphOf(slowNet(), 'TRAIN');
  const laid = await runner(1).layout('doc', graph);
  assert.ok(laid);
  assert.equal(laid.nodes.length, graph.nodes.length);
  assert.match(laid.notes.join(' '), /took longer than 0.001 s and was stopped\. Layers are placed by depth/);
  // The runner starts a fresh thread for what comes next.
  const next = await runner().layout('doc', graphOf(CONV_BLOCK));
  assert.deepEqual(next?.notes, []);
});

test('without a worker script the layout runs on this thread', async () => {
  const graph = graphOf(CONV_BLOCK);
  assert.deepEqual(await new LayoutRunner({ script: '' }).layout('a', graph), await layoutGraph(graph));
});

/** Resolves once `done()` holds, checking every few milliseconds (at most `limitMs`). */
async function until(done: () => boolean, limitMs = 20_000): Promise<boolean> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > limitMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

test('an idle layout thread is stopped, giving its memory back, and a later layout starts another', async () => {
  const r = runner(undefined, 20);
  const graph = graphOf(CONV_BLOCK);
  assert.equal((await r.layout('a', graph))?.nodes.length, graph.nodes.length);
  assert.ok(await until(() => !r.threadAlive), 'the idle thread was stopped');
  assert.deepEqual(await r.layout('a', graph), await layoutGraph(graph));
  // With the default idle time the thread is still there right after a layout.
  const kept = runner();
  await kept.layout('b', graph);
  assert.equal(kept.threadAlive, true);
});
