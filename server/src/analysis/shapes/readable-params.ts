// When a shape rule must not run: the rules describe BVLC Caffe's layers (and a few bundled forks'
// own layers), so a layer whose parameter blocks hold a field those definitions lack (a fork's option
// such as a Concat that also permutes and flattens, or a misspelt name) gets unknown tops instead of
// BVLC's arithmetic (a layer whose top keeps its bottom's shape passes it on, with what it learns
// unknown); and a value the
// rule would read that is not a number (a placeholder like `NUM_CLASSES`) stops the rule, since
// validation already reports it. Either way there is one error for one cause, never a shape error.

import type { MessageNode, Span } from '../../parser/ast';
import { shapeRuleFields } from '../../schema/bundled';
import type { NetLayer } from '../model/net';

/** Thrown by a parameter read that finds a value it cannot read as the rule needs it. */
export class UnreadableParam extends Error {
  constructor(readonly at: Span) {
    super('unreadable parameter value');
  }
}

const MAX_DEPTH = 16;

/**
 * The first field of the layer's `*_param` blocks that the rules' schemas do not define, or that has
 * no value, if any. (A net inferred in both phases asks once per layer: the second phase takes over
 * the first's answer, see phase-runs.ts.) Blocks named in `own` are the rule's own and not looked at.
 */
export function nonBvlcParam(layer: NetLayer, own?: readonly string[]): Span | undefined {
  if (layer.format === 'v0' || layer.paramBlocks.size === 0) return undefined;
  return firstNonBvlcField(layer, own);
}

function firstNonBvlcField(layer: NetLayer, own: readonly string[] | undefined): Span | undefined {
  const fields = shapeRuleFields();
  const layerFields = fields.get(layer.format === 'v2' ? 'caffe.LayerParameter' : 'caffe.V1LayerParameter');
  if (!layerFields) return undefined;
  let found: Span | undefined;
  // forEach: the blocks' own loop, without an iterator per layer.
  layer.paramBlocks.forEach((block, name) => {
    if (found !== undefined || own?.includes(name)) return;
    const type = layerFields.get(name);
    if (type === undefined) found = block;
    else if (type !== '') found = unknownIn(block, type, fields, 0);
  });
  return found;
}

function unknownIn(
  block: MessageNode,
  type: string,
  fields: ReadonlyMap<string, ReadonlyMap<string, string>>,
  depth: number,
): Span | undefined {
  const known = fields.get(type);
  if (!known || depth > MAX_DEPTH) return undefined;
  for (const f of block.fields) {
    const value = f.value;
    // A field without a value (a template's placeholder stood there) is a syntax error already.
    if (value === undefined) return f.nameSpan;
    const inner = known.get(f.name);
    if (inner === undefined) return f.nameSpan;
    if (inner === '') continue;
    if (value.kind === 'message') {
      const unknown = unknownIn(value, inner, fields, depth + 1);
      if (unknown) return unknown;
    } else if (value.kind === 'list') {
      for (const v of value.items) {
        const unknown = v.kind === 'message' ? unknownIn(v, inner, fields, depth + 1) : undefined;
        if (unknown) return unknown;
      }
    }
  }
  return undefined;
}

/** Whether the layer has a `bottom:` field whose value is missing (reported by the parser). */
export function hasValuelessBottom(layer: NetLayer): boolean {
  return hasValueless(layer, 'bottom');
}

/** Whether the layer has a `bottom:` or `top:` field whose value is missing. */
export function hasValuelessBlob(layer: NetLayer): boolean {
  return hasValueless(layer, 'bottom') || hasValueless(layer, 'top');
}

function hasValueless(layer: NetLayer, name: 'bottom' | 'top'): boolean {
  const fields = layer.format === 'v0' ? layer.node.value : layer.body;
  if (fields?.kind !== 'message') return false;
  return fields.fields.some((f) => f.name === name && f.value === undefined);
}
