// "Unfreeze layers up to here" as text edits of a net: the way back from Freeze (freeze.ts).
//
// Unfreeze removes `lr_mult: 0` and the `decay_mult: 0` beside it from those layers' frozen blobs, and
// the `param { }` blocks left empty at the end of a layer (an empty block followed by another still
// places it). Values Freeze overwrote or found already there would be lost by that, so Unfreeze, finding
// the comment line Freeze wrote above such a layer (`# before Freeze: param { lr_mult: 2 } ...`), puts
// exactly those back and removes the line: Unfreeze after Freeze gives back the text. Pure.

import type { FieldNode } from '../parser/ast';
import { firstField, numberValue } from '../analysis/model/net-read';
import type { NetLayer } from '../analysis/model/net';
import {
  frozenSpec,
  planEdits,
  probeEdits,
  RATE_KEYS,
  refusal,
  specsOf,
  type FreezeInput,
  type FreezeOutcome,
  type FreezeProbe,
} from './freeze';
import { MARKER_PREFIX, readMarker, type MarkerSpec } from './freeze-marker';
import { removeItem, type Edit } from './text-edits';

export function planUnfreeze(input: FreezeInput, upTo: number): FreezeOutcome {
  return refusal(input) ?? planEdits(input, upTo, unfreezeEdits(input, upTo));
}

/** planUnfreeze summed up without its edits, as probeFreeze does for planFreeze. */
export function probeUnfreeze(input: FreezeInput, upTo: number): FreezeProbe {
  return refusal(input) ?? probeEdits(input, upTo, unfreezeEdits(input, upTo));
}

/** The edits Unfreeze up to `upTo` makes in one layer (none for a layer it leaves alone). */
function unfreezeEdits(input: FreezeInput, upTo: number): (layer: NetLayer) => Edit[] {
  const entryOf = unfreezeEntries(input, upTo);
  return (layer) => {
    const specs = entryOf(layer);
    return specs ? unfreezeLayer(input, layer, specs) : [];
  };
}

/**
 * Per layer, the specs Unfreeze up to `upTo` unfreezes (undefined: the layer is left alone): before
 * `upTo`, the frozen ones (all of them under a marker); anywhere, frozen ones sharing a name with one
 * of those. BatchNorm is never touched.
 */
function unfreezeEntries(input: FreezeInput, upTo: number): (layer: NetLayer) => Set<number> | undefined {
  const { net, text } = input;
  // One search of the text spares reading the line above every layer of a net Freeze never marked.
  const markers = text.includes(MARKER_PREFIX);
  const markedAt = (layer: NetLayer) => markers && readMarker(text, layer) !== undefined;
  const names = new Set<string>();
  for (const layer of net.layers.slice(0, upTo)) {
    if (layer.type === 'BatchNorm') continue;
    const specs = specsOf(layer);
    if (!specs.some((s) => s.name)) continue;
    const marked = markedAt(layer);
    for (const spec of specs) if (spec.name && (marked || frozenSpec(spec))) names.add(spec.name);
  }
  return (layer) => {
    if (layer.type === 'BatchNorm' || (layer.index >= upTo && names.size === 0)) return undefined;
    const specs = specsOf(layer);
    const marked = layer.index < upTo && markedAt(layer);
    const chosen = new Set<number>();
    specs.forEach((spec, i) => {
      const frozen = frozenSpec(spec);
      if ((layer.index < upTo && (marked || frozen)) || (spec.name && names.has(spec.name) && frozen))
        chosen.add(i);
    });
    return chosen.size > 0 || marked ? chosen : undefined;
  };
}

/** The edits that unfreeze a layer: as its marker says when it has one, else its frozen specs. */
function unfreezeLayer(input: FreezeInput, layer: NetLayer, frozen: ReadonlySet<number>): Edit[] {
  const { text } = input;
  const specs = specsOf(layer);
  const marker = readMarker(text, layer);
  const edits: Edit[] = [];
  /** The specs whose blocks end up empty. */
  const emptied = new Set<number>();
  specs.forEach((spec, i) => {
    const recorded: MarkerSpec | undefined = marker ? marker.specs[i] : undefined;
    if (!marker && !frozen.has(i)) return;
    const removals: FieldNode[] = [];
    for (const key of RATE_KEYS) {
      const field = firstField(spec.block.fields, key);
      if (!field?.value) continue;
      const before = recorded?.[key];
      if (before !== undefined) {
        if (text.slice(field.value.start, field.value.end) !== before)
          edits.push({ start: field.value.start, end: field.value.end, newText: before });
      } else if (numberValue(field.value) === 0) removals.push(field);
    }
    const kept = spec.block.fields.filter((f) => !removals.includes(f));
    // A block the marker lists stays; so does any block not emptied by this.
    if (kept.length === 0 && removals.length > 0 && !(marker && i < marker.specs.length)) emptied.add(i);
    else for (const field of removals) edits.push(removeItem(text, field.start, field.end));
  });
  // Only empty blocks at the end go: an earlier one keeps the later blocks on their blobs.
  let last = specs.length - 1;
  while (last >= 0 && emptied.has(last)) last--;
  for (const i of emptied) {
    const spec = specs[i];
    if (i > last) edits.push(removeItem(text, spec.field.start, spec.field.end));
    else
      for (const field of spec.block.fields)
        if (RATE_KEYS.includes(field.name as (typeof RATE_KEYS)[number]))
          edits.push(removeItem(text, field.start, field.end));
  }
  if (marker) edits.push({ start: marker.start, end: marker.end, newText: '' });
  return edits;
}
