// A schema ready for look-ups: the data of one caffe.proto indexed by name.

import { internalized } from '../parser/vocabulary';
import type { CheckoutLayerTypes } from './checkout-layers';
import type { EnumDef, FieldDef, MessageDef, SchemaData, SchemaSource } from './model';

const NO_FIELDS: ReadonlyMap<string, FieldDef> = new Map();

export class Schema {
  private readonly messagesByName = new Map<string, MessageDef>();
  private readonly enumsByName = new Map<string, EnumDef>();
  private readonly fieldsByMessage = new Map<string, Map<string, FieldDef>>();
  /**
   * What the sources of this proto's Caffe checkout say of its layers (registered types, the counts
   * their classes declare, the blocks they read), when they were read (the schema provider sets it);
   * otherwise BVLC's facts apply.
   */
  checkout?: CheckoutLayerTypes;
  /**
   * BVLC's layer types whose C++ this schema's Caffe rewrote -> the rewritten file: a bundled fork's,
   * read from its sources when its schema was generated (a checkout's own are `checkout.modified`).
   */
  changedLayers?: ReadonlyMap<string, string>;

  constructor(
    readonly data: SchemaData,
    readonly source: SchemaSource,
  ) {
    // Keyed by the parser's copies of the names (see parser/vocabulary.ts).
    for (const m of data.messages) {
      this.messagesByName.set(m.fullName, m);
      this.fieldsByMessage.set(m.fullName, new Map(m.fields.map((f) => [internalized(f.name), f])));
    }
    for (const e of data.enums) {
      this.enumsByName.set(e.fullName, e);
      for (const v of e.values) internalized(v.name);
    }
  }

  /** A message by full name ('caffe.LayerParameter') or, failing that, by name in the schema's package. */
  message(name: string): MessageDef | undefined {
    return this.messagesByName.get(name) ?? this.messagesByName.get(`${this.data.package}.${name}`);
  }

  enum(name: string): EnumDef | undefined {
    return this.enumsByName.get(name) ?? this.enumsByName.get(`${this.data.package}.${name}`);
  }

  field(message: MessageDef | string, fieldName: string): FieldDef | undefined {
    const full = typeof message === 'string' ? this.message(message)?.fullName : message.fullName;
    return full === undefined ? undefined : this.fieldsByMessage.get(full)?.get(fieldName);
  }

  /** The fields of `message` by name (for walks that look up every field of one block). */
  fieldsOf(message: MessageDef): ReadonlyMap<string, FieldDef> {
    return this.fieldsByMessage.get(message.fullName) ?? NO_FIELDS;
  }

  /** The message type of a message-typed field. */
  messageOf(field: FieldDef): MessageDef | undefined {
    return field.kind === 'message' ? this.message(field.type) : undefined;
  }

  enumOf(field: FieldDef): EnumDef | undefined {
    return field.kind === 'enum' ? this.enum(field.type) : undefined;
  }

  get messages(): readonly MessageDef[] {
    return this.data.messages;
  }

  get enums(): readonly EnumDef[] {
    return this.data.enums;
  }
}
