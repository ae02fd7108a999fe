// The hover of a field: its signature, where it is declared (a link that opens the proto at that
// line, the path relative to the workspace), what it means, what a message field holds (its fields with
// types and defaults), an enum's values, the whole story of a field only forks define, and a field the
// chosen caffe.proto lacks as a bundled schema that has it defines it.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_FORKS, bundledLabel, bundledWithField, type BundledName } from '../../schema/bundled';
import { bundledChoice } from '../../workspace/bundled-choices';
import { releasedBy } from '../../schema/checkout-layers';
import type { FieldDef, MessageDef, SourceLocation } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { defaultText, Doc, ENUM_CAP, escapeMarkdown, fieldSignature, typeName } from '../shared/field-docs';

export interface FieldHoverOptions {
  /** The bundled forks that define the field, when BVLC's schema does not. */
  forks?: readonly string[];
  /** Workspace folders: where the field is declared is shown relative to them. */
  roots?: readonly string[];
  /** Schemas of those forks, where the field's message or enum type is found when BVLC lacks it. */
  forkSchemas?: readonly Schema[];
}

/**
 * The hover text of a field: signature, where it is declared, what it means, and what it holds
 * (a message's own description and fields, an enum's values).
 */
export function fieldHover(
  def: FieldDef,
  parent: MessageDef | undefined,
  schema: Schema,
  markdown: boolean,
  options: FieldHoverOptions = {},
): string {
  const doc = new Doc(markdown);
  doc.code(fieldSignature(def));
  const where: string[] = [];
  if (parent) where.push(`Field ${def.number} of ${doc.c(parent.fullName)}`);
  if (def.oneof) where.push(`in oneof ${doc.c(def.oneof)}`);
  if (where.length > 0) doc.raw(where.join(', ') + '.', where.join(', ') + '.');
  if (def.deprecated) doc.raw('*Deprecated.*', 'Deprecated.');
  if (def.doc) doc.text(def.doc);
  const inForks = options.forkSchemas ?? [];
  const message = schema.messageOf(def) ?? firstOf(inForks, (s) => s.messageOf(def));
  const en = schema.enumOf(def) ?? firstOf(inForks, (s) => s.enumOf(def));
  if (en) {
    const names = en.values.map((v) => v.name);
    const shown = names.slice(0, ENUM_CAP);
    const more = names.length > ENUM_CAP ? `, +${names.length - ENUM_CAP} more` : '';
    doc.raw(`Values: ${shown.map((n) => doc.c(n)).join(', ')}${more}`, `Values: ${shown.join(', ')}${more}`);
  }
  // What a message field holds comes right after what it is; the message's own words follow.
  if (message) messageFieldsBlock(doc, message);
  if (message?.doc && message.doc !== def.doc) doc.text(`${message.name}: ${message.doc}`);
  if (def.label === 'required') doc.text('Required: Caffe rejects the file without it.');
  if (options.forks && options.forks.length > 0) forkStory(doc, options.forks);
  if (schema.source.kind === 'user' && def.location) declaredIn(doc, def.location, options.roots ?? []);
  return doc.toString();
}

function firstOf<T>(schemas: readonly Schema[], find: (s: Schema) => T | undefined): T | undefined {
  for (const s of schemas) {
    const found = find(s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** How many fields of a message a hover lists before "+N more" (enough for every *_param of BVLC). */
export const MESSAGE_FIELDS_CAP = 24;

/**
 * The fields of `message` as a small table in a code block, one per line in declaration order,
 * deprecated ones left out: `num_output    uint32`, `bias_term     bool = true`.
 */
export function messageFieldsBlock(doc: Doc, message: MessageDef): void {
  const fields = message.fields.filter((f) => !f.deprecated);
  if (fields.length === 0) return;
  const shown = fields.slice(0, MESSAGE_FIELDS_CAP);
  const width = Math.max(...shown.map((f) => f.name.length));
  const lines = shown.map((f) => `${f.name.padEnd(width)}  ${fieldType(f)}`);
  const more = fields.length - shown.length;
  doc.raw(`${doc.c(message.name)} holds:`, `${message.name} holds:`);
  doc.code(lines.join('\n') + (more > 0 ? `\n… +${more} more` : ''), 'text');
}

/** `repeated uint32`, `bool = true`, `Engine = DEFAULT`, `FillerParameter`. */
function fieldType(def: FieldDef): string {
  const dflt = defaultText(def);
  const label = def.label === 'optional' ? '' : `${def.label} `;
  return `${label}${typeName(def)}${dflt === undefined ? '' : ` = ${dflt}`}`;
}

/**
 * "Declared in caffe-fast-rcnn/src/caffe/proto/caffe.proto:551": the path relative to the workspace
 * folder holding it (else absolute), as a link that opens the proto at that line.
 */
export function declaredIn(doc: Doc, location: SourceLocation, roots: readonly string[]): void {
  sourceLine(doc, 'Declared in', location.file, location.line, roots);
}

/** "`words` file:line", the path relative to the workspace folder holding it, as a link to that line. */
export function sourceLine(
  doc: Doc,
  words: string,
  file: string,
  line: number,
  roots: readonly string[],
): void {
  const shown = `${shownPath(file, roots)}:${line + 1}`;
  const uri = `${pathToFileURL(file).toString()}#L${line + 1}`;
  doc.raw(`${words} [${escapeLinkText(shown)}](${uri}).`, `${words} ${shown}.`);
}

/** That a Caffe checkout changed the source of BVLC's `type` (`file`, absolute), with a link to it. */
export function changedSourceLine(doc: Doc, type: string, file: string, roots: readonly string[]): void {
  const shown = shownPath(file, roots);
  const said = `This checkout changed ${type}:`;
  const maker = releasedBy(type);
  const rest =
    `is none of ${maker}'s versions, so the shapes inferred from ${maker}'s ${type} may not be this Caffe's, ` +
    'and shape errors after it are warnings.';
  doc.raw(
    `${said} [${escapeLinkText(shown)}](${pathToFileURL(file).toString()}) ${rest}`,
    `${said} ${shown} ${rest}`,
  );
}

/** The same for a bundled fork whose sources rewrote the type (`file` is relative to its checkout). */
export function forkChangedLine(doc: Doc, schema: Schema, type: string, file: string): void {
  const caffe = schema.source.label.replace(/ \(.*$/, '');
  const said = `${caffe} changed ${type}: its`;
  const rest =
    `is none of BVLC's versions, so the shapes inferred from BVLC's ${type} may not be ${caffe}'s, ` +
    'and shape errors after it are warnings.';
  doc.raw(`${escapeMarkdown(said)} ${doc.c(file)} ${escapeMarkdown(rest)}`, `${said} ${file} ${rest}`);
}

/** `file` relative to the workspace root holding it, else as it is. */
function shownPath(file: string, roots: readonly string[]): string {
  const root = roots.find((r) => file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  return root ? path.relative(root, file) : file;
}

function escapeLinkText(text: string): string {
  return text.replace(/([\\[\]])/g, '\\$1');
}

/** Why a fork's field is a warning under the bundled schema, and how to check the file exactly. */
export function forkStory(doc: Doc, forkNames: readonly string[]): void {
  const forks = forkNames.map((n) => BUNDLED_FORKS.find((f) => f.name === n));
  const labels = forkNames.map((n, i) => forks[i]?.label ?? n);
  doc.text(
    `Not in BVLC Caffe's caffe.proto: defined by ${labels.join(', ')}. The file is checked against ` +
      `the bundled BVLC schema, which warns about fields only forks define and checks what they hold ` +
      `against the fork.`,
  );
  const first = forks.find((f) => f !== undefined);
  const where = first ? ` (${first.protoPath} in a checkout of ${first.repository})` : '';
  const shipped = forks.flatMap((f) => (f ? [`bundled:${f.name}`] : []));
  doc.raw(
    `To check the file exactly, choose that fork's ${doc.c('caffe.proto')}${escapeMarkdown(where)} or the one ` +
      `shipped with the extension (${shipped.map((s) => doc.c(s)).join(' or ')}): click the schema in ` +
      `the status bar, or set ${doc.c('prototxt.schema.paths')} (the CLI's ${doc.c('--schema')}).`,
    `To check the file exactly, choose that fork's caffe.proto${where} or the one shipped with the ` +
      `extension (${shipped.join(' or ')}): click the schema in the status bar, or set ` +
      `prototxt.schema.paths (the CLI's --schema).`,
  );
}

/**
 * The hover of a field `name` of `message` that the caffe.proto the user chose lacks, when bundled
 * schemas have it: its definition in the first of them, and which define it. Undefined otherwise.
 */
export function elsewhereFieldHover(
  message: MessageDef | undefined,
  name: string,
  markdown: boolean,
): string | undefined {
  if (!message) return undefined;
  const holders = bundledWithField(message.fullName, name);
  const schema = holders.length > 0 ? bundledSchema(holders[0]) : undefined;
  const def = schema?.field(message.fullName, name);
  if (!schema || !def) return undefined;
  const doc = new Doc(markdown);
  const labels = holders.map(bundledLabel);
  const listed =
    labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
  doc.text(
    `Not in the caffe.proto in use: ${listed} ${labels.length === 1 ? 'defines' : 'define'} it ` +
      `(shown as ${labels[0]}'s). Caffe built with this caffe.proto rejects the file.`,
  );
  const shipped = holders.map((h) => `bundled:${h}`);
  doc.raw(
    `If the net is written for ${labels.length === 1 ? 'that Caffe' : 'one of them'}, check it against its ` +
      `${doc.c('caffe.proto')} or the one shipped with the extension (${shipped.map((x) => doc.c(x)).join(' or ')}): ` +
      `click the schema in the status bar, or set ${doc.c('prototxt.schema.paths')} (the CLI's ${doc.c('--schema')}).`,
    `If the net is written for ${labels.length === 1 ? 'that Caffe' : 'one of them'}, check it against its ` +
      `caffe.proto or the one shipped with the extension (${shipped.join(' or ')}): click the schema in the ` +
      `status bar, or set prototxt.schema.paths (the CLI's --schema).`,
  );
  return `${fieldHover(def, schema.message(message.fullName), schema, markdown)}\n\n${doc.toString()}`;
}

/** Bundled schemas read for such hovers, once each (they never change). */
const bundledSchemas = new Map<BundledName, Schema | undefined>();

function bundledSchema(name: BundledName): Schema | undefined {
  if (!bundledSchemas.has(name)) bundledSchemas.set(name, bundledChoice(`bundled:${name}`));
  return bundledSchemas.get(name);
}
