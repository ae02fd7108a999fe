// Run results for the report tests: blob statistics and a failed gradient check to vary per test.
import type { BlobStats, GradCheckEntry, GradCheckResult } from '../../../../common/run/types';

/** Statistics of a float32 blob of `shape` (min -1, max 2, mean 0.5, std 0.25, no NaN/Inf). */
export function blobStats(shape: number[], extra: Partial<BlobStats> = {}): BlobStats {
  return {
    shape,
    dtype: 'float32',
    count: shape.reduce((a, b) => a * b, 1),
    min: -1,
    max: 2,
    mean: 0.5,
    std: 0.25,
    nan: 0,
    inf: 0,
    ...extra,
  };
}

/**
 * A gradient check whose bottom[0] (2×4) fails with its largest error 0.5 at [1, 2] (analytic 1,
 * numeric 2) and whose param[0] passes; `bottom` changes the failing entry.
 */
export function failedGradcheck(bottom: Partial<GradCheckEntry>, objective = 'o'): GradCheckResult {
  return {
    passed: false,
    step: 0.01,
    threshold: 0.001,
    seed: 1701,
    objective,
    checks: [
      {
        blob: 'bottom[0]',
        shape: [2, 4],
        total: 8,
        checked: 8,
        sampled: false,
        failures: 3,
        passed: false,
        maxError: 0.5,
        at: [1, 2],
        analytic: 1,
        numeric: 2,
        ...bottom,
      },
      {
        blob: 'param[0]',
        shape: [3],
        total: 3,
        checked: 3,
        sampled: false,
        failures: 0,
        passed: true,
        maxError: 1e-5,
      },
    ],
  };
}
