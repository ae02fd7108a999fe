// A filler `type` Caffe does not know. A layer with learned blobs makes them as the net is built, and
// fills each with the filler its parameters name (GetFiller): a name it lacks stops Caffe there
// ("Unknown filler name: Xavier"), even when weights are loaded afterwards. The names are
// case-sensitive: a known name in other letters is an error with the name as its fix; any other
// name is a warning, since a fork of Caffe may make fillers of its own, unless the sources of the
// schema's Caffe checkout say which fillers it makes (an error then). Only the fillers a layer
// reads are judged: a bias filler without a bias term, or the filler of a Scale or Bias whose blob
// comes as a second bottom, is never made.

import type { FieldNode } from '../../parser/ast';
import type { Schema } from '../../schema/schema';
import type { NetLayer } from '../model/net';
import { scalarText } from '../model/net-read';
import { LayerParams, type ParamBlock } from '../shapes/params';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { CheckContext } from './context';

/** The fillers BVLC Caffe's GetFiller makes. */
export const FILLERS = ['constant', 'gaussian', 'positive_unitball', 'uniform', 'xavier', 'msra', 'bilinear'];
const BVLC_FILLERS: ReadonlySet<string> = new Set(FILLERS);

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

/** Fillers of forks that public nets use, and the Caffes whose GetFiller makes them. */
const FORK_FILLERS: ReadonlyMap<string, string> = new Map([
  // FlowNet 2.0's Deconvolution weights; PWC-Net's and LiteFlowNet's Caffes and Synopsys Caffe have it too.
  [
    'diagonal',
    "FlowNet 2.0's Caffe (lmb-freiburg/flownet2), the Caffes built on it and Synopsys Caffe make it",
  ],
]);

const NONE: readonly ParamBlock[] = [];

/**
 * The filler blocks of `layer` that Caffe makes a filler from, when one of them names a type `known`
 * lacks (none otherwise: nearly every layer names known fillers, found from the written types alone).
 */
function readFillers(layer: NetLayer, schema: Schema, known: ReadonlySet<string>): readonly ParamBlock[] {
  const reads = layer.format === 'v0' ? undefined : READS.get(layer.type);
  const node = reads && layer.paramBlocks.get(reads.block);
  if (!reads || !node || !node.fields.some((f) => reads.fillers.includes(f.name) && namesUnknown(f, known)))
    return NONE;
  // A Scale or Bias given its blob as a second bottom makes none of its own.
  if ((layer.type === 'Scale' || layer.type === 'Bias') && layer.bottoms.length > 1) return NONE;
  const block = new LayerParams(layer, schema).block(reads.block);
  // A Scale adds a bias only when asked; the others have one unless told not to.
  const withBias = block.bool('bias_term', layer.type !== 'Scale');
  return reads.fillers.filter((f) => f !== reads.bias || withBias).flatMap((f) => block.messages(f));
}

/** Whether the filler written as `field` names a type `known` lacks (no type: "constant"). */
function namesUnknown(field: FieldNode, known: ReadonlySet<string>): boolean {
  const value = field.value;
  if (value?.kind !== 'message') return false;
  for (let i = value.fields.length - 1; i >= 0; i--) {
    const f = value.fields[i];
    if (f.name !== 'type' || f.value === undefined) continue;
    const type = scalarText(f.value);
    return type !== undefined && !known.has(type);
  }
  return false;
}

/** The fillers a Caffe makes, and who says so (the schema's checkout, else BVLC's list). */
export interface KnownFillers {
  names: ReadonlySet<string>;
  /** The checkout whose sources gave the names; undefined for BVLC's list. */
  checkout?: string;
  /**
   * Without a checkout: the fillers the repository's own headers make (a filler.hpp shipped to build
   * Caffe with), asked for only when a type is not among `names`.
   */
  repository?: () => ReadonlySet<string>;
}

/** What the check knows of the fillers under `ctx`'s schema. */
export function knownFillers(ctx: CheckContext): KnownFillers {
  // The sources of the schema's Caffe checkout say which fillers it makes.
  const checkout = ctx.checkoutSolvers;
  const read = checkout?.fillers;
  if (read && checkout) return { names: read, checkout: checkout.label };
  return ctx.repositoryFillers
    ? { names: BVLC_FILLERS, repository: ctx.repositoryFillers }
    : { names: BVLC_FILLERS };
}

/** Reports each filler `layer` makes whose type is not one of `known`. */
export function reportFillerTypes(
  layer: NetLayer,
  schema: Schema,
  known: KnownFillers,
  report: (d: AnalysisDiagnostic) => void,
): void {
  const names = known.names;
  const who = known.checkout !== undefined ? `The Caffe checkout at ${known.checkout}` : 'Caffe';
  for (const filler of readFillers(layer, schema, names)) {
    const type = filler.string('type');
    const at = filler.span('type');
    if (type === undefined || at === undefined || names.has(type) || known.repository?.().has(type)) continue;
    const sameButCase = [...names].find((k) => k.toLowerCase() === type.toLowerCase());
    const listed = [...names].map((k) => `"${k}"`).join(', ');
    // Without the checkout's word, a fork may make fillers BVLC's Caffe lacks.
    const fork = sameButCase === undefined && known.checkout === undefined;
    report({
      severity: fork ? 'warning' : 'error',
      code: 'filler-type',
      message:
        `${who} has no filler "${type}"${sameButCase ? ' (the names are case-sensitive)' : ''}: it ` +
        `knows ${listed}, and stops as it makes ${layer.name || 'the layer'}'s blobs ("Unknown filler ` +
        `name: ${type}").${fork ? forkNote(type) : ''}`,
      start: at.start,
      end: at.end,
      ...(sameButCase ? { suggestions: [`"${sameButCase}"`] } : {}),
    });
  }
}

/** Said of a filler BVLC lacks: the forks known to make it, or that one may. */
function forkNote(type: string): string {
  const makers = FORK_FILLERS.get(type);
  return makers === undefined
    ? ' A fork of Caffe may add it.'
    : ` ${makers}: if the net is written for one of them, check it against its caffe.proto (prototxt.schema.paths or --schema).`;
}
