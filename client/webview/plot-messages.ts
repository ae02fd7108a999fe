// Messages between the plot webview page (a solver's schedule or a training log) and the extension.
// Plain JSON: a number that is not finite arrives as null.

import type { TrainLog, TrainLogDelta } from '../../common/training/train-log';

/** Extension -> page. */
export type ToPlotPage =
  /** A solver's schedule (the whole of it, again after each edit). */
  | {
      type: 'schedule';
      title: string;
      description: string;
      policy?: string;
      points: { iter: number; lr: number | null }[];
      note?: string;
    }
  /** A training log, read from the start. */
  | { type: 'log'; title: string; log: TrainLog; note?: string }
  /** What the log gained since the last message. */
  | { type: 'log-append'; delta: TrainLogDelta }
  /** Something to say above the plot (the file is gone, the server is not running). */
  | { type: 'note'; message: string };

/** Page -> extension. */
export type FromPlotPage =
  | { type: 'ready' }
  /** The page drew: how many panels and points, and the last iteration shown. */
  | { type: 'rendered'; panels: number; points: number; lastIter: number | null }
  | { type: 'log'; message: string };
