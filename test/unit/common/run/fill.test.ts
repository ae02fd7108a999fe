import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeFills, fillOf, fillSetting, fillsFrom, npyShape } from '../../../../common/run/fill';
import { SYSTEM_PYTHON, writeNpy } from './helpers';
import { has } from '../../../helpers/resources';

test('the setting and fills given as command arguments', () => {
  assert.equal(fillSetting('zeros'), 'zeros');
  assert.equal(fillSetting('random'), 'random');
  assert.equal(fillSetting('ones'), 'random');
  assert.equal(fillSetting(undefined), 'random');
  assert.deepEqual(fillsFrom('zeros'), ['zeros']);
  assert.deepEqual(fillsFrom(['random', { npy: '/a.npy' }]), ['random', { npy: '/a.npy' }]);
  assert.match(fillsFrom('ones') as string, /not "ones"/);
  assert.match(fillsFrom([{ npy: '' }]) as string, /not \{"npy":""\}/);
  assert.match(fillsFrom(7) as string, /not 7/);
});

test('one fill is for every bottom; a list is one per bottom; described in a few words', () => {
  assert.equal(fillOf(['zeros'], 3), 'zeros');
  assert.deepEqual(fillOf(['zeros', { npy: '/x/b.npy' }], 1), { npy: '/x/b.npy' });
  assert.equal(fillOf([], 0), 'random');
  assert.equal(describeFills([], 2), 'random (seeded)');
  assert.equal(describeFills(['zeros'], 2), 'zeros');
  assert.equal(
    describeFills([{ npy: '/d/data.npy' }, { npy: 'C:\\d\\label.npy' }], 2),
    'data.npy, label.npy',
  );
  assert.equal(describeFills(['zeros', 'zeros'], 2), 'zeros');
});

test('the shape in a .npy header (format 1.0 and 2.0, scalars, Python 2 longs)', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'npy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'a.npy');
  writeNpy(file, [2, 3, 4], new Array(24).fill(1));
  assert.deepEqual(npyShape(readFileSync(file)), [2, 3, 4]);
  writeNpy(file, [5], [1, 2, 3, 4, 5]);
  assert.deepEqual(npyShape(readFileSync(file)), [5]);

  const v2 = (header: string): Buffer => {
    const head = Buffer.alloc(12);
    Buffer.from([0x93]).copy(head);
    head.write('NUMPY', 1, 'latin1');
    head[6] = 2;
    head.writeUInt32LE(header.length, 8);
    return Buffer.concat([head, Buffer.from(header, 'latin1')]);
  };
  assert.deepEqual(npyShape(v2("{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n")), []);
  assert.deepEqual(npyShape(v2("{'descr': '<f8', 'fortran_order': False, 'shape': (3L, 2L), }\n")), [3, 2]);
});

test('bad .npy files are reported, not thrown', () => {
  assert.match(npyShape(Buffer.from('PK\u0003\u0004 not numpy')) as string, /not a \.npy file/);
  const head = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0]);
  assert.match(npyShape(Buffer.concat([head, Buffer.from("{'shape': (2,")])) as string, /cut short/);
  const v9 = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0]);
  assert.match(npyShape(v9) as string, /version 9\.0/);
  const noShape = "{'descr': '<f4'}";
  const h = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, noShape.length, 0]);
  assert.match(npyShape(Buffer.concat([h, Buffer.from(noShape)])) as string, /no shape/);
});

test('the shape of a file numpy itself wrote', (t) => {
  if (!has(t, 'python')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'npy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'n.npy');
  const r = spawnSync(SYSTEM_PYTHON, [
    '-c',
    `import numpy; numpy.save(${JSON.stringify(file)}, numpy.zeros((2, 8, 16, 16)))`,
  ]);
  assert.equal(r.status, 0, String(r.stderr));
  assert.deepEqual(npyShape(readFileSync(file)), [2, 8, 16, 16]);
});
