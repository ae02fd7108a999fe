// The schema model: messages, fields and enums of a caffe.proto, from the bundled data or a
// user's .proto file read at run time.

export type ScalarType =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

export type Label = 'optional' | 'required' | 'repeated';

/** Where a definition is written in a .proto file (0-based line and character). */
export interface SourceLocation {
  file: string;
  line: number;
  character: number;
}

export interface FieldDef {
  name: string;
  number: number;
  label: Label;
  /** 'scalar' when `type` is a ScalarType; otherwise `type` is the full name of a message or enum. */
  kind: 'scalar' | 'message' | 'enum';
  /** A ScalarType, or a fully qualified name without leading dot, e.g. 'caffe.FillerParameter'. */
  type: string;
  /** The `[default = ...]` option as written in the .proto (enum name, number text, 'true', string). */
  default?: string;
  deprecated?: boolean;
  /** Name of the enclosing oneof, if any. */
  oneof?: string;
  doc?: string;
  location?: SourceLocation;
}

export interface MessageDef {
  /** Fully qualified, e.g. 'caffe.LayerParameter'. */
  fullName: string;
  name: string;
  fields: FieldDef[];
  doc?: string;
  location?: SourceLocation;
}

export interface EnumValueDef {
  name: string;
  number: number;
  doc?: string;
}

export interface EnumDef {
  fullName: string;
  name: string;
  values: EnumValueDef[];
  doc?: string;
  location?: SourceLocation;
}

/** Where a schema came from: the bundled BVLC data, or a .proto file on disk. */
export interface SchemaSource {
  kind: 'bundled' | 'user';
  /** Short label for people: 'BVLC Caffe (bundled)' or the file path. */
  label: string;
  /** The .proto file, for user schemas. */
  path?: string;
  /** For a schema shipped with the extension: its short name (`bvlc`, `ssd`, ...). */
  bundled?: string;
}

/** Plain data form of a schema (what the generator writes and the .proto reader returns). */
export interface SchemaData {
  package: string;
  messages: MessageDef[];
  enums: EnumDef[];
}
