import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskCache } from '../../../../server/src/util/disk-cache';

const isNumbers = (v: unknown) => Array.isArray(v) && v.every((n) => typeof n === 'number');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'disk-cache-'));
}

function counted(value: number[]) {
  const calls = { n: 0 };
  return { calls, compute: () => (calls.n++, value) };
}

test('a result is computed once for a text and read back by another cache of the same build', () => {
  const dir = tempDir();
  const first = counted([1, 2, 3]);
  assert.deepEqual(
    new DiskCache({ dir, build: 'b1' }).remember('k', '/a.proto', 'text', first.compute, isNumbers),
    [1, 2, 3],
  );
  const again = counted([9]);
  assert.deepEqual(
    new DiskCache({ dir, build: 'b1' }).remember('k', '/a.proto', 'text', again.compute, isNumbers),
    [1, 2, 3],
  );
  assert.equal(first.calls.n + again.calls.n, 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('another text, file, kind or build never reads the kept result', () => {
  const dir = tempDir();
  new DiskCache({ dir, build: 'b1' }).set('k', '/a.proto', 'text', [1]);
  const fresh = (cache: DiskCache, kind: string, file: string, text: string) =>
    cache.get(kind, file, text, isNumbers);
  assert.deepEqual(fresh(new DiskCache({ dir, build: 'b1' }), 'k', '/a.proto', 'text'), [1]);
  assert.equal(fresh(new DiskCache({ dir, build: 'b1' }), 'k', '/a.proto', 'text '), undefined);
  assert.equal(fresh(new DiskCache({ dir, build: 'b1' }), 'k', '/b.proto', 'text'), undefined);
  assert.equal(fresh(new DiskCache({ dir, build: 'b1' }), 'other', '/a.proto', 'text'), undefined);
  assert.equal(fresh(new DiskCache({ dir, build: 'b2' }), 'k', '/a.proto', 'text'), undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a corrupt or wrongly shaped entry is computed again and replaced', () => {
  const dir = tempDir();
  const cache = new DiskCache({ dir, build: 'b' });
  cache.set('k', '/a', 't', [1]);
  const [entry] = fs.readdirSync(path.join(dir, 'k'));
  const file = path.join(dir, 'k', entry);
  for (const broken of ['{"trunc', '{"not":"numbers"}', '']) {
    fs.writeFileSync(file, broken);
    const again = counted([2]);
    assert.deepEqual(
      new DiskCache({ dir, build: 'b' }).remember('k', '/a', 't', again.compute, isNumbers),
      [2],
    );
    assert.equal(again.calls.n, 1);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), [2]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a cache that cannot be written still gives the computed result', () => {
  const dir = tempDir();
  const blocked = path.join(dir, 'a-file');
  fs.writeFileSync(blocked, 'not a folder');
  const cache = new DiskCache({ dir: blocked, build: 'b' });
  assert.deepEqual(
    cache.remember('k', '/a', 't', () => [7], isNumbers),
    [7],
  );
  assert.equal(cache.get('k', '/a', 't', isNumbers), undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a write beyond the limit removes the oldest entries of its kind', () => {
  const dir = tempDir();
  const old = new DiskCache({ dir, build: 'b', maxEntries: 3 });
  for (let i = 0; i < 5; i++) old.set('k', `/f${i}`, 't', [i]);
  // A process prunes a kind at its first write (then every 50): the next process's first write
  // brings it back to the limit.
  const kindDir = path.join(dir, 'k');
  const past = Date.now() / 1000 - 100;
  fs.readdirSync(kindDir).forEach((name, i) => fs.utimesSync(path.join(kindDir, name), past + i, past + i));
  const next = new DiskCache({ dir, build: 'b', maxEntries: 3 });
  next.set('k', '/newest', 't', [99]);
  assert.equal(fs.readdirSync(kindDir).length, 3);
  assert.deepEqual(next.get('k', '/newest', 't', isNumbers), [99]);
  fs.rmSync(dir, { recursive: true, force: true });
});
