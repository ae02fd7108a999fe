// Recurrent layers (LSTM, RNN): bottoms x (T×N×...), cont (T×N), an optional static input (N×...) and,
// with expose_hidden, the initial hidden state(s) (1×N×num_output each). Top h is T×N×num_output, plus
// the final state(s) when exposed. Parameters are those of the inner-product layers Caffe unrolls:
//   LSTM (gates i, f, o, g: 4H rows): W_xc 4H×in, b_c 4H, W_xc_static 4H×static, W_hc 4H×H;
//   RNN: W_xh H×in, b_h H, W_xh_static H×static, W_hh H×H, W_ho H×H, b_o H.
// LSTMUnit, one timestep of the LSTM cell: the previous cell state c (1×N×D), the gate inputs
// (1×N×4D) and the continuation flags (1×N) give the new cell and hidden states, both 1×N×D.

import { count, formatShape, knownToDiffer } from './arith';
import type { RuleContext, RuleOutput, Shape, ShapeRule } from './types';

interface Cell {
  /** Rows of each transform: 4 gates for an LSTM, 1 for an RNN. */
  gates: number;
  /** Hidden state blobs carried across timesteps: h and c for an LSTM, h for an RNN. */
  states: number;
  /** The output transform (RNN's W_ho and b_o) for H units: its parameters and MACs per step. */
  outputParams(h: number): number;
  outputMacs(h: number): number;
}

const LSTM: Cell = { gates: 4, states: 2, outputParams: () => 0, outputMacs: () => 0 };
const RNN: Cell = { gates: 1, states: 1, outputParams: (h) => h * h + h, outputMacs: (h) => h * h };

function recurrent(cell: Cell, ctx: RuleContext): RuleOutput {
  const p = ctx.params.block('recurrent_param');
  const h = p.number('num_output', 0);
  const exposed = p.bool('expose_hidden', false) ? cell.states : 0;
  const [x, cont] = ctx.bottoms as Shape[];
  if (h <= 0) {
    ctx.report('recurrent_param.num_output must be positive', 'recurrent_param');
    return { tops: [] };
  }
  if (x.length < 2) {
    ctx.report(`${ctx.layer.type} needs a T×N×... input, got ${formatShape(x)}`);
    return { tops: [] };
  }
  const [t, n] = x;
  if (cont.length !== 2 || cont[0] !== t || cont[1] !== n) {
    ctx.report(
      `the sequence-continuation bottom must be ${t}×${n} (T×N of the input), got ${formatShape(cont)}`,
      ctx.layer.bottoms[1]?.span,
      'shape-mismatch',
    );
    return { tops: [] };
  }
  const hasStatic = ctx.bottoms.length > 2 + exposed;
  const staticShape = hasStatic ? ctx.bottoms[2] : undefined;
  if (staticShape === null) return { tops: [], params: null, macs: null };
  const staticDim = staticShape ? count(staticShape, 1) : 0;
  const input = count(x, 2);
  const rows = cell.gates * h;
  const params = rows * (input + 1 + staticDim + h) + cell.outputParams(h);
  // Per step and stream: the input and recurrent transforms (and RNN's output one); the static
  // input is transformed once per stream.
  const macs = t * n * (rows * (input + h) + cell.outputMacs(h)) + n * rows * staticDim;
  const state: Shape = [1, n, h];
  return { tops: [[t, n, h], ...Array.from({ length: exposed }, () => state)], params, macs };
}

const UNIT_BOTTOMS = ['the previous cell state', 'the gate input', 'the continuation flags'] as const;

/** LSTMUnitLayer::Reshape's checks of its bottoms, in its order; then the tops are c's shape. */
function lstmUnit(ctx: RuleContext): RuleOutput {
  const bottoms = ctx.bottoms as Shape[];
  const c = bottoms[0];
  for (let i = 0; i < 3; i++) {
    const b = bottoms[i];
    const axes = i === 2 ? 2 : 3;
    const problem =
      b.length !== axes
        ? `must have ${axes} axes (${i === 2 ? '1×N' : '1×N×...'})`
        : knownToDiffer(b[0], 1)
          ? 'must be one timestep (its first axis 1)'
          : knownToDiffer(b[1], c[1])
            ? `must have the previous cell state's ${formatShape([c[1]])} streams on axis 1`
            : undefined;
    if (problem !== undefined) {
      ctx.report(
        `LSTMUnit: ${UNIT_BOTTOMS[i]} ${problem}, got ${formatShape(b)}`,
        ctx.layer.bottoms[i]?.span,
        'shape-mismatch',
      );
      return { tops: [] };
    }
  }
  const x = bottoms[1];
  if (knownToDiffer(x[2], 4 * c[2])) {
    ctx.report(
      `LSTMUnit: the gate input must be 4 × the cell state's size (4×${c[2]} = ${4 * c[2]}) on axis 2, got ${formatShape(x)}`,
      ctx.layer.bottoms[1]?.span,
      'shape-mismatch',
    );
    return { tops: [] };
  }
  // Each of the 4 gates is computed and combined per element of the state: no multiply-accumulate.
  return { tops: [c, c], params: 0, macs: 0 };
}

export const RECURRENT_RULES: Record<string, ShapeRule> = {
  LSTM: { needs: 2, run: (ctx) => recurrent(LSTM, ctx) },
  RNN: { needs: 2, run: (ctx) => recurrent(RNN, ctx) },
  LSTMUnit: { needs: 3, run: lstmUnit },
};
