// textDocument/definition: a Python layer's module, class, name or type -> its Python file and class
// (definition/python-layer.ts); a solver's net path -> the net file (shared/solver-paths.ts); a bottom -> the top(s) that produce the blob it reads; an in-place top
// -> the layer that first produced the blob; a field name (or an enum value) -> its line in the user's
// caffe.proto when one is loaded (the bundled schema has no file to open); a layer type -> where the
// Caffe checkout of that caffe.proto registers it (schema/checkout-layers.ts).

import { pathToFileURL } from 'node:url';
import type { DefinitionParams, Location, LocationLink, Range } from 'vscode-languageserver';
import {
  isDeclaration,
  occurrenceAt,
  producersOf,
  type NameIndex,
  type NameOccurrence,
} from '../../analysis/model/names';
import { namesOf } from '../shared/name-index';
import type { FieldNode, Span } from '../../parser/ast';
import type { SourceLocation } from '../../schema/model';
import { BVLC_TYPE_NAMES } from '../../schema/layer-types';
import { Cursor, type AnalyzedDocument, type Services } from '../context';
import { solverPathDefinition } from '../shared/solver-paths';
import { pythonLayerDefinition } from './python-layer';
import { netsOf } from '../../analysis/model/embedded-nets';

interface Target {
  uri: string;
  /** What a peek view shows (the whole layer for a blob). */
  range: Range;
  /** What is selected on arrival. */
  selection: Range;
}

export function provideDefinition(
  input: AnalyzedDocument,
  params: DefinitionParams,
  services?: Services,
): Location[] | LocationLink[] | null {
  const cursor = new Cursor(input, params.position);
  const python = services ? pythonLayerDefinition(cursor, services.python) : undefined;
  if (python) return python;
  const { doc } = input;
  const offset = cursor.offset;
  const netFile = solverPathDefinition(input, offset, services?.roots ?? []);
  if (netFile) return netFile;
  const index = namesOf(input);
  const occ = occurrenceAt(index, offset);
  if (occ) {
    const targets = nameTargets(input, index, occ);
    return answer(input, targets, doc.lines.rangeOf(occ.value.start, occ.value.end));
  }
  const registration = layerTypeTarget(input, offset);
  if (registration)
    return answer(
      input,
      [registration.target],
      doc.lines.rangeOf(registration.origin.start, registration.origin.end),
    );
  const schemaHit = schemaTarget(input, offset);
  if (schemaHit)
    return answer(input, [schemaHit.target], doc.lines.rangeOf(schemaHit.origin.start, schemaHit.origin.end));
  return null;
}

function answer(
  input: AnalyzedDocument,
  targets: Target[],
  origin: Range,
): Location[] | LocationLink[] | null {
  if (targets.length === 0) return null;
  if (input.client.definitionLinks) {
    return targets.map((t) => ({
      originSelectionRange: origin,
      targetUri: t.uri,
      targetRange: t.range,
      targetSelectionRange: t.selection,
    }));
  }
  return targets.map((t) => ({ uri: t.uri, range: t.selection }));
}

/** Producers for a bottom or in-place top; a declaration (or any other name) points at itself. */
function nameTargets(input: AnalyzedDocument, index: NameIndex, occ: NameOccurrence): Target[] {
  const producers = producersOf(index, occ);
  const chosen =
    producers.length > 0 ? producers : isDeclaration(index, occ) || occ.role !== 'bottom' ? [occ] : [];
  return chosen.map((o) => occurrenceTarget(input, index, o));
}

function occurrenceTarget(input: AnalyzedDocument, index: NameIndex, occ: NameOccurrence): Target {
  const lines = input.doc.lines;
  const selection = lines.rangeOf(occ.value.start, occ.value.end);
  const layer = occ.layer >= 0 ? index.scopes[occ.scope]?.net.layers[occ.layer] : undefined;
  const whole: Span = layer ? layer.node : occ.value;
  return { uri: input.doc.uri, range: lines.rangeOf(whole.start, whole.end), selection };
}

/** A layer's `type` value under the cursor -> where the schema's Caffe checkout registers that type. */
function layerTypeTarget(
  input: AnalyzedDocument,
  offset: number,
): { target: Target; origin: Span } | undefined {
  const checkout = input.schema.layerTypes;
  for (const net of netsOf(input.analysis)) {
    for (const layer of net.layers) {
      const span = layer.typeSpan;
      if (!span || offset < span.start || offset > span.end) continue;
      // The checkout's registration, else the repository's own for a type BVLC lacks.
      const registration = checkout
        ? checkout.registrations.get(layer.type)
        : BVLC_TYPE_NAMES.has(layer.type)
          ? undefined
          : input.repositoryLayerType?.(layer.type);
      const target =
        registration && protoTarget({ file: registration.file, line: registration.line, character: 0 }, 0);
      return target && { target, origin: span };
    }
  }
  return undefined;
}

/** A field name, or an enum value, under the cursor, resolved to a definition in a user proto. */
function schemaTarget(input: AnalyzedDocument, offset: number): { target: Target; origin: Span } | undefined {
  if (input.schema.kind !== 'user') return undefined;
  const field = fieldAt(
    input.analysis.resolved.entries.map((e) => e.node),
    offset,
  );
  if (!field) return undefined;
  const def = input.analysis.resolved.fields.get(field.node);
  if (!def) return undefined;
  if (field.part === 'name') {
    const target = protoTarget(def.location, def.name.length);
    return target && { target, origin: field.node.nameSpan };
  }
  const value = field.node.value;
  if (def.kind !== 'enum' || value?.kind !== 'identifier') return undefined;
  const enumDef = input.schema.schema.enumOf(def);
  const target = protoTarget(enumDef?.location, enumDef?.name.length ?? 0);
  return target && { target, origin: value };
}

function protoTarget(location: SourceLocation | undefined, length: number): Target | undefined {
  if (!location?.file) return undefined;
  let uri: string;
  try {
    uri = pathToFileURL(location.file).toString();
  } catch {
    return undefined;
  }
  const start = { line: location.line, character: location.character };
  const range = { start, end: { line: location.line, character: location.character + length } };
  return { uri, range, selection: range };
}

/** The innermost field whose name or scalar value contains the offset (end inclusive). */
function fieldAt(
  entries: readonly FieldNode[],
  offset: number,
): { node: FieldNode; part: 'name' | 'value' } | undefined {
  let found: { node: FieldNode; part: 'name' | 'value' } | undefined;
  for (const node of entries) {
    if (offset < node.start || offset > node.end) continue;
    if (node.nameSpan.start <= offset && offset <= node.nameSpan.end) found = { node, part: 'name' };
    else if (
      node.value &&
      node.value.kind !== 'message' &&
      node.value.start <= offset &&
      offset <= node.value.end
    )
      found = { node, part: 'value' };
  }
  return found;
}
