// A filler `type` Caffe does not know. A layer with learned blobs makes them as the net is built, and
// fills each with the filler its parameters name (GetFiller): a name it lacks stops Caffe there
// ("Unknown filler name: Xavier"), even when weights are loaded afterwards. The names are
// case-sensitive: a known name in other letters is an error with the name as its fix; any other
// name is a warning, since a fork of Caffe may make fillers of its own, unless the sources of the
// schema's Caffe checkout say which fillers it makes (an error then). Only the fillers a layer
// reads are judged: a bias filler without a bias term, or the filler of a Scale or Bias whose blob
// comes as a second bottom, is never made.

import type { Schema } from '../../schema/schema';
import type { NetLayer } from '../model/net';
import { LayerParams, type ParamBlock } from '../shapes/params';
import type { Check } from './context';

/** The fillers BVLC Caffe's GetFiller makes. */
export const FILLERS = ['constant', 'gaussian', 'positive_unitball', 'uniform', 'xavier', 'msra', 'bilinear'];

/** Per layer type: its block, the filler fields it reads, and which of them only with a bias term. */
const READS: ReadonlyMap<string, { block: string; fillers: readonly string[]; bias?: string }> = new Map([
  [
    'Convolution',
    { block: 'convolution_param', fillers: ['weight_filler', 'bias_filler'], bias: 'bias_filler' },
  ],
  [
    'Deconvolution',
    { block: 'convolution_param', fillers: ['weight_filler', 'bias_filler'], bias: 'bias_filler' },
  ],
  [
    'InnerProduct',
    { block: 'inner_product_param', fillers: ['weight_filler', 'bias_filler'], bias: 'bias_filler' },
  ],
  ['Embed', { block: 'embed_param', fillers: ['weight_filler', 'bias_filler'], bias: 'bias_filler' }],
  ['Scale', { block: 'scale_param', fillers: ['filler', 'bias_filler'], bias: 'bias_filler' }],
  ['Bias', { block: 'bias_param', fillers: ['filler'] }],
  ['PReLU', { block: 'prelu_param', fillers: ['filler'] }],
  ['DummyData', { block: 'dummy_data_param', fillers: ['data_filler'] }],
  ['LSTM', { block: 'recurrent_param', fillers: ['weight_filler', 'bias_filler'] }],
  ['RNN', { block: 'recurrent_param', fillers: ['weight_filler', 'bias_filler'] }],
]);

/** The filler blocks of `layer` that Caffe makes a filler from. */
function readFillers(layer: NetLayer, schema: Schema): ParamBlock[] {
  const reads = layer.format === 'v0' ? undefined : READS.get(layer.type);
  if (!reads || !layer.paramBlocks.has(reads.block)) return [];
  // A Scale or Bias given its blob as a second bottom makes none of its own.
  if ((layer.type === 'Scale' || layer.type === 'Bias') && layer.bottoms.length > 1) return [];
  const block = new LayerParams(layer, schema).block(reads.block);
  // A Scale adds a bias only when asked; the others have one unless told not to.
  const withBias = block.bool('bias_term', layer.type !== 'Scale');
  return reads.fillers.filter((f) => f !== reads.bias || withBias).flatMap((f) => block.messages(f));
}

export const checkFillerTypes: Check = (ctx) => {
  // The sources of the schema's Caffe checkout say which fillers it makes.
  const checkout = ctx.checkoutSolvers;
  const read = checkout?.fillers;
  const known = read ? [...read] : FILLERS;
  const who = read && checkout ? `The Caffe checkout at ${checkout.label}` : 'Caffe';
  for (const net of ctx.nets) {
    for (const layer of net.layers) {
      for (const filler of readFillers(layer, ctx.schema)) {
        const type = filler.string('type');
        const at = filler.span('type');
        if (type === undefined || at === undefined || known.includes(type)) continue;
        const sameButCase = known.find((k) => k.toLowerCase() === type.toLowerCase());
        const names = known.map((k) => `"${k}"`).join(', ');
        // Without the checkout's word, a fork may make fillers BVLC's Caffe lacks.
        const fork = sameButCase === undefined && read === undefined;
        ctx.report({
          severity: fork ? 'warning' : 'error',
          code: 'filler-type',
          message:
            `${who} has no filler "${type}"${sameButCase ? ' (the names are case-sensitive)' : ''}: it ` +
            `knows ${names}, and stops as it makes ${layer.name || 'the layer'}'s blobs ("Unknown filler ` +
            `name: ${type}").${fork ? ' A fork of Caffe may add it.' : ''}`,
          start: at.start,
          end: at.end,
          ...(sameButCase ? { suggestions: [`"${sameButCase}"`] } : {}),
        });
      }
    }
  }
};
