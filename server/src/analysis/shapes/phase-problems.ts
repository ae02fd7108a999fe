// The problems of one phase's net found once every layer's rule has run: those that depend on two
// layers or on the whole net (shared parameters, gradients training passes back and the layers it
// reaches), those of training alone (a Dropout ratio its forward pass cannot draw with), and the
// readers with no source to open.

import type { Schema } from '../../schema/schema';
import type { BlobIds } from '../model/blob-ids';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetLayer, NetModel, Phase } from '../model/net';
import { backwardProblems, mayRefuseBackward } from './backward';
import { dropoutProblem } from './dropout';
import { noGradientProblems } from './no-gradient';
import { readerSourceProblem } from './reader-source';
import { sharingProblems } from './shared-params';
import type { LayerShapes } from './types';

export interface PhaseNet {
  /** The layers Caffe keeps in the phase, in order, and the result of each. */
  kept: readonly NetLayer[];
  layers: readonly LayerShapes[];
  phase: Phase;
  net: NetModel;
  schema: Schema | undefined;
  ids: BlobIds;
  /** Whether a layer names a parameter blob (none: no sharing to look at). */
  sharesParams: boolean;
}

/** Adds the phase's problems to `found`, after the layers' own. */
export function phaseProblems(p: PhaseNet, found: AnalysisDiagnostic[]): void {
  const { kept, phase, net, schema, ids } = p;
  if (p.sharesParams) sharingProblems(p.layers, schema, found);
  // Training back-propagates (and any phase with force_backward): an input a layer cannot pass a
  // gradient to stops it.
  if ((phase === 'TRAIN' || net.forceBackward) && mayRefuseBackward(kept))
    backwardProblems(kept, schema, found, ids, net.forceBackward);
  // A layer that learns but leads to no loss gets no gradient.
  if (phase === 'TRAIN') noGradientProblems(kept, schema, found, ids, net.forceBackward === true);
  // The problems of one layer at a time, in one pass over the layers.
  const training = phase === 'TRAIN';
  for (let l = 0; l < kept.length; l++) {
    const layer = kept[l];
    const problem =
      (training ? dropoutProblem(layer, schema) : undefined) ?? readerSourceProblem(layer, schema);
    if (problem !== undefined) found.push(problem);
  }
}
