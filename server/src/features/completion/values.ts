// Value completion: enum values, booleans, layer type names, solver type and learning-rate policy
// strings, and blob names for `bottom` (tops produced earlier in the same phase) and `top`.

import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { type NetLayer, type NetModel, type Phase } from '../../analysis/model/net';
import { layersInPhase } from '../../analysis/model/net-filter';
import { positionIn, type PhaseGraphs } from '../../analysis/model/net-blobs';
import { inLayerBlock, valueContentSpan, type FieldValueQuery } from '../../analysis/query';
import { graphsOf } from '../shared/net-views';
import type { AnalyzedDocument } from '../context';
import { layerTypeDoc, layerTypes } from './layer-types';

/** Solver `type` strings (solver_factory registrations) and `lr_policy` names (sgd_solver.cpp). */
const SOLVER_TYPES: readonly (readonly [string, string])[] = [
  ['SGD', 'Stochastic gradient descent with momentum.'],
  ['Nesterov', "Nesterov's accelerated gradient."],
  ['AdaGrad', 'Per-parameter rates scaled by the history of squared gradients.'],
  ['RMSProp', 'Per-parameter rates scaled by a running average of squared gradients (rms_decay).'],
  ['AdaDelta', 'Rate-free updates from running averages of gradients and updates (momentum, delta).'],
  ['Adam', 'Adaptive moments (momentum as beta1, momentum2 as beta2, delta as epsilon).'],
];
const LR_POLICIES: readonly (readonly [string, string])[] = [
  ['fixed', 'base_lr throughout.'],
  ['step', 'base_lr * gamma ^ floor(iter / stepsize).'],
  ['exp', 'base_lr * gamma ^ iter.'],
  ['inv', 'base_lr * (1 + gamma * iter) ^ (-power).'],
  ['multistep', 'Like step, at the iterations listed in stepvalue.'],
  ['poly', 'base_lr * (1 - iter / max_iter) ^ power.'],
  ['sigmoid', 'base_lr / (1 + exp(-gamma * (iter - stepsize))).'],
];

/** How the chosen value is written: the replaced range and whether strings need quotes. */
interface Slot {
  start: number;
  end: number;
  /** The cursor is inside quotes: insert bare text. */
  inString: boolean;
  /** Text put before the value (a space right after `:`). */
  lead: string;
}

/** The most blob names one completion lists; past it the list says it is incomplete. */
export const MAX_BLOB_ITEMS = 1000;

/** Whether the characters typed appear in `name` in order, ignoring case (as editors filter). */
export function matchesTyped(name: string, typed: string): boolean {
  const n = name.toLowerCase();
  let at = 0;
  for (const c of typed.toLowerCase()) {
    at = n.indexOf(c, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/** `incomplete` is called when the items are only some of the candidates (too many to list). */
export function valueItems(
  input: AnalyzedDocument,
  q: FieldValueQuery,
  incomplete?: () => void,
): CompletionItem[] {
  const def = q.def;
  if (!def) return [];
  const text = input.doc.text;
  const slot = slotOf(text, q);
  if (slot === undefined) return [];
  const range = input.doc.lines.rangeOf(slot.start, slot.end);
  const make = (
    label: string,
    kind: CompletionItemKind,
    asString: boolean,
    extra: Partial<CompletionItem> = {},
  ) => {
    const body = asString && !slot.inString ? JSON.stringify(label) : label;
    const item: CompletionItem = {
      label,
      kind,
      ...extra,
      textEdit: { range, newText: slot.lead + body },
    };
    if (asString && !slot.inString) item.filterText = body;
    return item;
  };
  const docOf = (s: string) => (input.client.markdown ? { kind: MarkupKind.Markdown, value: s } : s);
  const parent = q.blockDef?.fullName;

  if (def.kind === 'enum') {
    const en = q.schema.enumOf(def);
    if (!en || slot.inString) return [];
    return en.values.map((v, i) =>
      make(v.name, CompletionItemKind.EnumMember, false, {
        detail: `${en.name} = ${v.number}${def.default === v.name ? ' (default)' : ''}`,
        sortText: String(i).padStart(4, '0'),
        ...(v.doc ? { documentation: docOf(v.doc) } : {}),
      }),
    );
  }
  if (def.type === 'bool') {
    if (slot.inString) return [];
    return ['true', 'false'].map((b) =>
      make(b, CompletionItemKind.Value, false, { detail: def.default === b ? 'bool (default)' : 'bool' }),
    );
  }
  if (def.type !== 'string') return [];
  if (parent === 'caffe.LayerParameter' && def.name === 'type') {
    return layerTypes(input, q.layer).map(({ info, rank }) =>
      make(info.type, CompletionItemKind.Class, true, {
        detail: info.forks ? `layer type (${info.forks.join(', ')})` : 'layer type',
        documentation: docOf(layerTypeDoc(info, input.client.markdown)),
        sortText: `${rank}${info.type}`,
      }),
    );
  }
  if (parent === 'caffe.SolverParameter' && (def.name === 'type' || def.name === 'lr_policy')) {
    const table = def.name === 'type' ? SOLVER_TYPES : LR_POLICIES;
    return table.map(([name, what], i) =>
      make(name, CompletionItemKind.EnumMember, true, {
        detail: def.name === 'type' ? 'solver type' : 'learning rate policy',
        documentation: docOf(what),
        sortText: String(i).padStart(2, '0'),
      }),
    );
  }
  const net = q.net;
  if (q.layer && net && inLayerBlock(q) && (def.name === 'bottom' || def.name === 'top')) {
    const editing = q.value?.start;
    let blobs: BlobCandidate[];
    if (def.name === 'bottom') {
      // A bottom deep in a net of 100,000 layers could read any of 80,000 blobs: the nearest that
      // match what is typed, and the client asks again as the user types (isIncomplete).
      const typed = text.slice(slot.start, Math.max(slot.start, q.offset));
      const found = nearestBottomCandidates(
        net,
        q.layer,
        typed,
        MAX_BLOB_ITEMS,
        editing,
        graphsOf(input, net),
      );
      blobs = found.blobs;
      if (found.cut) incomplete?.();
    } else blobs = topCandidates(q.layer, editing);
    return blobs.map((b, i) =>
      make(b.name, CompletionItemKind.Variable, true, {
        detail: b.detail,
        sortText: String(i).padStart(5, '0'),
      }),
    );
  }
  return [];
}

/** Where a value goes; undefined when the cursor is after a closed string or a value of another kind. */
function slotOf(text: string, q: FieldValueQuery): Slot | undefined {
  const v = q.value;
  if (v === undefined) {
    const lead = text[q.offset - 1] === ':' ? ' ' : '';
    return { start: q.offset, end: q.offset, inString: false, lead };
  }
  if (v.kind === 'string') {
    const inner = valueContentSpan(text, v);
    if (q.offset < inner.start || q.offset > inner.end) return undefined;
    return { start: inner.start, end: inner.end, inString: true, lead: '' };
  }
  return { start: v.start, end: v.end, inString: false, lead: '' };
}

interface BlobCandidate {
  name: string;
  detail: string;
}

/**
 * Blobs a bottom of `layer` can read: tops of the layers before it and the net inputs, in each phase
 * the layer runs in; the most recent producer first. Bottoms already written are left out. `graphs`
 * (the analysis's layers per phase, kept for the version) saves reading the state rules again.
 */
export function bottomCandidates(
  net: NetModel,
  layer: NetLayer,
  editing?: number,
  graphs?: PhaseGraphs,
): BlobCandidate[] {
  /** Per name: the nearest writer (undefined: a net input) and the phases it is written in. */
  const phases = new Map<string, { distance: number; phases: Phase[]; from: NetLayer | undefined }>();
  const note = (name: string, distance: number, phase: Phase, from: NetLayer | undefined) => {
    const seen = phases.get(name);
    if (!seen) phases.set(name, { distance, phases: [phase], from });
    else {
      if (!seen.phases.includes(phase)) seen.phases.push(phase);
      if (distance < seen.distance) Object.assign(seen, { distance, from });
    }
  };
  const built: readonly Phase[] = net.state.phase ? [net.state.phase] : ['TRAIN', 'TEST'];
  let previous: { kept: readonly NetLayer[]; phase: Phase } | undefined;
  const inAny = built.map((phase) => {
    const kept = graphs?.net === net ? graphs.layers(phase) : layersInPhase(net, phase);
    if (previous?.kept === kept) {
      // The same layers as the phase before (a net without rules): the same names, in this phase too.
      const before = previous.phase;
      for (const info of phases.values()) if (info.phases.includes(before)) info.phases.push(phase);
      return true;
    }
    const at = positionIn(kept, layer);
    if (at < 0) return false;
    previous = { kept, phase };
    collect(layer.index, kept, at, phase, note);
    for (const input of net.inputs) note(input.name, layer.index + 1, phase, undefined);
    return true;
  });
  if (!inAny.some(Boolean)) {
    // A layer no phase keeps (stage rules, say): every earlier layer is a candidate.
    collect(layer.index, net.layers, layer.index, 'TRAIN', note);
    for (const input of net.inputs) note(input.name, layer.index + 1, 'TRAIN', undefined);
  }
  const written = new Set(layer.bottoms.filter((b) => b.span.start !== editing).map((b) => b.name));
  return [...phases.entries()]
    .filter(([name]) => !written.has(name))
    .sort((a, b) => a[1].distance - b[1].distance || a[0].localeCompare(b[0]))
    .map(([name, info]) => ({
      name,
      detail: `${producerText(info.from)} · ${inAny.every(Boolean) && info.phases.length === 1 ? `${info.phases[0]} only` : info.phases.join(', ')}`,
    }));
}

/**
 * What bottomCandidates gives when it has at most `limit` candidates; past that (`cut`), the first
 * `limit` of them whose names match `typed`. When every phase the net is built in keeps the same
 * layers (a net without rules, or built in one phase), the layers before `layer` are read from the
 * nearest back and the reading stops once those `limit` are found: a bottom deep in a huge net does
 * not look at every earlier blob. Otherwise every candidate is made and then cut.
 */
export function nearestBottomCandidates(
  net: NetModel,
  layer: NetLayer,
  typed: string,
  limit: number,
  editing?: number,
  graphs?: PhaseGraphs,
): { blobs: BlobCandidate[]; cut: boolean } {
  const built: readonly Phase[] = net.state.phase ? [net.state.phase] : ['TRAIN', 'TEST'];
  const lists = built.map((phase) =>
    graphs?.net === net ? graphs.layers(phase) : layersInPhase(net, phase),
  );
  const kept = lists[0];
  const at = lists.every((l) => l === kept) ? positionIn(kept, layer) : -1;
  if (at < 0) {
    const all = bottomCandidates(net, layer, editing, graphs);
    if (all.length <= limit) return { blobs: all, cut: false };
    return { blobs: all.filter((b) => matchesTyped(b.name, typed)).slice(0, limit), cut: true };
  }
  const written = new Set(layer.bottoms.filter((b) => b.span.start !== editing).map((b) => b.name));
  /** Names in the order bottomCandidates gives them (by distance, then name), with their writer. */
  const found = new Map<string, NetLayer | undefined>();
  let matching = 0;
  const take = (names: string[], from: NetLayer | undefined) => {
    const fresh = [...new Set(names)].filter((n) => !found.has(n) && !written.has(n));
    for (const name of fresh.sort((a, b) => a.localeCompare(b))) {
      found.set(name, from);
      if (matchesTyped(name, typed)) matching++;
    }
  };
  let stopped = false;
  for (let i = at - 1; i >= 0 && !stopped; i--) {
    take(
      kept[i].tops.map((t) => t.name),
      kept[i],
    );
    stopped = found.size > limit && matching >= limit;
  }
  if (!stopped)
    take(
      net.inputs.map((input) => input.name),
      undefined,
    );
  const phases = built.length === 1 ? `${built[0]} only` : built.join(', ');
  let names = [...found.keys()];
  const cut = names.length > limit;
  if (cut) names = names.filter((n) => matchesTyped(n, typed)).slice(0, limit);
  return {
    blobs: names.map((name) => ({ name, detail: `${producerText(found.get(name))} · ${phases}` })),
    cut,
  };
}

function producerText(from: NetLayer | undefined): string {
  if (!from) return 'net input';
  return `top of ${from.name || '(unnamed)'}${from.type ? ` (${from.type})` : ''}`;
}

/** Notes the tops of the first `count` layers of `layers`, the distance counted in layers from `index`. */
function collect(
  index: number,
  layers: readonly NetLayer[],
  count: number,
  phase: Phase,
  note: (name: string, distance: number, phase: Phase, from: NetLayer) => void,
): void {
  for (let i = 0; i < count; i++) {
    const l = layers[i];
    for (const t of l.tops) note(t.name, index - l.index, phase, l);
  }
}

/** Names a top of `layer` is usually given: the layer's own name, or a bottom for an in-place layer. */
export function topCandidates(layer: NetLayer, editing?: number): BlobCandidate[] {
  const out: BlobCandidate[] = [];
  const written = new Set(layer.tops.filter((t) => t.span.start !== editing).map((t) => t.name));
  if (layer.name && !written.has(layer.name)) out.push({ name: layer.name, detail: "the layer's name" });
  for (const b of layer.bottoms) {
    if (!written.has(b.name) && !out.some((o) => o.name === b.name))
      out.push({ name: b.name, detail: 'in place (a bottom)' });
  }
  return out;
}
