// The checks of one layer's own settings against what Caffe makes of them, in one pass over the
// layers (a large net's layers are read once): an engine only some builds have (cudnn-engine.ts) and
// a filler type Caffe has no filler for (filler-type.ts).

import type { Check } from './context';
import { cudnnEngineProblem } from './cudnn-engine';
import { knownFillers, reportFillerTypes } from './filler-type';

export const checkLayerSettings: Check = (ctx) => {
  const fillers = knownFillers(ctx);
  for (const net of ctx.nets) {
    const layers = net.layers;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      const engine = cudnnEngineProblem(layer);
      if (engine !== undefined) ctx.report(engine);
      reportFillerTypes(layer, ctx.schema, fillers, ctx.report);
    }
  }
};
