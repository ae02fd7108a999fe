// Recurrent layers (LSTM, RNN): bottoms x (T×N×...), cont (T×N), an optional static input (N×...) and,
// with expose_hidden, the initial hidden state(s) (1×N×num_output each). Top h is T×N×num_output, plus
// the final state(s) when exposed. Parameters are those of the inner-product layers Caffe unrolls:
//   LSTM (gates i, f, o, g: 4H rows): W_xc 4H×in, b_c 4H, W_xc_static 4H×static, W_hc 4H×H;
//   RNN: W_xh H×in, b_h H, W_xh_static H×static, W_hh H×H, W_ho H×H, b_o H.

import { count, formatShape } from './arith';
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

export const RECURRENT_RULES: Record<string, ShapeRule> = {
  LSTM: { needs: 2, run: (ctx) => recurrent(LSTM, ctx) },
  RNN: { needs: 2, run: (ctx) => recurrent(RNN, ctx) },
};
