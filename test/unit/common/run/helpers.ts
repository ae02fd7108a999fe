// Shared by the run-layer tests: the interpreter with numpy, fixture paths, .npy writing, process checks.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../../helpers/paths';
import { skipReason, SYSTEM_PYTHON } from '../../../helpers/resources';

export { repoRoot };

export const fixtures = path.join(repoRoot, 'test', 'fixtures', 'layers');
export { SYSTEM_PYTHON };

/**
 * Why the harness tests cannot run here, or undefined when /usr/bin/python3 imports numpy; never a
 * reason under CI=true (the test then runs and fails). New tests say `needs('python')` instead.
 */
export function pythonSkipReason(): string | undefined {
  return skipReason('python');
}

export function pythonHas(module: string): boolean {
  return spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`]).status === 0;
}

/** 1-based line of the first line of a fixture containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`${marker} not in ${file}`);
  return index + 1;
}

/** Writes a little-endian float32 .npy file (format version 1.0). */
export function writeNpy(file: string, shape: number[], values: number[]): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93]).copy(prefix, 0);
  prefix.write('NUMPY', 1, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => body.writeFloatLE(v, i * 4));
  writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}

function procState(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

export const hasProc = existsSync('/proc/self/stat');

/** True while `pid` is a live (not zombie) process. */
export function isAlive(pid: number): boolean {
  const s = procState(pid);
  return s !== undefined && s.state !== 'Z';
}

/**
 * Whether `pid` is still alive once the kernel had up to `ms` to finish a kill: SIGKILL is delivered
 * asynchronously, so a process killed a moment ago may still be on its way out on a busy machine.
 */
export async function aliveAfter(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return isAlive(pid);
}

/** Live processes of the process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const s = procState(pid);
      return s !== undefined && s.pgrp === pgid && s.state !== 'Z';
    });
}
