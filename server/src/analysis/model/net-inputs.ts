// The legacy inputs of a net: `input:` names, each with the `input_shape { dim }` of its position or
// the four `input_dim`s of its position (Caffe's UpgradeNetInput; a Caffe before the Input layer reads
// them in Net::Init the same way). What is written for them is kept for the checks (legacy-inputs.ts).

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

/** The shapes a net writes for its legacy inputs, as Caffe counts them. */
export interface LegacyInputFields {
  /** Each `input_shape` block. */
  shapes: Span[];
  /** Each `input_dim` value (the items of a list one by one). */
  dims: Span[];
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
      // The i-th input_shape belongs to the i-th input (an input past the last has none).
      const s = shapes[i];
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

/** The `input_shape` blocks and `input_dim` values of a net; undefined when it writes neither. */
export function readInputFields(fields: readonly FieldNode[]): LegacyInputFields | undefined {
  const shapes: Span[] = [];
  const dims: Span[] = [];
  for (const f of fields) {
    if (f.name === 'input_shape') shapes.push({ start: f.start, end: f.end });
    else if (f.name === 'input_dim') {
      const v = f.value;
      if (v?.kind === 'list') for (const item of v.items) dims.push({ start: item.start, end: item.end });
      else dims.push({ start: f.start, end: f.end });
    }
  }
  return shapes.length > 0 || dims.length > 0 ? { shapes, dims } : undefined;
}

/**
 * The numbers of the fields `name`; a field written without a value (a template's placeholder stood
 * there) keeps its place as an unknown dim.
 */
function numbersOf(fields: readonly FieldNode[], name: string): number[] {
  const out: number[] = [];
  for (const f of fieldsNamed(fields, name)) {
    if (f.value === undefined) {
      out.push(Number.NaN); // an unknown dim, as the shape rules write it
      continue;
    }
    const values = f.value.kind === 'list' ? f.value.items : [f.value];
    for (const v of values) {
      const n = numberValue(v);
      if (n !== undefined) out.push(n);
    }
  }
  return out;
}
