// A stand-in `caffe` package for tests that ask which layer types a pycaffe registers: a folder to put
// on PYTHONPATH whose caffe.layer_type_list() returns the given list (as a Caffe built with other
// options or a fork would).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface FakePycaffe {
  /** The folder holding the `caffe` package. */
  dir: string;
  dispose(): void;
}

/** `types`: what layer_type_list() answers; `body` replaces the package's code when given. */
export function fakePycaffe(types: readonly string[], body?: string): FakePycaffe {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-pycaffe-'));
  mkdirSync(path.join(dir, 'caffe'));
  const code =
    body ??
    [
      'import sys',
      'print("I0101 00:00:00 fake caffe loading", file=sys.stderr)',
      `_TYPES = ${JSON.stringify([...types])}`,
      'def layer_type_list():',
      '    return list(reversed(_TYPES))',
      '',
    ].join('\n');
  writeFileSync(path.join(dir, 'caffe', '__init__.py'), code);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
