// Which field names a layer's own message defines, for telling a misspelt field of a layer (no schema
// defines it) from a fork's field (a bundled fork does), see NetLayer.unknownField.

import type { FieldNode } from '../../parser/ast';
import { bundledLayerFields } from '../../schema/bundled';
import type { Schema } from '../../schema/schema';

export const LAYER = 'caffe.LayerParameter';
export const V1_LAYER = 'caffe.V1LayerParameter';
export const V0_LAYER = 'caffe.V0LayerParameter';

/**
 * The message a schema's `layers { }` blocks hold: V1LayerParameter, or LayerParameter in the proto of
 * a Caffe that predates `layer { }` (DeepLab v1's, DeconvNet's), where that name was still the V1 one.
 */
export function v1LayerMessage(schema?: Schema): string {
  const layers = schema?.field('caffe.NetParameter', 'layers');
  return layers?.kind === 'message' ? layers.type : V1_LAYER;
}

/** The message a V0 layer's inner `layer { }` holds in the schema. */
export function v0LayerMessage(schema?: Schema): string {
  const inner = schema?.field(v1LayerMessage(schema), 'layer');
  return inner?.kind === 'message' ? inner.type : V0_LAYER;
}

/**
 * Which field names a layer's own message defines: those of the schema in use and, under the bundled
 * one (where a fork's field is told as the fork's, not as unknown), those of every bundled fork.
 */
export class LayerFieldNames {
  private readonly bundled: boolean;
  /** The schema's own names of the V1 and V0 layer messages (see v1LayerMessage). */
  private readonly v1: string;
  private readonly v0: string;

  constructor(private readonly schema?: Schema) {
    this.bundled = schema === undefined || schema.source.kind === 'bundled';
    this.v1 = v1LayerMessage(schema);
    this.v0 = v0LayerMessage(schema);
  }

  /** `message`: LAYER, V1_LAYER or V0_LAYER. */
  has(message: string, name: string): boolean {
    if (this.bundled && bundledLayerFields(message)?.has(name) !== false) return true;
    const own = message === V1_LAYER ? this.v1 : message === V0_LAYER ? this.v0 : message;
    return this.schema !== undefined && this.schema.field(own, name) !== undefined;
  }

  firstUnknown(message: string, fields: readonly FieldNode[]): FieldNode | undefined {
    for (const f of fields) if (!this.has(message, f.name)) return f;
    return undefined;
  }
}
