// The paragraph a blob's hover adds when its shape is not fully known: which layer left it unknown
// (followed back through the layers after it), why, and how to make it known — the Infer top shapes
// lens of a Python layer, or stating the shape where the file cannot say it.

import type { NetLayer } from '../../analysis/model/net';
import { firstField, scalarText } from '../../analysis/model/net-read';
import { formatShape } from '../../analysis/shapes';
import type { UnknownOrigin, UnknownReason } from '../../analysis/shapes/unknown-origin';
import type { Doc } from '../shared/field-docs';

const DIM_NAMES = ['batch', 'channels', 'height', 'width'];
const DIM_LETTERS = ['N', 'C', 'H', 'W'];

/**
 * Why the shape of `blob` is not fully known, starting at `origin`, and what to do: one paragraph in
 * the document's form (markdown or plain; names in code spans).
 */
export function unknownShapeText(doc: Doc, blob: string, origin: UnknownOrigin): string {
  const c = (s: string) => doc.c(s);
  switch (origin.kind) {
    case 'input':
      return (
        `The net input ${c(origin.name)} is declared without a full shape. To know it, give ` +
        `${c('input_shape { dim: ... }')} after it, or state it (${stateIt(doc, origin.name, null)}).`
      );
    case 'missing':
      return `Unknown because no earlier layer produces ${c(origin.name)} in this phase.`;
    case 'layer':
      return layerReason(doc, origin, blob);
  }
}

function layerReason(
  doc: Doc,
  origin: { layer: NetLayer; why: UnknownReason; top: string; shape: readonly number[] | null },
  blob: string,
): string {
  const { layer, why, top, shape } = origin;
  const name = layer.name || `#${layer.index + 1}`;
  const who = `layer ${doc.c(name)} (${layer.type || 'no type'})`;
  const shown = shape && formatShape(shape) !== '?' ? ` as ${doc.c(formatShape(shape))}` : '';
  const intro =
    top === blob && layer.tops.some((t) => t.name === blob)
      ? `The ${who} leaves it unknown`
      : `Unknown since ${who}, which leaves its top ${doc.c(top)} unknown${shown}`;
  // A layer without bottoms makes the net's data: its tops are what a stated input shape replaces.
  const state = layer.bottoms.length === 0 ? `state the shape (${stateIt(doc, top, shape)})` : undefined;
  switch (why) {
    case 'python': {
      const cls = pythonClass(layer);
      const lens = `click ${doc.b('Infer top shapes')} above ${doc.c(name)} (it runs the layer's setup and reshape)`;
      const ways = [lens, state].filter((w) => w !== undefined).join(', or ');
      return (
        `${intro}: a Python layer${cls ? ` (${doc.c(cls)})` : ''} tells its top shapes only when its code ` +
        `runs. To know it, ${ways}.`
      );
    }
    case 'reader': {
      const text = `${intro}: it reads its data at run time, and its parameters do not say the ${unknownDims(shape)}.`;
      return state ? `${text} To know it, ${state}.` : text;
    }
    case 'no-rule': {
      const text = `${intro}: shape inference has no rule for the type ${doc.c(layer.type || '(none)')}.`;
      return state ? `${text} To know it, ${state}.` : text;
    }
    case 'rule':
      return `${intro}: its output depends on values known only at run time, or on a problem reported on the layer.`;
  }
}

/** How to state a blob's shape, with what is known of it filled in (`data=64,C,H,W`). */
function stateIt(doc: Doc, blob: string, shape: readonly number[] | null): string {
  const dims =
    shape && shape.length > 0
      ? shape.map((d, i) => (Number.isNaN(d) ? (DIM_LETTERS[i] ?? 'D') : String(d))).join(',')
      : DIM_LETTERS.join(',');
  return (
    `a line ${doc.c(`# input-shape: ${blob}=${dims}`)} in the file, the setting ` +
    `${doc.c('prototxt.shapes.inputShapes')}, or the CLI's ${doc.c('--input-shape')}`
  );
}

/** "channels, height and width" for `64×?×?×?`; "shape" when nothing or everything is unknown. */
function unknownDims(shape: readonly number[] | null): string {
  if (!shape || shape.length === 0) return 'shape';
  const names = shape.flatMap((d, i) =>
    Number.isNaN(d) ? [shape.length === 4 ? DIM_NAMES[i] : `size of axis ${i}`] : [],
  );
  if (names.length === 0 || names.length === shape.length) return 'shape';
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function pythonClass(layer: NetLayer): string | undefined {
  const p = layer.paramBlocks.get('python_param');
  const module = p && scalarText(firstField(p.fields, 'module')?.value);
  const cls = p && scalarText(firstField(p.fields, 'layer')?.value);
  return module || cls ? [module, cls].filter(Boolean).join('.') : undefined;
}
