// The JSON that client/python/run_layer.py reads and writes. Editor-neutral: shared by the CLI and the
// VS Code client. Keep in step with client/python/caffe_prototxt_harness/request.py and README.md there.

/** How one bottom blob is filled. */
export type BottomFill = 'random' | 'zeros' | { npy: string };

export interface BottomSpec {
  /** Blob name (used in the generated pycaffe net). Default `bottom<i>`. */
  name?: string;
  /** Required unless `fill` is a `.npy` file (whose shape is used then). */
  shape?: number[];
  /** Default `random` (seeded standard normal). */
  fill?: BottomFill;
  /** Seed of the random fill. Default `1701 + index`. */
  seed?: number;
}

export interface RunRequest {
  /** Dotted Python module (`python_param.module`). */
  module: string;
  /** Layer class (`python_param.layer`). */
  layer: string;
  /** Layer name in the generated net. Default `layer`. */
  layerName?: string;
  paramStr?: string;
  phase?: 'TRAIN' | 'TEST';
  bottoms: BottomSpec[];
  /** Top names, or how many tops. Default one top. */
  tops?: string[] | number;
  /** One per bottom. Default all true. */
  propagateDown?: boolean[];
  gradcheck?: boolean;
  /** Finite-difference step. Default 1e-2 (Caffe's). */
  step?: number;
  /** Relative threshold. Default 1e-3 (Caffe's). */
  threshold?: number;
  /** Seed for top diffs, sampling and `np.random` before each forward. Default 1701 (Caffe's checker). */
  seed?: number;
  /** Elements checked per blob at most; bigger blobs are sampled. Default 500. */
  maxChecks?: number;
  /** Default `auto`. */
  pycaffe?: 'auto' | 'always' | 'never';
  /** Folders put first on `sys.path` (in addition to PYTHONPATH). */
  searchPaths?: string[];
  /**
   * Default `backward` (the whole run). `reshape`: construct, setup and reshape only, then report the
   * tops as reshape left them (their shapes are what is wanted); no forward, backward or gradient check.
   */
  stopAfter?: 'backward' | 'reshape';
}

/** Statistics of one array; min/max/mean/std over the finite values (null when there are none). */
export interface BlobStats {
  shape: number[];
  dtype: string;
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nan: number;
  inf: number;
}

export interface GradCheckEntry {
  /** `bottom[i]` or `param[i]`. */
  blob: string;
  shape: number[];
  total: number;
  checked: number;
  /** True when only `checked` of `total` elements were tried. */
  sampled: boolean;
  failures: number;
  passed: boolean;
  /** Largest |analytic - numeric| / max(|analytic|, |numeric|, 1); compared with the threshold. */
  maxError?: number | null;
  /** Index of the largest error. */
  at?: number[];
  analytic?: number | null;
  numeric?: number | null;
}

export interface GradCheckResult {
  passed: boolean;
  step: number;
  threshold: number;
  seed: number;
  objective: string;
  checks: GradCheckEntry[];
  note?: string;
}

export interface TraceFrame {
  file: string;
  line: number;
  function: string;
  column?: number;
}

/** Where a run failed. `harness`, `timeout`, `cancelled` and `spawn` come from the process runner. */
export type RunPhase =
  | 'request'
  | 'import'
  | 'construct'
  | 'setup'
  | 'reshape'
  | 'forward'
  | 'backward'
  | 'gradcheck'
  | 'harness'
  | 'spawn'
  | 'timeout'
  | 'cancelled';

export interface RunError {
  /** Python exception class, or `Timeout` / `Cancelled` / `HarnessCrash` / `BadOutput` / `SpawnError`. */
  type: string;
  message: string;
  phase: RunPhase;
  traceback: TraceFrame[];
  /** The raising line in the layer's file (else the deepest frame outside the harness). */
  location?: TraceFrame;
}

export interface Timings {
  setup?: number;
  reshape?: number;
  forward?: number;
  backward?: number;
  gradcheck?: number;
}

export interface RunResult {
  ok: boolean;
  /** sys.executable of the interpreter that ran (the requested path when it never started). */
  interpreter: string;
  pythonVersion?: string;
  numpyVersion?: string;
  usedPycaffe: boolean;
  /** Why pycaffe was not used under `auto`. */
  pycaffeProblem?: string;
  /** File of the layer's module, once imported. */
  moduleFile?: string;
  /** What the run noticed about the layer, e.g. the param_str name it reads that some Caffe builds do not set. */
  notes?: string[];
  tops: BlobStats[];
  bottoms: BlobStats[];
  /** null for bottoms without propagate_down. */
  bottomDiffs: (BlobStats | null)[];
  params: BlobStats[];
  paramDiffs: BlobStats[];
  /** Milliseconds per method. */
  timings: Timings;
  gradcheck?: GradCheckResult;
  error?: RunError;
  /** What the layer (and Python) wrote to stdout/stderr, truncated to the last 64 KiB. */
  output: string;
  exitCode: number | null;
  signal: string | null;
}
