// Test-only: shape inference of a net written as text, as the rule tests read it, and the Input layer
// those nets start from.

import { buildNet, type Phase } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import type { Schema } from '../../../../../server/src/schema/schema';

/** `layer { name: "data" type: "Input" ... }` of one top of `dims`. */
export function inputLayer(dims: readonly number[]): string {
  const shape = dims.map((d) => `dim: ${d}`).join(' ');
  return `layer { name: "data" type: "Input" top: "data" input_param { shape { ${shape} } } }\n`;
}

/** The shapes of `text` in `phase` under `schema`: the result, a blob's shape, the problems' words. */
export function inferText(text: string, schema: Schema, phase: Phase = 'TEST') {
  const result = inferShapes(buildNet(parse(text)), phase, schema);
  return {
    result,
    top: (name: string) => result.blobs.get(name),
    messages: result.problems.map((p) => p.message),
  };
}
