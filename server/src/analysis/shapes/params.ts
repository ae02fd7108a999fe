// Reads a layer's parameter values: the value written in the file, else the schema's default for the
// field, else the BVLC default the rule passes in (for forks whose proto lacks the field, or no schema).
// V0 layers keep their parameters flat in `layer { }` under older names; `V0_NAMES` maps them.

import type { FieldNode, MessageNode, Span, ValueNode } from '../../parser/ast';
import type { DeclaredCounts } from '../../schema/checkout-layers';
import type { FieldDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import type { NetLayer } from '../model/net';
import { numberValue, repeatedValues, scalarText } from '../model/net-read';
import { v0LayerMessage, v1LayerMessage } from '../model/layer-fields';
import { INT_BOUNDS } from '../checks/values';
import { UnreadableParam } from './readable-params';

/** V2 `<block>.<field>` -> V0LayerParameter field. */
const V0_NAMES: Readonly<Record<string, string>> = {
  'convolution_param.num_output': 'num_output',
  'convolution_param.bias_term': 'biasterm',
  'convolution_param.pad': 'pad',
  'convolution_param.kernel_size': 'kernelsize',
  'convolution_param.group': 'group',
  'convolution_param.stride': 'stride',
  'inner_product_param.num_output': 'num_output',
  'inner_product_param.bias_term': 'biasterm',
  'pooling_param.pool': 'pool',
  'pooling_param.pad': 'pad',
  'pooling_param.kernel_size': 'kernelsize',
  'pooling_param.stride': 'stride',
  'data_param.batch_size': 'batchsize',
  'image_data_param.batch_size': 'batchsize',
  'image_data_param.new_height': 'new_height',
  'image_data_param.new_width': 'new_width',
  'window_data_param.batch_size': 'batchsize',
  'hdf5_data_param.batch_size': 'batchsize',
  'transform_param.crop_size': 'cropsize',
  'concat_param.axis': 'concat_dim',
  'dropout_param.dropout_ratio': 'dropout_ratio',
  'data_param.source': 'source',
  'image_data_param.source': 'source',
  'window_data_param.source': 'source',
  'hdf5_data_param.source': 'source',
  'padding.pad': 'pad',
};

const EMPTY: readonly FieldNode[] = [];
const NO_DEFS: ReadonlyMap<string, FieldDef> = new Map();

/** One parameter message (e.g. a layer's `convolution_param`), possibly absent from the file. */
export class ParamBlock {
  constructor(
    private readonly fields: readonly FieldNode[],
    private readonly messageType: string | undefined,
    private readonly schema: Schema | undefined,
    /** For V0 layers: the block name used to translate field names. */
    private readonly v0Block?: string,
    /** The block as written, when it is. */
    readonly node?: MessageNode,
  ) {}

  private name(field: string): string {
    return this.v0Block === undefined ? field : (V0_NAMES[`${this.v0Block}.${field}`] ?? `-${field}`);
  }

  /** The block's field definitions by name, looked up on first use. */
  private defs: ReadonlyMap<string, FieldDef> | undefined;

  private def(field: string): FieldDef | undefined {
    if (this.defs === undefined) {
      const message = this.messageType === undefined ? undefined : this.schema?.message(this.messageType);
      this.defs =
        message === undefined || this.schema === undefined ? NO_DEFS : this.schema.fieldsOf(message);
    }
    return this.defs.get(this.name(field));
  }

  private values(field: string): ValueNode[] {
    return repeatedValues(this.fields, this.name(field));
  }

  /** The last value written (the last item of a list), without collecting the others. */
  private last(field: string): ValueNode | undefined {
    const name = this.name(field);
    for (let i = this.fields.length - 1; i >= 0; i--) {
      const f = this.fields[i];
      if (f.name !== name || f.value === undefined) continue;
      if (f.value.kind !== 'list') return f.value;
      if (f.value.items.length > 0) return f.value.items[f.value.items.length - 1];
    }
    return undefined;
  }

  has(field: string): boolean {
    return this.last(field) !== undefined;
  }

  /** Whether the schema in use defines the block's message. */
  defined(): boolean {
    return this.messageType !== undefined && this.schema?.message(this.messageType) !== undefined;
  }

  /** Whether the schema's message for the block has `field`. */
  defines(field: string): boolean {
    return this.def(field) !== undefined;
  }

  /** The names of the fields written in the block, in order. */
  writtenNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** Whether the schema gives the field a default (`[default = 2]`): read as that when not written. */
  hasDefault(field: string): boolean {
    const def = this.def(field);
    return def?.kind === 'scalar' && def.default !== undefined;
  }

  /** Whether any of these fields is written with a value: one pass, for a rule's rare fields. */
  writesAny(names: ReadonlySet<string>): boolean {
    if (this.v0Block !== undefined) return false;
    for (let i = 0; i < this.fields.length; i++)
      if (names.has(this.fields[i].name) && this.fields[i].value !== undefined) return true;
    return false;
  }

  /** Whether every field written in the block is one of these (a block that is absent writes none). */
  writesOnly(names: ReadonlySet<string>): boolean {
    for (let i = 0; i < this.fields.length; i++) if (!names.has(this.name(this.fields[i].name))) return false;
    return true;
  }

  /** Where the field is written (the last occurrence), for diagnostics. */
  span(field: string): Span | undefined {
    return this.last(field);
  }

  /** A singular number: the last value written, else the default. A value that is no number stops the rule. */
  number(field: string, fallback: number): number {
    const last = this.last(field);
    if (last !== undefined) return this.readable(field, last);
    const def = this.def(field);
    if (def === undefined || def.kind !== 'scalar') return fallback;
    if (def.default === undefined) return def.type === 'bool' || def.type === 'string' ? fallback : 0;
    const n = Number(def.default);
    return Number.isFinite(n) ? n : fallback;
  }

  /** Every value of a repeated number field (empty when none is written); one that is no number stops the rule. */
  numbers(field: string): number[] {
    // The values read where they are written (lists flattened), without a list of the nodes first.
    const name = this.name(field);
    const fields = this.fields;
    const out: number[] = [];
    for (let i = 0; i < fields.length; i++) {
      const v = fields[i].value;
      if (fields[i].name !== name || v === undefined) continue;
      if (v.kind !== 'list') out.push(this.readable(field, v));
      else for (let j = 0; j < v.items.length; j++) out.push(this.readable(field, v.items[j]));
    }
    return out;
  }

  /** A written number that fits the field's type (an integer in range for integer fields), else a stop. */
  private readable(field: string, v: ValueNode): number {
    const n = numberValue(v);
    if (n === undefined) throw new UnreadableParam(v);
    const def = this.def(field);
    const range = def?.kind === 'scalar' ? INT_BOUNDS[def.type] : undefined;
    if (range && (!Number.isInteger(n) || n < range[0] || n > range[1])) throw new UnreadableParam(v);
    return n;
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.last(field);
    if (v?.kind === 'identifier') return v.name === 'true' || v.name === 't' || v.name === 'True';
    if (v?.kind === 'number') return v.value !== 0;
    const def = this.def(field);
    if (def === undefined) return fallback;
    return def.default === undefined ? false : def.default === 'true';
  }

  /** An enum value by name (numbers are named through the schema's enum). */
  enumName(field: string, fallback: string): string {
    const v = this.last(field);
    const def = this.def(field);
    const enumDef = def && this.schema?.enumOf(def);
    if (v?.kind === 'identifier') return v.name;
    if (v?.kind === 'number') {
      return enumDef?.values.find((e) => e.number === v.value)?.name ?? fallback;
    }
    if (def?.default !== undefined) return def.default;
    return enumDef?.values[0]?.name ?? fallback;
  }

  string(field: string): string | undefined {
    return scalarText(this.last(field));
  }

  /** Nested message values of a field (`shape { dim }`), each as a block. */
  messages(field: string): ParamBlock[] {
    const def = this.def(field);
    return this.values(field).flatMap((v) =>
      v.kind === 'message' ? [new ParamBlock(v.fields, def?.type, this.schema, undefined, v)] : [],
    );
  }
}

/** The parameter blocks of one layer. */
export class LayerParams {
  constructor(
    readonly layer: NetLayer,
    private readonly schema: Schema | undefined,
  ) {}

  /** The counts of bottoms and tops the schema's Caffe checkout declares for `type`, when known. */
  declaredCounts(type: string): DeclaredCounts | undefined {
    return this.schema?.checkout?.counts.get(type);
  }

  /**
   * Whether the schema's Caffe checkout registers `type` in a source of its own that has no check
   * refusing to compute in place (an older Caffe's Reshape); false when no checkout was read.
   */
  checkoutRunsInPlace(type: string): boolean {
    const checkout = this.schema?.checkout;
    return checkout !== undefined && checkout.registrations.has(type) && !checkout.notInPlace.has(type);
  }

  /** The bundled schema chosen as the one in use (`bundled:NAME`), if one is. */
  bundledName(): string | undefined {
    return this.schema?.source.bundled;
  }

  /** Whether the schema in use defines `field` in `message` (a fork's variant of a layer tells itself so). */
  schemaDefines(message: string, field: string): boolean {
    return this.schema?.field(message, field) !== undefined;
  }

  /** Whether the schema in use makes `field` of `message` repeated (N-D pooling's kernel_size list). */
  schemaRepeats(message: string, field: string): boolean {
    return this.schema?.field(message, field)?.label === 'repeated';
  }

  /** A `*_param` block by field name; an empty block (defaults only) when not written. */
  block(name: string): ParamBlock {
    if (this.layer.format === 'v0') {
      return new ParamBlock(this.layer.body?.fields ?? EMPTY, v0LayerMessage(this.schema), this.schema, name);
    }
    const layerMessage = this.layer.format === 'v2' ? 'caffe.LayerParameter' : v1LayerMessage(this.schema);
    const node = this.layer.paramBlocks.get(name);
    const type = this.schema?.field(layerMessage, name)?.type;
    return new ParamBlock(node?.fields ?? EMPTY, type, this.schema, undefined, node);
  }

  /** Where a block (or the layer) is, for diagnostics. */
  where(name?: string): Span {
    const node = name === undefined ? undefined : this.layer.paramBlocks.get(name);
    return node ?? this.layer.nameSpan ?? this.layer.node.nameSpan;
  }

  /**
   * Where a problem of a whole block is placed: its name as written in the layer (a block may span
   * many lines), else where `where` places it.
   */
  blockName(block: string): Span {
    const layer = this.layer;
    const field = layer.format === 'v0' ? undefined : layer.body?.fields.find((f) => f.name === block);
    return field?.nameSpan ?? this.where(block);
  }
}
