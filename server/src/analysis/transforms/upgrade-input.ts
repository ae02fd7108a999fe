// The legacy net inputs (`input: "data"` with four `input_dim`s each, or an `input_shape { dim }`
// each) as one `Input` layer placed before the first layer, as Caffe's UpgradeNetInput does.
// An `input` without any shape is simply removed (Caffe: a legacy caffemodel). Comments of the
// removed fields go to the new layer.

import { pushAll } from '../../../../common/arrays';
import {
  block,
  layoutField,
  scalar,
  type LayoutComment,
  type LayoutField,
  type LayoutValue,
} from './format-tree';

const INPUT_FIELDS = new Set(['input', 'input_dim', 'input_shape']);

/** Rewrites the top-level `fields` in place; false when the net has no `input`. */
export function upgradeInputs(fields: LayoutField[]): boolean {
  const inputs = fields.filter((f) => f.name === 'input');
  if (inputs.length === 0) return false;
  const shapes = fields.filter((f) => f.name === 'input_shape' && f.value.kind === 'message');
  const dims = fields.filter((f) => f.name === 'input_dim').flatMap(dimValues);
  const firstRemoved = fields.findIndex((f) => INPUT_FIELDS.has(f.name));
  const firstLayer = fields.findIndex((f) => f.name === 'layer' || f.name === 'layers');
  const at = firstLayer >= 0 ? Math.min(firstRemoved, firstLayer) : firstRemoved;
  const removed = fields.filter((f) => INPUT_FIELDS.has(f.name));
  const comments: LayoutComment[] = removed.flatMap((f) =>
    f.name === 'input' || f.name === 'input_dim' ? f.leading : [...f.leading, ...ownLine(f.trailing)],
  );
  const kept = fields.filter((f) => !INPUT_FIELDS.has(f.name));
  let replacement: LayoutField[] = [];
  if (shapes.length > 0 || dims.length > 0) {
    const tops = inputs.map((f) => ({ ...f, name: 'top', leading: [], blankBefore: false }));
    const shapeFields = inputs.map((_, i) =>
      shapes.length > 0
        ? {
            ...(shapes[i] ?? layoutField('shape', block([]))),
            name: 'shape',
            leading: [],
            blankBefore: false,
          }
        : layoutField('shape', block(dims.slice(i * 4, i * 4 + 4))),
    );
    const layer = block([
      layoutField('name', scalar('"input"')),
      layoutField('type', scalar('"Input"')),
      ...tops,
      layoutField('input_param', block(shapeFields)),
    ]);
    replacement = [
      { ...layoutField('layer', layer), leading: comments, blankBefore: removed[0].blankBefore },
    ];
  } else if (comments.length > 0) {
    // Nothing replaces the inputs: their comments go before what follows them.
    const next = kept[Math.min(at, kept.length - 1)];
    if (next) next.leading = [...comments, ...next.leading];
  }
  const before = fields.slice(0, at).filter((f) => !INPUT_FIELDS.has(f.name));
  const after = fields.slice(at).filter((f) => !INPUT_FIELDS.has(f.name));
  const next = [...before, ...replacement, ...after];
  fields.length = 0;
  pushAll(fields, next);
  return true;
}

/** `input_dim: 1` or `input_dim: [1, 3]` as `dim` fields, keeping a trailing comment on the last. */
function dimValues(f: LayoutField): LayoutField[] {
  const values: LayoutValue[] = f.value.kind === 'list' ? f.value.items : [f.value];
  return values.map((v, k) => ({
    ...layoutField('dim', v),
    ...(k === values.length - 1 && f.trailing ? { trailing: f.trailing } : {}),
  }));
}

function ownLine(text: string | undefined): LayoutComment[] {
  return text ? [{ text, blankBefore: false }] : [];
}
