// Caffe's blobs hold at most INT_MAX values: Blob::Reshape CHECKs the count as it multiplies the dims
// ("blob size exceeds INT_MAX") and the net stops there. A top or a parameter blob past that is an
// error of the layer that makes it.

import type { NetLayer, NetModel } from '../model/net';
import { count, formatShape, isComplete } from './arith';
import type { Span } from '../../parser/ast';
import type { Schema } from '../../schema/schema';
import type { Shape } from './types';
import type { LayerParams } from './params';
import { readShapes } from './shared-params';
import { grouped } from '../../../../common/numbers';

const MAX_BLOB_COUNT = 2147483647;

const said = '("blob size exceeds INT_MAX")';

/** Layer fields of NVIDIA's Caffe alone: a net that writes one is written for it. */
const NVIDIA_FIELDS = new Set(['forward_type', 'backward_type', 'forward_math', 'backward_math']);

/**
 * Whether the net is for a Caffe that divides each data layer's batch_size over its GPUs (NVIDIA's,
 * P2PSync::divide_batch_size): its schema's layers have a forward_type, or the net writes one of its
 * precision fields (so also under the bundled BVLC schema). Then a top's size on one GPU depends on
 * how many there are.
 */
function splitsBatch(schema: Schema | undefined, net: NetModel): boolean {
  if (schema?.field('caffe.LayerParameter', 'forward_type') !== undefined || net.nvidiaDefaults) return true;
  return net.layers.some((l) => l.body?.fields.some((f) => NVIDIA_FIELDS.has(f.name)) === true);
}

/**
 * The problem of a top of this shape, when it holds more values than a blob can: an error, or under a
 * Caffe that splits the batch over its GPUs a warning saying how many it takes.
 */
function oversizedTop(
  name: string,
  shape: Shape,
  split: () => boolean,
): { message: string; severity: 'error' | 'warning' } | undefined {
  if (!isComplete(shape)) return undefined;
  const n = count(shape);
  if (n <= MAX_BLOB_COUNT) return undefined;
  const what = `top '${name}' would be ${formatShape(shape)}, ${grouped(n)} values: more than a Caffe blob holds (${grouped(MAX_BLOB_COUNT)})`;
  if (!split()) return { message: `${what}, so Caffe stops ${said}`, severity: 'error' };
  const gpus = Math.ceil(n / MAX_BLOB_COUNT);
  return {
    message: `${what} on one GPU: NVIDIA's Caffe divides batch_size over its GPUs, so this net takes ${gpus} or more of them (on fewer it stops ${said})`,
    severity: 'warning',
  };
}

/**
 * The problem of the layer's first parameter blob that holds more values than a blob can
 * (looked for only when all of them together do, `total` being their count).
 */
export function oversizedParams(
  layer: NetLayer,
  bottoms: readonly (Shape | null)[],
  params: LayerParams,
  total: number | null,
): string | undefined {
  if (total === null || total <= MAX_BLOB_COUNT) return undefined;
  const shapes = readShapes(layer, bottoms, params) ?? [];
  for (let i = 0; i < shapes.length; i++) {
    const shape = shapes[i];
    if (shape === undefined || !isComplete(shape) || count(shape) <= MAX_BLOB_COUNT) continue;
    return `layer '${layer.name}' would make parameter blob ${i} as ${formatShape(shape)}, ${grouped(count(shape))} values: more than a Caffe blob holds (${grouped(MAX_BLOB_COUNT)}), so Caffe stops ${said}`;
  }
  return undefined;
}

/**
 * The size check of a net's tops, for one inference: a top too large for a blob is an error and is
 * left unknown (Caffe stops there: the layers after it are not judged on its shape), or under a Caffe
 * that splits the batch over its GPUs a warning given once (on enough GPUs every later blob fits too).
 */
export class TopSizes {
  /** Worked out when a top too large is met (rarely). */
  private split: boolean | undefined;
  private warned = false;

  constructor(
    private readonly schema: Schema | undefined,
    private readonly net: NetModel,
  ) {}

  /** `shape`, or null when Caffe stops at it; a problem reported through `report`. */
  checked(
    top: { name: string; span: Span },
    shape: Shape,
    report: (message: string, at: Span, code?: string, severity?: 'error' | 'warning') => void,
  ): Shape | null {
    // Warned once already (only a batch split over GPUs warns): nothing more to say of any top.
    if (this.warned) return shape;
    const found = oversizedTop(top.name, shape, () => (this.split ??= splitsBatch(this.schema, this.net)));
    if (found?.severity === 'error') {
      report(found.message, top.span);
      return null;
    }
    if (found !== undefined && !this.warned) {
      this.warned = true;
      report(found.message, top.span, 'shape-invalid', 'warning');
    }
    return shape;
  }
}
