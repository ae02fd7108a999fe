// Follows a training log while it grows: reads only the bytes added since the last read (decoding
// UTF-8 across reads), feeds them to an incremental TrainLogReader and hands on what changed. A file that
// shrinks (rewritten, or a new run) is read again from the start. Woken by fs.watch, with a slow poll
// behind it for file systems whose events do not arrive. No VS Code API.
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { TrainLogReader, emptyDelta, type TrainLog, type TrainLogDelta } from './train-log';

export interface FollowerEvents {
  /** The log from its start (the first read, and after the file shrank). */
  reset(log: TrainLog): void;
  /** What the log gained. */
  append(delta: TrainLogDelta): void;
  /** The file cannot be read (gone, no permission); following goes on. */
  problem(message: string): void;
}

const CHUNK = 1 << 20;
const POLL_MS = 2000;

export class LogFollower {
  private reader = new TrainLogReader();
  private decoder = new StringDecoder('utf8');
  private offset = 0;
  /** Reads run one after the other: the last one scheduled. */
  private tail: Promise<void> = Promise.resolve();
  /** A read scheduled and not started yet: more wakes join it. */
  private pending: Promise<void> | undefined;
  private watcher: fs.FSWatcher | undefined;
  private stopped = false;
  private readonly poll = () => this.wake();

  constructor(
    readonly file: string,
    private readonly events: FollowerEvents,
  ) {}

  /** Reads the file as it is, then follows it. */
  async start(): Promise<void> {
    await this.schedule(true);
    this.watch();
    fs.watchFile(this.file, { interval: POLL_MS, persistent: false }, this.poll);
  }

  /** Reads what was added now (the watchers call this; so may anyone who knows the file changed). */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.pending ?? this.schedule(false);
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    fs.unwatchFile(this.file, this.poll);
  }

  private watch(): void {
    try {
      this.watcher = fs.watch(this.file, { persistent: false }, (kind) => {
        // A rename (a new file in its place): watch the path again.
        if (kind === 'rename') {
          this.watcher?.close();
          setTimeout(() => !this.stopped && this.watch(), 100);
        }
        void this.wake();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // The file is gone for now: the poll notices when it comes back.
    }
  }

  private schedule(first: boolean): Promise<void> {
    const read: Promise<void> = this.tail.then(() => {
      if (this.pending === read) this.pending = undefined;
      return this.readAdded(first);
    });
    this.pending = read;
    this.tail = read;
    return read;
  }

  private async readAdded(first: boolean): Promise<void> {
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(this.file, 'r');
      const size = (await handle.stat()).size;
      let reset = first;
      if (size < this.offset) {
        this.reader = new TrainLogReader();
        this.decoder = new StringDecoder('utf8');
        this.offset = 0;
        reset = true;
      }
      const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(1, size - this.offset)));
      while (this.offset < size) {
        const { bytesRead } = await handle.read(
          buffer,
          0,
          Math.min(buffer.length, size - this.offset),
          this.offset,
        );
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.reader.push(this.decoder.write(buffer.subarray(0, bytesRead)));
      }
      const delta = this.reader.takeChanges();
      if (reset) this.events.reset(this.reader.result());
      else if (!emptyDelta(delta)) this.events.append(delta);
    } catch (error) {
      this.events.problem(`Cannot read ${this.file}: ${(error as Error).message}`);
    } finally {
      await handle?.close();
    }
  }
}
