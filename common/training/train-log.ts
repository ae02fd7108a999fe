// Reads the log `caffe train` (or a pycaffe solver) writes through glog: the training loss and the
// train net's outputs at each displayed iteration, each test net's outputs at each test, and the
// learning rate. Besides today's lines it reads the older "Iteration N, loss = L", the first
// releases' "Testing net" + "Test score #k: v" (a score is named `score #k`, the test is that of the
// last iteration logged), and NVIDIA Caffe's (a device tag, epochs, more after the rate). Lines may
// carry glog's prefix (`I1202 09:58:44.164 11238 solver.cpp:239] `, with a four- or eight-digit date)
// or none; anything else in the file is skipped. A log of several runs is split into them (see
// LogRun). Fed in pieces while the file grows: a last line without its newline waits for the rest.
// Pure: no I/O.

export interface TrainEntry {
  iter: number;
  /** The smoothed loss Caffe prints (averaged over `average_loss` iterations). */
  loss: number;
  /** Each train net output as printed (before its loss weight); see `outputRecord` for names. */
  outputs: Record<string, number>;
}

export interface TestEntry {
  iter: number;
  /** Which test net (the `#t` of "Testing net (#t)"). */
  net: number;
  outputs: Record<string, number>;
  /** "Test loss: L", printed with test_compute_loss. */
  loss?: number;
}

/**
 * Where one training run starts in a log's lists (the index of its first entry in each), and the name
 * of the net it solves. A log appended to by several runs (`caffe train ... 2>&1 | tee -a`, a script
 * that trains one net after another) holds several; a run resumed from a snapshot continues its run.
 */
export interface LogRun {
  train: number;
  test: number;
  lr: number;
  /** The net's name, from Caffe's "Solving NAME". */
  name?: string;
}

export interface TrainLog {
  train: TrainEntry[];
  test: TestEntry[];
  lr: { iter: number; lr: number }[];
  /** The runs in the log, in order: the first starts at 0 in every list. */
  runs: LogRun[];
}

const NUMBER = String.raw`([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|-?nan|-?inf(?:inity)?))`;
const GLOG_PREFIX = /^[IWEF]\d{4}(?:\d{4})? \d\d:\d\d:\d\d(?:\.\d+)? +\d+ [^\]]*\] ?/;
/** NVIDIA Caffe's device tag before a solver line: `[0]` for the train net, `(0)` for a test net. */
const DEVICE_TAG =
  /^\s*(?:\[[\w.?]+\]|\([\w.?]+\))\s*(?=Iteration |Train net output|Test net output|Test loss)/;
/** With NVIDIA Caffe's epochs (`, 0.5/90.0ep`) before the loss. */
const TRAIN_LOSS = new RegExp(
  String.raw`^Iteration (\d+)(?: \([^)]*\))?(?:, [-+.\de]+\/[-+.\de]+ep)?, loss = ${NUMBER}\s*$`,
);
const TESTING = /^(?:Iteration (\d+), )?Testing net(?: \(#(\d+)\))?\s*$/;
const OLD_SCORE = new RegExp(String.raw`^\s*Test score #(\d+): ${NUMBER}\s*$`);
const ITERATION = /^Iteration (\d+)\b/;
/** NVIDIA Caffe prints the momentum, weight decay... after the rate (`, m = 0.9, wd = 1e-05`). */
const LR = new RegExp(String.raw`^Iteration (\d+), lr = ${NUMBER}(?:, \w+ = \S+)*\s*$`);
/** NVIDIA Caffe's detection evaluation says "Test net output mAP #i". */
const OUTPUT = new RegExp(
  String.raw`^\s*(Train|Test) net output (?:mAP )?#(\d+): (.+?) = ${NUMBER}(?: \(\* .*\))?\s*$`,
);
const TEST_LOSS = new RegExp(String.raw`^Test loss: ${NUMBER}\s*$`);
/** The solver's own messages (glog lines only): a solver set up, the net it solves, a snapshot resumed. */
const SOLVER_INIT = /^Initializing solver from parameters/;
const SOLVING = /^Solving (.*\S)\s*$/;
const RESTORING = /^Restoring previous solver status from /;

/** The entries of one list from index `from` on: they replace what the list held from there. */
export interface LogSlice<T> {
  from: number;
  entries: T[];
}

/** What changed in a log since the last look (an entry still open may have changed, so it comes again). */
export interface TrainLogDelta {
  train: LogSlice<TrainEntry>;
  test: LogSlice<TestEntry>;
  lr: LogSlice<TrainLog['lr'][number]>;
  /** Every run so far (a handful: sent whole). */
  runs: LogRun[];
}

/** One output line as read: its blob name and value. */
interface Output {
  name: string;
  value: number;
}

interface OpenEntry<T> {
  entry: T;
  outputs: Output[];
}

/** Reads a log incrementally: `push` pieces as they arrive, `result` at any time, `end` at the end. */
export class TrainLogReader {
  private pending = '';
  private readonly train: OpenEntry<Omit<TrainEntry, 'outputs'>>[] = [];
  private readonly test: OpenEntry<Omit<TestEntry, 'outputs'>>[] = [];
  private readonly lr: TrainLog['lr'] = [];
  /** Where output lines go: the last train or test entry, until another kind of line comes. */
  private current: 'train' | 'test' | undefined;
  /** The last iteration any line named (for tests logged without theirs). */
  private lastIter = 0;
  /** The first index of each list changed since `takeChanges` was last called. */
  private dirty = { train: 0, test: 0, lr: 0 };
  private readonly runs: LogRun[] = [{ train: 0, test: 0, lr: 0 }];
  /**
   * A solver was set up after the last run logged entries: the next entry starts a new run, unless the
   * solver resumes a snapshot first (then the run goes on). Holds the new run's net name once logged.
   */
  private nextRun: { name?: string } | undefined;
  /** A snapshot was resumed: the next training iteration may go back, within the same run. */
  private resumed = false;

  push(text: string): void {
    const all = this.pending + text;
    let start = 0;
    for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', start)) {
      this.line(all.slice(start, nl));
      start = nl + 1;
    }
    this.pending = all.slice(start);
  }

  /** Reads the last line even without its newline (the file is complete). */
  end(): void {
    if (this.pending !== '') this.line(this.pending);
    this.pending = '';
  }

  /** Everything read so far; a line still waiting for its newline is not in it. */
  result(): TrainLog {
    return {
      train: this.train.map((o) => ({ ...o.entry, outputs: outputRecord(o.outputs) })),
      test: this.test.map((o) => ({ ...o.entry, outputs: outputRecord(o.outputs) })),
      lr: this.lr.map((p) => ({ ...p })),
      runs: this.runs.map((r) => ({ ...r })),
    };
  }

  /**
   * What changed since the last call (the whole log on the first): new entries, and the last entry
   * again when lines were added to it. Only those entries are copied.
   */
  takeChanges(): TrainLogDelta {
    const delta: TrainLogDelta = {
      train: {
        from: this.dirty.train,
        entries: this.train
          .slice(this.dirty.train)
          .map((o) => ({ ...o.entry, outputs: outputRecord(o.outputs) })),
      },
      test: {
        from: this.dirty.test,
        entries: this.test
          .slice(this.dirty.test)
          .map((o) => ({ ...o.entry, outputs: outputRecord(o.outputs) })),
      },
      lr: { from: this.dirty.lr, entries: this.lr.slice(this.dirty.lr).map((p) => ({ ...p })) },
      runs: this.runs.map((r) => ({ ...r })),
    };
    this.dirty = { train: this.train.length, test: this.test.length, lr: this.lr.length };
    return delta;
  }

  private touch(list: 'train' | 'test' | 'lr', index: number): void {
    this.dirty[list] = Math.min(this.dirty[list], index);
  }

  /** The run entries go to from now on: a new one when a solver was set up, or training restarted. */
  private enterRun(kind: 'train' | 'test' | 'lr', iter: number): void {
    const run = this.runs[this.runs.length - 1];
    const lastTrain =
      this.train.length > run.train ? this.train[this.train.length - 1].entry.iter : undefined;
    // Without the solver's messages (output not through glog), a training iteration that goes back
    // starts a new run.
    const restarted = kind === 'train' && !this.resumed && lastTrain !== undefined && iter < lastTrain;
    if (kind === 'train') this.resumed = false;
    if (!this.nextRun && !restarted) return;
    const name = this.nextRun?.name;
    this.runs.push({
      train: this.train.length,
      test: this.test.length,
      lr: this.lr.length,
      ...(name !== undefined ? { name } : {}),
    });
    this.nextRun = undefined;
  }

  /** Whether the current run has logged any entry. */
  private runHasEntries(): boolean {
    const run = this.runs[this.runs.length - 1];
    return this.train.length > run.train || this.test.length > run.test || this.lr.length > run.lr;
  }

  /** The solver's own glog lines: where runs start, and their names. True when the line was one. */
  private solverLine(text: string): boolean {
    if (SOLVER_INIT.test(text)) {
      if (this.runHasEntries()) this.nextRun = {};
      return true;
    }
    const solving = SOLVING.exec(text);
    if (solving) {
      if (this.nextRun) this.nextRun.name = solving[1];
      else if (!this.runHasEntries()) this.runs[this.runs.length - 1].name = solving[1];
      return true;
    }
    if (RESTORING.test(text)) {
      this.nextRun = undefined;
      this.resumed = true;
      return true;
    }
    return false;
  }

  private line(raw: string): void {
    const glog = GLOG_PREFIX.test(raw);
    const text = raw.replace(GLOG_PREFIX, '').replace(/\r$/, '').replace(DEVICE_TAG, '');
    if (glog && this.solverLine(text)) return;
    const iteration = ITERATION.exec(text);
    if (iteration) this.lastIter = Number(iteration[1]);
    let m = TRAIN_LOSS.exec(text);
    if (m) {
      this.enterRun('train', Number(m[1]));
      this.train.push({ entry: { iter: Number(m[1]), loss: numberOf(m[2]) }, outputs: [] });
      this.touch('train', this.train.length - 1);
      this.current = 'train';
      return;
    }
    m = OUTPUT.exec(text);
    if (m) {
      const kind = m[1] === 'Train' ? 'train' : 'test';
      const open = kind === 'train' ? this.train[this.train.length - 1] : this.test[this.test.length - 1];
      if (open && this.current === kind) {
        open.outputs.push({ name: m[3], value: numberOf(m[4]) });
        this.touch(kind, (kind === 'train' ? this.train : this.test).length - 1);
      }
      return;
    }
    m = TESTING.exec(text);
    if (m) {
      this.enterRun('test', this.lastIter);
      this.test.push({ entry: { iter: this.lastIter, net: Number(m[2] ?? 0) }, outputs: [] });
      this.touch('test', this.test.length - 1);
      this.current = 'test';
      return;
    }
    m = OLD_SCORE.exec(text);
    if (m) {
      const open = this.test[this.test.length - 1];
      if (open && this.current === 'test') {
        open.outputs.push({ name: `score #${m[1]}`, value: numberOf(m[2]) });
        this.touch('test', this.test.length - 1);
      }
      return;
    }
    m = TEST_LOSS.exec(text);
    if (m) {
      const open = this.test[this.test.length - 1];
      if (open && this.current === 'test') {
        open.entry.loss = numberOf(m[1]);
        this.touch('test', this.test.length - 1);
      }
      return;
    }
    m = LR.exec(text);
    if (m) {
      this.enterRun('lr', Number(m[1]));
      this.lr.push({ iter: Number(m[1]), lr: numberOf(m[2]) });
      this.touch('lr', this.lr.length - 1);
      this.current = undefined;
    }
  }
}

/** Whether a delta changes nothing. */
export function emptyDelta(delta: TrainLogDelta): boolean {
  return delta.train.entries.length + delta.test.entries.length + delta.lr.entries.length === 0;
}

/** Applies a delta to a log in place (the page that follows a growing log keeps one). */
export function applyDelta(log: TrainLog, delta: TrainLogDelta): void {
  const put = <T>(list: T[], slice: LogSlice<T>) => {
    list.length = Math.min(list.length, slice.from);
    for (const entry of slice.entries) list.push(entry);
  };
  put(log.train, delta.train);
  put(log.test, delta.test);
  put(log.lr, delta.lr);
  log.runs = delta.runs.map((r) => ({ ...r }));
}

/** The entries of one run of a log (`index` counts from 0), as a log of its own. */
export function runOf(log: TrainLog, index: number): TrainLog {
  const run = log.runs[index];
  if (!run) return { train: [], test: [], lr: [], runs: [] };
  const next = log.runs[index + 1];
  return {
    train: log.train.slice(run.train, next?.train),
    test: log.test.slice(run.test, next?.test),
    lr: log.lr.slice(run.lr, next?.lr),
    runs: [{ train: 0, test: 0, lr: 0, ...(run.name !== undefined ? { name: run.name } : {}) }],
  };
}

/**
 * Whether a text (the start of a file) looks like a log of `caffe train` or of a pycaffe solver: a
 * training, test or rate line, or one of the solver's own messages.
 */
export function looksLikeTrainLog(text: string): boolean {
  for (const raw of text.split('\n')) {
    const line = raw.replace(GLOG_PREFIX, '').replace(/\r$/, '').replace(DEVICE_TAG, '');
    if (TRAIN_LOSS.test(line) || TESTING.test(line) || LR.test(line) || OUTPUT.test(line)) return true;
    if (
      GLOG_PREFIX.test(raw) &&
      /^(?:Solving |Initializing solver from parameters|Creating training net)/.test(line)
    )
      return true;
  }
  return false;
}

/** Parses a whole log. */
export function parseTrainLog(text: string): TrainLog {
  const reader = new TrainLogReader();
  reader.push(text);
  reader.end();
  return reader.result();
}

/**
 * Outputs by name. A blob with more than one value prints one line per value under the same name;
 * those become `name[0]`, `name[1]`, ... in the order printed.
 */
export function outputRecord(outputs: readonly Output[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const o of outputs) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const entries: [string, number][] = [];
  for (const o of outputs) {
    if ((counts.get(o.name) ?? 0) === 1) {
      entries.push([o.name, o.value]);
      continue;
    }
    const k = seen.get(o.name) ?? 0;
    seen.set(o.name, k + 1);
    entries.push([`${o.name}[${k}]`, o.value]);
  }
  // Own properties even for a blob named like an Object.prototype member.
  return Object.fromEntries(entries);
}

/** A number as C++ streams print it, `nan`, `-nan` and `inf` included. */
function numberOf(text: string): number {
  const lower = text.toLowerCase();
  if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text); // NaN for nan and -nan
}
