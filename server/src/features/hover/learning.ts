// Hovers on what a net's parameters learn: on a layer's name and on its `param { }` fields, the rate
// and weight decay of each parameter blob (base_lr × lr_mult, weight_decay × decay_mult) with the solver
// of the workspace that trains the net (named), and whether the layer is frozen; on the net's own name,
// the solvers that build the file and in which phase.

import path from 'node:path';
import type { NetLayer } from '../../analysis/model/net';
import type { FieldNameQuery, FieldValueQuery } from '../../analysis/query';
import { layerRates, type BlobRate, type SolverRates } from '../../training/param-rates';
import type { AnalyzedDocument, Services } from '../context';
import { Doc } from '../shared/field-docs';
import {
  solverLabel,
  solverRatesIn,
  solverRatesOf,
  solverUsesOf,
  trainingSolver,
  usesBySolver,
} from '../shared/net-solvers';

const PARAM_FIELDS = new Set(['lr_mult', 'decay_mult', 'name']);

export function learningHover(
  input: AnalyzedDocument,
  q: FieldNameQuery | FieldValueQuery,
  services: Services | undefined,
): string | undefined {
  const net = q.net;
  if (!net) return undefined;
  const markdown = input.client.markdown;
  const own = net === input.analysis.net;
  if (own && q.path.length === 0 && q.field.name === 'name') return usedBy(input, services, markdown);
  const layer = q.layer;
  if (!layer || layer.format !== 'v2') return undefined;
  const depth = q.netDepth;
  const onName = q.path.length === depth + 1 && q.kind === 'fieldValue' && q.field.name === 'name';
  const inParam =
    q.pathNames.length === depth + 2 && q.pathNames[depth + 1] === 'param' && PARAM_FIELDS.has(q.field.name);
  if (!onName && !inParam) return undefined;
  // On a param block's field: that blob alone.
  const only = inParam
    ? (layer.body?.fields ?? []).filter((f) => f.name === 'param').indexOf(q.path[depth + 1])
    : undefined;
  if (only !== undefined && only < 0) return undefined;
  const source = own ? workspaceSolver(input, services) : embeddingSolver(input, q.path[0]?.name);
  return layerLearning(input, layer, source, markdown, only);
}

/** Where a hover's rates come from: a solver's base_lr and weight_decay, named, or why there are none. */
type RateSource = { label: string; phase: string; rates: SolverRates } | { none: string };

/** The solver of the workspace that trains the net file (the first that uses it when none trains it). */
function workspaceSolver(input: AnalyzedDocument, services: Services | undefined): RateSource {
  const use = trainingSolver(solverUsesOf(input, services));
  const rates = use ? solverRatesOf(use.solver, services?.documents) : undefined;
  if (!use || !rates) return { none: 'no solver of the workspace builds this file' };
  return { label: solverLabel(use.solver, services?.roots ?? []), phase: use.phase, rates };
}

/** The solver file itself, for a net it holds in `field` (`net_param`, `train_net_param`, `test_net_param`). */
function embeddingSolver(input: AnalyzedDocument, field: string | undefined): RateSource {
  if (field === 'test_net_param') return { none: 'a test net: Caffe does not train it' };
  const label = input.doc.path ? path.basename(input.doc.path) : 'this solver';
  return { label, phase: 'TRAIN', rates: solverRatesIn(input.analysis.ast.fields) };
}

function usedBy(
  input: AnalyzedDocument,
  services: Services | undefined,
  markdown: boolean,
): string | undefined {
  const uses = solverUsesOf(input, services);
  if (uses.length === 0) return undefined;
  const doc = new Doc(markdown);
  doc.raw('**used by**', 'used by');
  for (const [solver, phases] of usesBySolver(uses)) {
    const label = solverLabel(solver, services?.roots ?? []);
    doc.raw(`- ${doc.c(label)}: ${phases.join(', ')}`, `- ${label}: ${phases.join(', ')}`);
  }
  return doc.toString();
}

/** The rates of a layer's blobs (or of blob `only`), with the solver they come from. */
function layerLearning(
  input: AnalyzedDocument,
  layer: NetLayer,
  source: RateSource,
  markdown: boolean,
  only?: number,
): string | undefined {
  const doc = new Doc(markdown);
  const solver = 'rates' in source ? source.rates : undefined;
  const rates = layerRates(layer, solver ?? {}, input.schema.schema);
  const blobs = only === undefined ? rates.blobs : rates.blobs.filter((b) => b.index === only);
  if (blobs.length === 0) {
    if (only !== undefined && rates.countKnown)
      doc.text(
        `This param block has no blob to apply to: ${layer.type} has ${rates.blobs.length}. Caffe stops with "Too many params specified for layer".`,
      );
    return doc.empty ? undefined : doc.toString();
  }
  if ('rates' in source) {
    const values = `base_lr ${source.rates.baseLr ?? 0}, weight_decay ${source.rates.weightDecay ?? 0}`;
    doc.raw(
      `**learning** with ${doc.c(source.label)} (${source.phase}): ${values}`,
      `learning with ${source.label} (${source.phase}): ${values}`,
    );
  } else {
    doc.raw(`**learning**: multipliers only (${source.none})`, `learning: multipliers only (${source.none})`);
  }
  for (const blob of blobs) {
    const line = blobLine(blob, solver !== undefined, layer.type === 'BatchNorm');
    doc.raw(`- ${line}`, `- ${line}`);
  }
  if (layer.type === 'BatchNorm') doc.text("BatchNorm's blobs are statistics: Caffe never trains them.");
  else if (rates.frozen && only === undefined) {
    const line = 'Frozen: every lr_mult is 0, so this layer does not learn.';
    doc.raw(line.replace('lr_mult', doc.c('lr_mult')), line);
  }
  if (!rates.countKnown)
    doc.text(
      `How many blobs a ${layer.type || 'layer'} has is not known here: only the written param blocks are listed.`,
    );
  return doc.toString();
}

function blobLine(blob: BlobRate, withSolver: boolean, statistics: boolean): string {
  const mult = (name: string, value: number) => `${name} ${value}`;
  if (statistics) return `${blob.role}: not learned`;
  if (!withSolver)
    return `${blob.role}: ${mult('lr_mult', blob.lrMult)}, ${mult('decay_mult', blob.decayMult)}`;
  const lr = blob.lrMult === 0 ? 'lr 0 (frozen)' : `lr ${blob.lr} (lr_mult ${blob.lrMult})`;
  return `${blob.role}: ${lr}, decay ${blob.decay} (decay_mult ${blob.decayMult})`;
}
