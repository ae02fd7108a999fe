// Field-name completion: the fields of the message the cursor is in, with what to insert (`name: `
// for scalars, a block for messages), their type and default as detail, and a relevance order.

import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Range,
} from 'vscode-languageserver';
import { ownEntry } from '../../../../common/tables';
import type { NetLayer } from '../../analysis/model/net';
import type { FieldDef, MessageDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { ALL_LAYER_TYPES, findLayerType } from '../../schema/layer-types';
import type { ClientAbilities } from '../../workspace/analyses';
import { fieldDetail } from '../shared/field-docs';

/** Fields people write first in the messages they write most; the rest follow in .proto order. */
const FIRST: Readonly<Record<string, readonly string[]>> = {
  'caffe.LayerParameter': ['name', 'type', 'bottom', 'top', 'param', 'include', 'exclude', 'loss_weight'],
  'caffe.V1LayerParameter': ['name', 'type', 'bottom', 'top', 'blobs_lr', 'weight_decay', 'include'],
  'caffe.NetParameter': ['name', 'layer', 'input', 'input_shape', 'force_backward', 'state'],
  'caffe.SolverParameter': [
    'net',
    'test_iter',
    'test_interval',
    'base_lr',
    'lr_policy',
    'gamma',
    'stepsize',
    'stepvalue',
    'power',
    'momentum',
    'weight_decay',
    'max_iter',
    'display',
    'snapshot',
    'snapshot_prefix',
    'solver_mode',
    'type',
  ],
  'caffe.PythonParameter': ['module', 'layer', 'param_str', 'share_in_parallel'],
  'caffe.ConvolutionParameter': [
    'num_output',
    'kernel_size',
    'stride',
    'pad',
    'weight_filler',
    'bias_filler',
  ],
  'caffe.PoolingParameter': ['pool', 'kernel_size', 'stride', 'pad', 'global_pooling'],
  'caffe.InnerProductParameter': ['num_output', 'weight_filler', 'bias_filler'],
  'caffe.NetStateRule': ['phase', 'stage', 'not_stage'],
  'caffe.FillerParameter': ['type', 'std', 'value', 'min', 'max'],
  'caffe.ParamSpec': ['lr_mult', 'decay_mult', 'name'],
};

/** Fields caffe.proto's comments call deprecated without marking them so (V1 nets, the old solver enum). */
const LEGACY = new Set([
  'caffe.NetParameter.layers',
  'caffe.NetParameter.input_dim',
  'caffe.SolverParameter.solver_type',
]);

function isDeprecated(f: FieldDef, def: MessageDef): boolean {
  return f.deprecated === true || LEGACY.has(`${def.fullName}.${f.name}`);
}

export interface FieldItemsOptions {
  def: MessageDef;
  /** Fields already written in the block: singular ones are left out. */
  present: ReadonlySet<string>;
  /** The text range the item replaces (the identifier being typed, or an empty range). */
  range: Range;
  client: ClientAbilities;
  /** The layer around the cursor, to rank the parameter block its type reads first. */
  layer?: NetLayer;
  /** The schema in use: its Caffe checkout may tell the blocks a fork's type reads. */
  schema?: Schema;
  /** The cursor is on a written name (`num_o|utput: 3`): insert the bare name. */
  nameOnly?: boolean;
}

/** One item per field of `def` that may still be written. */
export function fieldItems(o: FieldItemsOptions): CompletionItem[] {
  const first = ownEntry(FIRST, o.def.fullName) ?? [];
  const layerParams = o.layer ? layerParamBlocks(o.layer, o.schema) : [];
  const taken = takenOneofs(o.def, o.present);
  const items: CompletionItem[] = [];
  o.def.fields.forEach((f, index) => {
    if (f.label !== 'repeated' && o.present.has(f.name)) return;
    if (f.oneof !== undefined && taken.has(f.oneof)) return;
    const rank = rankOf(f, first, layerParams, o.def);
    const item: CompletionItem = {
      label: f.name,
      kind:
        f.kind === 'message'
          ? CompletionItemKind.Module
          : f.kind === 'enum'
            ? CompletionItemKind.Enum
            : CompletionItemKind.Field,
      detail: fieldDetail(f),
      sortText: `${rank}${String(index).padStart(4, '0')}`,
      filterText: f.name,
    };
    if (f.doc) {
      item.documentation = o.client.markdown ? { kind: MarkupKind.Markdown, value: f.doc } : f.doc;
    }
    if (isDeprecated(f, o.def)) item.tags = [CompletionItemTag.Deprecated];
    const insert = insertion(f, o.client.snippets, o.nameOnly === true);
    item.textEdit = { range: o.range, newText: insert.text };
    if (insert.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
    items.push(item);
  });
  return items;
}

/** 0: the layer's own param block, 1: commonly written, 2: required, 3: the rest, 4: other layers' param blocks, 9: deprecated. */
function rankOf(
  f: FieldDef,
  first: readonly string[],
  layerParams: readonly string[],
  def: MessageDef,
): string {
  if (isDeprecated(f, def)) return '9';
  if (layerParams.includes(f.name)) return '1' + String(layerParams.indexOf(f.name));
  const i = first.indexOf(f.name);
  if (i >= 0)
    return (i < 4 && def.fullName.endsWith('LayerParameter') ? '0' : '2') + String.fromCharCode(97 + i);
  if (f.label === 'required') return '3';
  if (def.fullName === 'caffe.LayerParameter' && f.name.endsWith('_param') && f.name !== 'transform_param') {
    return '6';
  }
  return '4';
}

/**
 * The `*_param` blocks the layer's type reads (e.g. convolution_param for "Convolution"), with those
 * the schema's Caffe checkout reads for it.
 */
function layerParamBlocks(layer: NetLayer, schema: Schema | undefined): string[] {
  if (!layer.type) return [];
  const known =
    (findLayerType(layer.type) ?? ALL_LAYER_TYPES.find((t) => t.type === layer.type))?.params ?? [];
  const own = schema?.checkout?.params.get(layer.type);
  return own ? [...new Set([...known, ...own])] : known;
}

/** Oneof groups that already have a member written. */
function takenOneofs(def: MessageDef, present: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const f of def.fields) if (f.oneof !== undefined && present.has(f.name)) out.add(f.oneof);
  return out;
}

function insertion(f: FieldDef, snippets: boolean, nameOnly: boolean): { text: string; snippet: boolean } {
  if (nameOnly) return { text: f.name, snippet: false };
  if (f.kind !== 'message') return { text: `${f.name}: `, snippet: false };
  return snippets
    ? { text: `${f.name} {\n\t$0\n}`, snippet: true }
    : { text: `${f.name} { }`, snippet: false };
}
