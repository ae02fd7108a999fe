// A caffe.proto that only adds to Caffe's schema: a repository of new layers often ships, at Caffe's
// place or beside its nets, a caffe.proto holding just its additions, to be merged into a Caffe
// checkout's (PSANet's adds `pointwise_spatial_attention_param` to LayerParameter and its message).
// Such a file defines no NetParameter; the nets it serves are read against BVLC's schema with its
// messages, fields and enums added.
//
//   isAdditions(data)           -> whether a proto's data is such a file
//   withAdditions(base, added)  -> base's data with them (base's own definitions win)

import type { EnumDef, FieldDef, MessageDef, SchemaData } from './model';

const PACKAGE = 'caffe';
const NET = 'caffe.NetParameter';

/** Whether `data` adds to Caffe's schema without being one: package caffe (or none), no NetParameter. */
export function isAdditions(data: SchemaData): boolean {
  if (data.package !== '' && data.package !== PACKAGE) return false;
  if (data.messages.length === 0 && data.enums.length === 0) return false;
  return !data.messages.some((m) => qualified(m.fullName, data.package) === NET);
}

/**
 * `base` with the messages and enums of `added` that it lacks, and the fields and enum values added to
 * those it has (a field whose name the message already has is left out: base's definition wins). A
 * field whose number base's message gives another field is kept: text files name their fields, and
 * additions written against an older Caffe may use a number BVLC took later (147, swish_param), free in
 * the Caffe they are merged into. A type `added`
 * refers to without defining it is looked up in the result (`FillerParameter` in a file without
 * package means `caffe.FillerParameter`). `base` is not changed.
 */
export function withAdditions(base: SchemaData, added: SchemaData): SchemaData {
  const pkg = added.package;
  const messages = new Map<string, MessageDef>(base.messages.map((m) => [m.fullName, m]));
  const enums = new Map<string, EnumDef>(base.enums.map((e) => [e.fullName, e]));
  const newFields: FieldDef[] = [];
  for (const m of added.messages) {
    const fullName = qualified(m.fullName, pkg);
    const fields = m.fields.map((f) => ({ ...f }));
    const had = messages.get(fullName);
    if (!had) {
      messages.set(fullName, { ...m, fullName, fields });
      newFields.push(...fields);
      continue;
    }
    const names = new Set(had.fields.map((f) => f.name));
    const extra = fields.filter((f) => !names.has(f.name));
    if (extra.length > 0) messages.set(fullName, { ...had, fields: [...had.fields, ...extra] });
    newFields.push(...extra);
  }
  for (const e of added.enums) {
    const fullName = qualified(e.fullName, pkg);
    const had = enums.get(fullName);
    if (!had) {
      enums.set(fullName, { ...e, fullName });
      continue;
    }
    const names = new Set(had.values.map((v) => v.name));
    const extra = e.values.filter((v) => !names.has(v.name));
    if (extra.length > 0) enums.set(fullName, { ...had, values: [...had.values, ...extra] });
  }
  for (const field of newFields) {
    if (field.kind === 'scalar') continue;
    const type = [qualified(field.type, pkg), `${PACKAGE}.${field.type}`].find(
      (t) => messages.has(t) || enums.has(t),
    );
    if (type === undefined) continue;
    field.type = type;
    field.kind = messages.has(type) ? 'message' : 'enum';
  }
  return { package: PACKAGE, messages: [...messages.values()], enums: [...enums.values()] };
}

/** A full name of a file without package, as the name it has once merged into package caffe. */
function qualified(name: string, pkg: string): string {
  return pkg === '' && !name.startsWith(`${PACKAGE}.`) ? `${PACKAGE}.${name}` : name;
}

/**
 * The messages among a proto's `errors` that still stand once its additions are merged into `merged`:
 * a type it names without defining (`unknown type 'FillerParameter' for field 'filler'`) is known there.
 */
export function standingErrors<E extends { message: string }>(errors: readonly E[], merged: SchemaData): E[] {
  const known = new Set([...merged.messages.map((m) => m.fullName), ...merged.enums.map((e) => e.fullName)]);
  return errors.filter((e) => {
    const type = /^unknown type '([^']+)' for field /.exec(e.message)?.[1];
    return type === undefined || !(known.has(type) || known.has(`${PACKAGE}.${type}`));
  });
}
