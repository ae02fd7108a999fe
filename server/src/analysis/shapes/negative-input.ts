// A legacy net input (`input:` with `input_dim`s or an `input_shape`) whose shape has a negative dim:
// Caffe's upgrade makes it an Input layer, whose blob cannot take it.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetInput } from '../model/net-inputs';
import { formatShape } from './arith';
import type { Shape } from './types';

/** Whether a legacy input's shape has a negative dim (reported: Caffe cannot make the blob). */
export function negativeInput(input: NetInput, shape: Shape | null, problems: AnalysisDiagnostic[]): boolean {
  if (shape === null || !shape.some((d) => d < 0)) return false;
  const at = input.shapeSpan ?? input.span;
  problems.push({
    severity: 'error',
    code: 'shape-invalid',
    message: `input '${input.name}' would be ${formatShape(shape)}: a dim cannot be negative; Caffe stops ("Check failed: shape[i] >= 0")`,
    start: at.start,
    end: at.end,
  });
  return true;
}
