// Starting a child in its own process group and killing the whole group: a Python layer may start
// processes of its own (DataLoader-style workers, subprocess), and none may outlive a run.

import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Spawns `command` as the leader of a new process group (POSIX) with piped stdio. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, {
    ...options,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
}

/**
 * Kills every process of the group led by `pid` (POSIX), or the tree under `pid` (Windows).
 * Returns false when nothing was left to kill. Never throws.
 */
export function killTree(pid: number): boolean {
  if (process.platform === 'win32') {
    const r = spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return r.status === 0;
  }
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    // ESRCH: the group is gone. EPERM cannot happen for our own children; try the leader alone.
    try {
      process.kill(pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  }
}

/** Keeps the last `limit` characters of a growing text. */
export class TailBuffer {
  private text = '';
  private dropped = 0;

  constructor(private readonly limit: number) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) {
      this.dropped += this.text.length - this.limit;
      this.text = this.text.slice(this.text.length - this.limit);
    }
  }

  toString(): string {
    const over = this.text.length - this.limit;
    if (over <= 0 && this.dropped === 0) return this.text;
    const kept = over > 0 ? this.text.slice(over) : this.text;
    return `[${this.dropped + Math.max(over, 0)} earlier characters dropped]\n${kept}`;
  }
}
