// The shapes of a net's legacy inputs (`input:` with `input_shape` or `input_dim`), counted as Caffe
// reads them. A Caffe with the Input layer turns them into one (UpgradeNetInput): input i takes the
// i-th input_shape, else input_dim 4i to 4i+3, and reading past the end of either list crashes it;
// what is left over is never read. A Caffe before the Input layer (py-faster-rcnn's) checks the counts
// in Net::Init and stops on any mismatch. Either stops at an input named twice.

import type { Span } from '../../parser/ast';
import type { NetModel } from '../model/net';
import { hasInputLayer, type Check, type CheckContext } from './context';

const CODE = 'legacy-input';

export const checkLegacyInputs: Check = (ctx) => {
  const upgraded = hasInputLayer(ctx);
  for (const net of ctx.nets) {
    twice(ctx, net);
    const written = net.inputFields;
    if (written === undefined && (upgraded || net.inputs.length === 0)) continue;
    const counts = {
      inputs: net.inputs.length,
      shapes: written?.shapes ?? [],
      dims: written?.dims ?? [],
    };
    if (upgraded) checkUpgraded(ctx, net, counts);
    else checkInit(ctx, net, counts);
  }
};

/** An input named twice: both are tops of the one input layer (or net inputs), which Caffe refuses. */
function twice(ctx: CheckContext, net: NetModel): void {
  if (net.inputs.length < 2) return;
  const seen = new Set<string>();
  for (const input of net.inputs) {
    if (!seen.has(input.name)) {
      seen.add(input.name);
      continue;
    }
    report(
      ctx,
      'error',
      input.span,
      `Input "${input.name}" is declared twice: Caffe makes a blob of each and stops building the net ` +
        `("Top blob '${input.name}' produced by multiple sources.")`,
    );
  }
}

interface Counts {
  inputs: number;
  shapes: readonly Span[];
  dims: readonly Span[];
}

function report(ctx: CheckContext, severity: 'error' | 'warning', at: Span, message: string): void {
  ctx.report({ severity, code: CODE, message, start: at.start, end: at.end });
}

const CRASH = 'and reads past the end of the list for this one: Caffe crashes as it loads the net';

/** A Caffe with the Input layer: what its upgrade reads past the lists, or never reads. */
function checkUpgraded(ctx: CheckContext, net: NetModel, { inputs, shapes, dims }: Counts): void {
  if (inputs === 0) {
    // No `input:`, so no upgrade: nothing reads these.
    const first = shapes[0] ?? dims[0];
    const what = shapes.length > 0 ? 'input_shape' : 'input_dim';
    report(ctx, 'warning', first, `This ${what} is not read: the net declares no \`input\` for it to shape.`);
    return;
  }
  if (shapes.length > 0) {
    if (shapes.length < inputs) {
      const input = net.inputs[shapes.length];
      report(
        ctx,
        'error',
        input.span,
        `Input "${input.name}" has no input_shape: Caffe gives each input the input_shape of its ` +
          `position (${shapes.length} given for ${inputs} inputs) ${CRASH}. Give one input_shape per input.`,
      );
    } else if (shapes.length > inputs) {
      report(
        ctx,
        'warning',
        shapes[inputs],
        `This input_shape is not read: Caffe gives each input the input_shape of its position, and the ` +
          `net declares ${plural(inputs, 'input')}.`,
      );
    }
    if (dims.length > 0) {
      report(
        ctx,
        'warning',
        dims[0],
        'input_dim is not read: with input_shape written, Caffe takes every input shape from input_shape.',
      );
    }
    return;
  }
  if (dims.length < 4 * inputs) {
    const index = Math.floor(dims.length / 4);
    const input = net.inputs[index];
    report(
      ctx,
      'error',
      input.span,
      `Input "${input.name}" has ${dims.length - 4 * index} of its 4 input_dim values: Caffe reads four per ` +
        `input, in order (input ${index + 1} takes values ${4 * index + 1} to ${4 * index + 4}), ${CRASH}.`,
    );
  } else if (dims.length > 4 * inputs) {
    report(
      ctx,
      'warning',
      dims[4 * inputs],
      `This input_dim is not read: Caffe reads four per input, and the net declares ${plural(inputs, 'input')}.`,
    );
  }
}

/** A Caffe before the Input layer: Net::Init's checks of the counts, which stop it. */
function checkInit(ctx: CheckContext, net: NetModel, { inputs, shapes, dims }: Counts): void {
  if (shapes.length > 0 && dims.length > 0) {
    report(
      ctx,
      'error',
      dims[0],
      'input_dim beside input_shape: this Caffe stops building the net ("Must specify either input_shape ' +
        'OR deprecated input_dim, not both.")',
    );
    return;
  }
  if (dims.length > 0) {
    if (dims.length === 4 * inputs) return;
    const at = dims.length < 4 * inputs ? net.inputs[Math.floor(dims.length / 4)].span : dims[4 * inputs];
    report(
      ctx,
      'error',
      at,
      `${plural(dims.length, 'input_dim value')} for ${plural(inputs, 'input')}: this Caffe wants four per ` +
        'input and stops building the net ("Incorrect input blob dimension specifications.")',
    );
    return;
  }
  if (shapes.length === inputs) return;
  const at = shapes.length < inputs ? net.inputs[shapes.length].span : shapes[inputs];
  report(
    ctx,
    'error',
    at,
    `${plural(shapes.length, 'input_shape')} for ${plural(inputs, 'input')}: this Caffe wants one per ` +
      'input and stops building the net ("Exactly one input_shape must be specified per input.")',
  );
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
