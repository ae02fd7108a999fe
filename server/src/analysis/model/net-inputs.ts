// The legacy inputs of a net: `input:` names with one `input_shape { dim }` for all or one per input,
// or four `input_dim`s per input.

import type { FieldNode, Span } from '../../parser/ast';
import { fieldsNamed, numberValue, refs } from './net-read';

/** A legacy net input (`input:` with `input_shape { dim }` or four `input_dim`s). */
export interface NetInput {
  name: string;
  span: Span;
  /** null when no shape is given for it. */
  shape: number[] | null;
  /** The `input_shape` block or the first `input_dim` that gave the shape. */
  shapeSpan?: Span;
}

/** The inputs a net declares, each with its shape when one is given. */
export function readInputs(fields: readonly FieldNode[]): NetInput[] {
  const names = refs(fields, 'input');
  const shapes: { dims: number[]; span: Span }[] = [];
  for (const f of fieldsNamed(fields, 'input_shape')) {
    if (f.value?.kind !== 'message') continue;
    shapes.push({ dims: numbersOf(f.value.fields, 'dim'), span: { start: f.start, end: f.end } });
  }
  const dimFields = fieldsNamed(fields, 'input_dim');
  const dims = numbersOf(fields, 'input_dim');
  return names.map((ref, i) => {
    if (shapes.length > 0) {
      // One input_shape serves every input; otherwise the i-th belongs to the i-th input.
      const s = shapes.length === 1 ? shapes[0] : shapes[i];
      return { ...ref, shape: s ? s.dims : null, shapeSpan: s?.span };
    }
    if (dims.length >= 4 * (i + 1)) {
      const first = dimFields[4 * i];
      return {
        ...ref,
        shape: dims.slice(4 * i, 4 * i + 4),
        shapeSpan: first && { start: first.start, end: first.end },
      };
    }
    return { ...ref, shape: null };
  });
}

function numbersOf(fields: readonly FieldNode[], name: string): number[] {
  const out: number[] = [];
  for (const f of fieldsNamed(fields, name)) {
    const values = f.value?.kind === 'list' ? f.value.items : f.value ? [f.value] : [];
    for (const v of values) {
      const n = numberValue(v);
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}
