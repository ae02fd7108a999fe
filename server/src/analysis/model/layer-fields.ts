// Which field names a layer's own message defines, for telling a misspelt field of a layer (no schema
// defines it) from a fork's field (a bundled fork does), see NetLayer.unknownField.

import type { FieldNode } from '../../parser/ast';
import { bundledLayerFields } from '../../schema/bundled';
import type { Schema } from '../../schema/schema';

export const LAYER = 'caffe.LayerParameter';
export const V1_LAYER = 'caffe.V1LayerParameter';
export const V0_LAYER = 'caffe.V0LayerParameter';

/**
 * Which field names a layer's own message defines: those of the schema in use and, under the bundled
 * one (where a fork's field is told as the fork's, not as unknown), those of every bundled fork.
 */
export class LayerFieldNames {
  private readonly bundled: boolean;

  constructor(private readonly schema?: Schema) {
    this.bundled = schema === undefined || schema.source.kind === 'bundled';
  }

  has(message: string, name: string): boolean {
    if (this.bundled && bundledLayerFields(message)?.has(name) !== false) return true;
    return this.schema !== undefined && this.schema.field(message, name) !== undefined;
  }

  firstUnknown(message: string, fields: readonly FieldNode[]): FieldNode | undefined {
    for (const f of fields) if (!this.has(message, f.name)) return f;
    return undefined;
  }
}
