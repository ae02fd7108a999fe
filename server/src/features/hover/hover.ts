// textDocument/hover: a Python layer's module, class and param_str what they resolve to
// (hover/python-layer.ts); a field name its definition; an enum value the enum; a layer type what the
// layer does; a blob name its producers, consumers and shape; a layer name its size and cost.

import path from 'node:path';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { Span } from '../../parser/ast';
import { inLayerBlock, type FieldValueQuery } from '../../analysis/query';
import { graphsOf, shapesOf } from '../shared/net-views';
import type { EnumDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { mergingForkOf } from '../../schema/bundled';
import { ALL_LAYER_TYPES, findLayerType } from '../../schema/layer-types';
import type { DeclaredCounts } from '../../schema/checkout-layers';
import type { LayerTypeInfo } from '../../schema/layer-type-info';
import { PLUGIN_LAYER_TYPES, pluginRegistration } from '../../schema/plugin-layer-types';
import { Cursor, type AnalyzedDocument, type Services } from '../context';
import { pythonLayerHover } from './python-layer';
import { layerTypeDoc } from '../completion/layer-types';
import { Doc, ENUM_CAP } from '../shared/field-docs';
import {
  changedSourceLine,
  elsewhereFieldHover,
  fieldHover,
  forkChangedLine,
  sourceLine,
} from './field-hover';
import { blobHover, layerHover, NetView, type BlobSite } from './net';
import { trainingHover } from './training';

const LAYER_MESSAGES = new Set(['caffe.LayerParameter', 'caffe.V1LayerParameter']);

export function provideHover(
  input: AnalyzedDocument,
  params: HoverParams,
  services?: Services,
): Hover | null {
  const cursor = new Cursor(input, params.position);
  const python = services ? pythonLayerHover(cursor, services.python) : undefined;
  if (python) return python;
  const q = cursor.q;
  const markdown = input.client.markdown;
  switch (q.kind) {
    case 'fieldName': {
      if (!q.def) {
        // Under a caffe.proto the user chose, a field bundled schemas have is shown as they define it.
        const elsewhere =
          input.schema.kind === 'user' ? elsewhereFieldHover(q.parentDef, q.field.name, markdown) : undefined;
        return elsewhere ? hover(input, elsewhere, q.field.nameSpan) : null;
      }
      const forks = input.analysis.resolved.forkFields.get(q.field);
      const options = { forks, roots: services?.roots, forkSchemas: forkSchemas(input, forks) };
      const text = fieldHover(q.def, q.parentDef, q.schema, markdown, options);
      return hover(input, withExtra(text, trainingHover(input, q, services)) ?? text, q.field.nameSpan);
    }
    case 'fieldValue': {
      if (!q.value) return null;
      const text = withExtra(valueHover(input, q, services?.roots), trainingHover(input, q, services));
      return text ? hover(input, text, q.value) : null;
    }
    default:
      return null;
  }
}

function valueHover(
  input: AnalyzedDocument,
  q: FieldValueQuery,
  roots: readonly string[] | undefined,
): string | undefined {
  const value = q.value;
  const def = q.def;
  if (!value || !def) return undefined;
  const markdown = input.client.markdown;
  const parent = q.blockDef?.fullName;
  const layer = inLayerBlock(q) && parent && LAYER_MESSAGES.has(parent) ? q.layer : undefined;
  const net = layerOrInput(q) ? q.net : undefined;
  const view = net ? new NetView(graphsOf(input, net), shapesOf(input, net)) : undefined;

  if (layer && view && value.kind === 'string' && (def.name === 'bottom' || def.name === 'top')) {
    const list = def.name === 'bottom' ? layer.bottoms : layer.tops;
    const slot = list.findIndex((b) => b.span.start === value.start);
    if (slot >= 0) return blobHover(view, value.value, { layer, side: def.name, slot }, markdown);
  }
  if (view && q.path.length === q.netDepth && def.name === 'input' && value.kind === 'string') {
    const index = view.net.inputs.findIndex((i) => i.span.start === value.start);
    const site: BlobSite = { input: index };
    if (index >= 0) return blobHover(view, value.value, site, markdown);
  }
  if (layer && view && def.name === 'name' && value.kind === 'string') {
    return layerHover(view, layer, markdown);
  }
  if (layer && def.name === 'type' && layer.typeSpan === value) {
    // Under a merging fork's own schema, its entry for the type (Synopsys Caffe's ShuffleChannel).
    const fork = mergingForkOf(q.schema);
    const info =
      (fork !== undefined ? findLayerType(layer.type, fork) : findLayerType(layer.type)) ??
      ALL_LAYER_TYPES.find((t) => t.type === layer.type);
    const doc = new Doc(markdown);
    doc.raw(`**layer type** ${doc.c(layer.type || '?')}`, `layer type ${layer.type || '?'}`);
    if (layer.rawType && layer.rawType !== layer.type) {
      doc.text(`Written the V${layer.format === 'v0' ? '0' : '1'} way as ${layer.rawType}.`);
    }
    const checkout = input.schema.layerTypes;
    // Else, for a type BVLC lacks, the repository's own sources may register it.
    const inRepository =
      !checkout && !findLayerType(layer.type) ? input.repositoryLayerType?.(layer.type) : undefined;
    const registered = checkout?.registrations.get(layer.type) ?? inRepository;
    // The checkout's class says how many blobs the type takes there (a fork may differ from BVLC).
    const declared = registered && checkout?.counts.get(layer.type);
    const base =
      info ??
      (registered && {
        type: layer.type,
        description: inRepository
          ? 'Registered by a source of this repository: the Caffe built with it knows the type.'
          : 'Registered by the Caffe checkout.',
        params: [...(checkout?.params.get(layer.type) ?? [])],
      });
    const shown = base && declared ? { ...base, ...countsOf(declared) } : base;
    if (shown) doc.raw(layerTypeDoc(shown, markdown), layerTypeDoc(shown, false));
    else {
      doc.text('Not a layer type BVLC Caffe or the known forks register.');
      const plugin = PLUGIN_LAYER_TYPES.get(layer.type);
      if (plugin) doc.text(`It is ${plugin.what}; ${pluginRegistration(plugin)}.`);
    }
    if (registered) sourceLine(doc, 'Registered in', registered.file, registered.line, roots ?? []);
    else if (checkout && layer.type !== '')
      doc.text('Not registered by the sources of the Caffe checkout whose caffe.proto this file uses.');
    const changed = checkout?.modified.get(layer.type);
    if (checkout && changed !== undefined)
      changedSourceLine(doc, layer.type, path.join(checkout.root, changed), roots ?? []);
    const forkChanged = checkout ? undefined : q.schema.changedLayers?.get(layer.type);
    if (forkChanged !== undefined) forkChangedLine(doc, q.schema, layer.type, forkChanged);
    return doc.toString();
  }
  const en = q.schema.enumOf(def);
  if (en && value.kind === 'identifier') return enumHover(en, value.name, markdown);
  const forks = input.analysis.resolved.forkFields.get(q.field);
  return fieldHover(def, q.blockDef, q.schema, markdown, {
    forks,
    roots,
    forkSchemas: forkSchemas(input, forks),
  });
}

/** The schemas of the forks that define a field (for its message and enum types). */
function forkSchemas(input: AnalyzedDocument, forks: readonly string[] | undefined): Schema[] | undefined {
  if (!forks || forks.length === 0) return undefined;
  return input.schema.forks.filter((f) => forks.includes(f.name)).map((f) => f.schema);
}

/** Shapes are only worth inferring for a blob or layer name. */
function layerOrInput(q: FieldValueQuery): boolean {
  const name = q.def?.name;
  if (q.path.length === q.netDepth + 1) return name === 'bottom' || name === 'top' || name === 'name';
  return q.path.length === q.netDepth && name === 'input';
}

/** The value's meaning, then the enum's values (capped), the hovered one in bold. */
function enumHover(en: EnumDef, name: string, markdown: boolean): string {
  const doc = new Doc(markdown);
  const value = en.values.find((v) => v.name === name);
  if (value) {
    doc.code(`${name} = ${value.number}`);
    if (value.doc) doc.text(value.doc);
  } else {
    doc.text(`${name} is not a value of ${en.name}.`);
  }
  const values = en.values.slice(0, ENUM_CAP).map((v) => (v.name === name ? doc.b(v.name) : doc.c(v.name)));
  const more = en.values.length > ENUM_CAP ? `, +${en.values.length - ENUM_CAP} more` : '';
  const line = `${en.name}: ${values.join(', ')}${more}`;
  doc.raw(line, line);
  if (en.doc) doc.text(en.doc);
  return doc.toString();
}

/** A hover's text with the training paragraphs around it (hover/training.ts). */
function withExtra(text: string | undefined, extra: { before?: string; after?: string }): string | undefined {
  const parts = [extra.before, text, extra.after].filter((p): p is string => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function hover(input: AnalyzedDocument, text: string, span: Span): Hover {
  return {
    contents: { kind: input.client.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value: text },
    range: input.doc.lines.rangeOf(span.start, span.end),
  };
}

/** A layer class's declared counts as the layer-type table writes them. */
function countsOf(d: DeclaredCounts): Pick<LayerTypeInfo, 'bottoms' | 'tops' | 'equalBottomTop'> {
  const count = (exact: number, min: number, max: number) =>
    exact >= 0
      ? { min: exact, max: exact }
      : min >= 0 || max >= 0
        ? { min: Math.max(0, min), ...(max >= 0 ? { max } : {}) }
        : undefined;
  return {
    bottoms: count(d.exactBottom, d.minBottom, d.maxBottom),
    tops: count(d.exactTop, d.minTop, d.maxTop),
    equalBottomTop: d.equal,
  };
}
