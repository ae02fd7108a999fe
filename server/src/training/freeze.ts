// "Freeze layers up to here" as text edits of a net, and what Unfreeze (unfreeze.ts) shares with it.
//
// Freeze gives every learnable parameter blob of every layer before the chosen one `lr_mult: 0` and
// `decay_mult: 0`: written values become 0, missing fields are added, and a layer with fewer `param { }`
// blocks than parameter blobs (param-rates.ts knows how many each type has) gets the missing blocks.
// BatchNorm's blobs are statistics Caffe never trains and are left alone; a type whose blob count is
// unknown (Python, a fork's) has only the blocks written for it frozen. A parameter shared by name
// (`param { name: "w" }`) is one parameter: every block naming it is frozen, also in later layers.
//
// Values Freeze overwrites or finds already there are written down in a comment line above such a
// layer (`# before Freeze: param { lr_mult: 2 } ...`) for Unfreeze (unfreeze.ts) to put back. Pure.

import type { DocumentNode, FieldNode, MessageNode } from '../parser/ast';
import { firstField, numberValue } from '../analysis/model/net-read';
import type { NetLayer, NetModel } from '../analysis/model/net';
import type { Schema } from '../schema/schema';
import { parameterBlobs } from './param-rates';
import { readMarker, markerLine, type MarkerSpec } from './freeze-marker';
import { endsLine, indentAt, insertAfter, lineStart, mergeEdits, startsLine, type Edit } from './text-edits';

export interface FreezeChange {
  edits: Edit[];
  /** The layers whose text changes, in net order. */
  layers: string[];
  /** Of those, the layers from the chosen one on, changed because they share a parameter. */
  sharing: string[];
}

/** A change, a reason it cannot be made, or undefined when there is nothing to do. */
export type FreezeOutcome = FreezeChange | { refused: string } | undefined;

export interface FreezeInput {
  text: string;
  ast: DocumentNode;
  net: NetModel;
  schema?: Schema;
  /** The indentation unit of new nested lines. */
  indent: string;
  eol: string;
}

export const RATE_KEYS = ['lr_mult', 'decay_mult'] as const;

/** Why the net cannot be edited safely, if it cannot. */
export function refusal(input: FreezeInput): { refused: string } | undefined {
  if (input.ast.errors.length > 0) return { refused: 'The file has syntax errors; fix them first.' };
  if (input.net.format !== 'v2') {
    return {
      refused: `This net uses the ${input.net.format.toUpperCase()} format (blobs_lr, weight_decay): upgrade it to the current format first.`,
    };
  }
  return undefined;
}

/** One `param { }` of a layer: the field and its block. */
export interface Spec {
  field: FieldNode;
  block: MessageNode;
  name?: string;
}

export function specsOf(layer: NetLayer): Spec[] {
  const out: Spec[] = [];
  for (const field of layer.body?.fields ?? []) {
    if (field.name !== 'param' || field.value?.kind !== 'message') continue;
    const name = firstField(field.value.fields, 'name');
    const text = name?.value?.kind === 'string' ? name.value.value : undefined;
    out.push({ field, block: field.value, ...(text ? { name: text } : {}) });
  }
  return out;
}

/** How many parameter blobs a layer's freezing covers; 0 for BatchNorm's statistics. */
function learnableCount(layer: NetLayer, schema: Schema | undefined, specs: readonly Spec[]): number {
  if (layer.type === 'BatchNorm') return 0;
  return parameterBlobs(layer, schema)?.length ?? specs.length;
}

/** Whether a layer's ith blob has `lr_mult: 0` written. */
export function frozenSpec(spec: Spec): boolean {
  return numberValue(firstField(spec.block.fields, 'lr_mult')?.value) === 0;
}

export function planFreeze(input: FreezeInput, upTo: number): FreezeOutcome {
  return refusal(input) ?? planEdits(input, upTo, freezeEdits(input, upTo));
}

/**
 * Freeze of one layer whose parameters no other layer shares by name: each of its learnable blobs
 * gets `lr_mult: 0` and `decay_mult: 0`, as Freeze gives the layers before the chosen one.
 */
export function planFreezeLayer(input: FreezeInput, layer: NetLayer): FreezeOutcome {
  const refused = refusal(input);
  if (refused) return refused;
  const specs = specsOf(layer);
  if (specs.some((s) => s.name)) return undefined;
  const count = learnableCount(layer, input.schema, specs);
  const chosen = new Set<number>();
  for (let i = 0; i < Math.min(count, specs.length); i++) chosen.add(i);
  const edits = freezeLayer(input, layer, chosen, count);
  return edits.length === 0
    ? undefined
    : { edits: mergeEdits(edits), layers: [layerLabel(layer)], sharing: [] };
}

/**
 * What planFreeze would say without making its edits: whether it changes anything and which layers
 * from the chosen one on it changes for their shared parameters. Stops looking at the layers before
 * the chosen one at the first that changes, so offering the action does not cost the whole edit.
 */
export function probeFreeze(input: FreezeInput, upTo: number): FreezeProbe {
  return refusal(input) ?? probeEdits(input, upTo, freezeEdits(input, upTo));
}

/** The edits Freeze up to `upTo` makes in one layer (none for a layer it leaves alone). */
function freezeEdits(input: FreezeInput, upTo: number): (layer: NetLayer) => Edit[] {
  const entryOf = freezeEntries(input, upTo);
  return (layer) => {
    const entry = entryOf(layer);
    return entry ? freezeLayer(input, layer, entry.specs, entry.count) : [];
  };
}

/** Every layer's edits merged, with the layers changed and those from `upTo` on; undefined: none. */
export function planEdits(
  input: FreezeInput,
  upTo: number,
  editsOf: (layer: NetLayer) => Edit[],
): FreezeOutcome {
  const edits: Edit[] = [];
  const layers: string[] = [];
  const sharing: string[] = [];
  for (const layer of input.net.layers) {
    const changed = editsOf(layer);
    if (changed.length === 0) continue;
    edits.push(...changed);
    layers.push(layerLabel(layer));
    if (layer.index >= upTo) sharing.push(layerLabel(layer));
  }
  if (edits.length === 0) return undefined;
  return { edits: mergeEdits(edits), layers, sharing };
}

/**
 * planEdits summed up without keeping the edits: whether any layer changes and which from `upTo` on
 * do. Stops looking at the layers before `upTo` at the first that changes, so offering an action
 * does not cost its whole edit.
 */
export function probeEdits(
  input: FreezeInput,
  upTo: number,
  editsOf: (layer: NetLayer) => Edit[],
): FreezeProbe {
  let changes = false;
  const sharing: string[] = [];
  for (const layer of input.net.layers) {
    if (layer.index < upTo && changes) continue;
    if (editsOf(layer).length === 0) continue;
    changes = true;
    if (layer.index >= upTo) sharing.push(layerLabel(layer));
  }
  return changes ? { sharing } : undefined;
}

/** A change summed up (the layers it changes for their shared parameters), a refusal, or nothing to do. */
export type FreezeProbe = { sharing: string[] } | { refused: string } | undefined;

function layerLabel(layer: NetLayer): string {
  return layer.name || `layer #${layer.index + 1}`;
}

/**
 * Per layer, what Freeze up to `upTo` does to it: the spec indices to freeze and how many blocks the
 * layer should end with (undefined: nothing). Layers before `upTo` freeze their learnable blobs; any
 * layer but BatchNorm freezes the blocks that share a name with a block frozen before `upTo`.
 */
function freezeEntries(
  input: FreezeInput,
  upTo: number,
): (layer: NetLayer) => { specs: Set<number>; count: number } | undefined {
  const { net, schema } = input;
  const sharedNames = new Set<string>();
  for (const layer of net.layers.slice(0, upTo)) {
    const specs = specsOf(layer);
    if (!specs.some((s) => s.name)) continue;
    const count = learnableCount(layer, schema, specs);
    for (let i = 0; i < Math.min(count, specs.length); i++) {
      const name = specs[i].name;
      if (name) sharedNames.add(name);
    }
  }
  return (layer) => {
    // From `upTo` on only a shared name brings a layer in.
    if (layer.index >= upTo && sharedNames.size === 0) return undefined;
    const specs = specsOf(layer);
    const count = layer.index < upTo ? learnableCount(layer, schema, specs) : 0;
    const chosen = new Set<number>();
    for (let i = 0; i < Math.min(count, specs.length); i++) chosen.add(i);
    if (sharedNames.size > 0 && layer.type !== 'BatchNorm') {
      specs.forEach((spec, i) => {
        if (spec.name && sharedNames.has(spec.name)) chosen.add(i);
      });
    }
    return count > 0 || chosen.size > 0 ? { specs: chosen, count } : undefined;
  };
}

/** The edits that freeze the chosen specs of a layer and add blocks up to `count`. */
function freezeLayer(
  input: FreezeInput,
  layer: NetLayer,
  chosen: ReadonlySet<number>,
  count: number,
): Edit[] {
  const { text } = input;
  const specs = specsOf(layer);
  const edits: Edit[] = [];
  let written = false;
  for (const i of [...chosen].sort((a, b) => a - b)) {
    const spec = specs[i];
    const missing: string[] = [];
    for (const key of RATE_KEYS) {
      const field = firstField(spec.block.fields, key);
      if (!field) {
        missing.push(`${key}: 0`);
        continue;
      }
      written = true;
      const value = field.value;
      if (value && numberValue(value) !== 0) edits.push({ start: value.start, end: value.end, newText: '0' });
      else if (!value) return [];
    }
    if (missing.length > 0) edits.push(insertIntoBlock(input, spec, missing));
  }
  const blocks: string[][] = [];
  for (let i = specs.length; i < count; i++)
    blocks.push(['param {', ...RATE_KEYS.map((k) => `${k}: 0`), '}']);
  if (blocks.length > 0) edits.push(...insertBlocks(input, layer, specs, blocks));
  if (edits.length === 0) return [];
  if (written && readMarker(text, layer) === undefined && startsLine(text, layer.node.start)) {
    const record: MarkerSpec[] = specs.map((spec) => {
      const out: MarkerSpec = {};
      for (const key of RATE_KEYS) {
        const value = firstField(spec.block.fields, key)?.value;
        if (value) out[key] = text.slice(value.start, value.end);
      }
      return out;
    });
    const at = lineStart(text, layer.node.start);
    edits.push({ start: at, end: at, newText: indentAt(text, at) + markerLine(record) + input.eol });
  }
  return edits;
}

/** Inserts fields at the end of a `param { }` block, matching its layout. */
function insertIntoBlock(input: FreezeInput, spec: Spec, fields: readonly string[]): Edit {
  const { text } = input;
  const last = spec.block.fields[spec.block.fields.length - 1];
  const anchorEnd = last ? last.end : spec.block.start + 1;
  const indent = last ? indentAt(text, last.start) : indentAt(text, spec.field.start) + input.indent;
  return insertAfter(text, anchorEnd, fields, indent, input.eol);
}

/**
 * New `param { }` blocks in a layer: after its last `param`, else before its first `*_param` block,
 * else after its last field. On lines of their own in a layer written over several lines (as one line
 * each when the file writes its param blocks that way), else on the layer's line.
 */
function insertBlocks(
  input: FreezeInput,
  layer: NetLayer,
  specs: readonly Spec[],
  blocks: string[][],
): Edit[] {
  const { text } = input;
  const body = layer.body;
  if (!body) return [];
  const fields = body.fields;
  const paramBlock = fields.findIndex((f) => f.name.endsWith('_param') && f.value?.kind === 'message');
  const anchor: FieldNode | undefined =
    specs[specs.length - 1]?.field ?? (paramBlock > 0 ? fields[paramBlock - 1] : fields[fields.length - 1]);
  const anchorEnd = anchor ? anchor.end : body.start + 1;
  const indent = anchor ? indentAt(text, anchor.start) : indentAt(text, layer.node.start) + input.indent;
  const oneLine = specs.length > 0 ? specs.every((s) => sameLine(text, s.field)) : oneLineStyle(input);
  const lines = blocks.flatMap((b) =>
    oneLine ? [oneLineBlock(b)] : b.map((l, i) => (i === 0 || i === b.length - 1 ? l : input.indent + l)),
  );
  return [
    insertAfter(
      text,
      anchorEnd,
      endsLine(text, anchorEnd) ? lines : blocks.map(oneLineBlock),
      indent,
      input.eol,
    ),
  ];
}

function oneLineBlock(lines: readonly string[]): string {
  return `${lines[0]} ${lines.slice(1, -1).join(' ')} ${lines[lines.length - 1]}`;
}

function sameLine(text: string, span: { start: number; end: number }): boolean {
  return !/[\r\n]/.test(text.slice(span.start, span.end));
}

/** oneLineStyle of each input, looked up once: a net with no `param { }` would be scanned per layer. */
const styleOf = new WeakMap<FreezeInput, boolean>();

/** Whether the file writes its `param { }` blocks on one line each (its first one says). */
function oneLineStyle(input: FreezeInput): boolean {
  const known = styleOf.get(input);
  if (known !== undefined) return known;
  let oneLine = false;
  for (const layer of input.net.layers) {
    const first = specsOf(layer)[0];
    if (first) {
      oneLine = sameLine(input.text, first.field);
      break;
    }
  }
  styleOf.set(input, oneLine);
  return oneLine;
}
