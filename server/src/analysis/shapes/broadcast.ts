// Scale and Bias given their scale or bias as a second bottom: Reshape lays it over the first bottom
// from `axis` on (axis 0 for a scalar), and stops when it runs past the first bottom's axes or a
// dimension differs (scale_layer.cpp, bias_layer.cpp).

import { canonicalAxis, formatShape, isComplete } from './arith';
import type { RuleContext, Shape } from './types';

/** Whether bottom 1 does not fit over bottom 0 (reported, in Caffe's words); `what`: scale or bias. */
export function broadcastRefused(ctx: RuleContext, param: string, what: 'scale' | 'bias'): boolean {
  const [b, s] = ctx.bottoms;
  if (!isComplete(b) || !isComplete(s)) return false;
  const type = ctx.layer.type;
  const [first, second] = ctx.layer.bottoms;
  const written = ctx.params.block(param).number('axis', 1);
  const axis = s.length === 0 ? 0 : canonicalAxis(written, b.length);
  const at = second.span;
  if (axis === undefined) {
    ctx.report(
      `${type}: axis ${written} is out of range for the ${b.length}-axis ${first.name} (${formatShape(b)}); ` +
        `Caffe stops ("axis ${written} out of range for ${b.length}-D Blob")`,
      at,
    );
    return true;
  }
  if (b.length < axis + s.length) {
    ctx.report(
      `${type}: the ${what} ${second.name} (${formatShape(s)}) laid over ${first.name} (${formatShape(b)}) from ` +
        `axis ${axis} runs past its axes; Caffe stops ("${what} blob's shape extends past bottom[0]'s shape ` +
        `when applied starting with bottom[0] axis = ${axis}")`,
      at,
    );
    return true;
  }
  const differs = (s as Shape).findIndex((d, i) => d !== b[axis + i]);
  if (differs < 0) return false;
  ctx.report(
    `${type}: the ${what} ${second.name} (${formatShape(s)}) laid over ${first.name} (${formatShape(b)}) from ` +
      `axis ${axis} differs at axis ${axis + differs} (${b[axis + differs]} vs. ${s[differs]}); Caffe stops ` +
      `("dimension mismatch between bottom[0]->shape(${axis + differs}) and ${what}->shape(${differs})")`,
    at,
  );
  return true;
}
