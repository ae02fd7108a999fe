// A Dropout whose `dropout_ratio` training cannot run with. Caffe builds the layer whatever the ratio
// (its set-up only checks it in debug builds); in TRAIN, each forward pass keeps a value with
// probability 1 - ratio and scales what it keeps by 1 / (1 - ratio):
// - a ratio above 1 or below 0 is no probability: the CPU's draw stops Caffe at the first forward
//   pass ("Check failed: p >= 0" or "p <= 1");
// - a ratio of 1 keeps nothing and scales by infinity: every value of the top is NaN (0 × inf), and
//   so is every loss computed from it.
// TEST copies the bottom through, so only TRAIN is judged (the phase rule grades it as the net is
// built). The ratio is a float in Caffe: 0.99999999 is read as 1.

import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer } from '../model/net';
import type { Schema } from '../../schema/schema';
import { LayerParams } from './params';
import { nonBvlcParam, UnreadableParam } from './readable-params';

/** The error of a Dropout whose ratio stops or spoils training's forward pass; undefined otherwise. */
export function dropoutProblem(layer: NetLayer, schema: Schema | undefined): AnalysisDiagnostic | undefined {
  if (layer.type !== 'Dropout' || nonBvlcParam(layer) !== undefined) return undefined;
  const params = new LayerParams(layer, schema).block('dropout_param');
  let written: number;
  try {
    written = params.number('dropout_ratio', 0.5);
  } catch (error) {
    // Not a number (a placeholder): validation reports it.
    if (error instanceof UnreadableParam) return undefined;
    throw error;
  }
  const message = ratioProblem(written, layer.tops[0]?.name);
  if (message === undefined) return undefined;
  const at = params.span('dropout_ratio') ?? layer.nameSpan ?? layer.typeSpan ?? layer.node.nameSpan;
  return { severity: 'error', code: 'train-forward', message, start: at.start, end: at.end };
}

function ratioProblem(written: number, top: string | undefined): string | undefined {
  const ratio = Math.fround(written);
  const shown = String(written);
  if (ratio >= 0 && ratio < 1) return undefined;
  if (ratio === 1) {
    const values = top === undefined ? 'every value of its top' : `every value of top '${top}'`;
    return (
      `dropout_ratio ${shown} drops every value and scales what is kept by 1 / (1 - ${shown}) = inf: ` +
      `in training ${values} is NaN (0 × inf), and so is any loss computed from it. Give a ratio below 1 ` +
      `(the default is 0.5).`
    );
  }
  const check = ratio > 1 ? 'p >= 0' : 'p <= 1';
  return (
    `dropout_ratio ${shown} is not a probability (Dropout drops each value with that probability): ` +
    `training's first forward pass stops Caffe as it draws with keep probability 1 - ${shown} ` +
    `("Check failed: ${check}"). Give a ratio in [0, 1) (the default is 0.5).`
  );
}
