// The net model: the layers of a NetParameter document (V2 `layer`, V1 `layers`, V0 `layers { layer }`)
// with their names, types, blobs, phase rules and parameter blocks, plus the legacy net inputs.
// Used by validation, hover, rename, the graph and shape inference. Pure: never throws on any tree.
//
//   buildNet(doc, schema?)              -> NetModel (every layer, in order)
//   (the layers a state keeps are in net-filter.ts, the blob graph of a list of layers in net-blobs.ts)

import type { DocumentNode, FieldNode, MessageNode, Span, ValueNode } from '../../parser/ast';
import type { Schema } from '../../schema/schema';
import { LayerFieldNames, LAYER, V0_LAYER, V1_LAYER } from './layer-fields';
import { readInputFields, readInputs, type LegacyInputFields, type NetInput } from './net-inputs';
import { addRefs, fieldsNamed, firstField, numberValue, refs, scalarText, type NameRef } from './net-read';
import { layerTypeFromV0, layerTypeFromV1 } from './net-legacy';
import { ParamBlockMap } from './param-blocks';
import { inputShapesFromComments, type StatedShapes } from '../shapes/input-shapes';

export type { NameRef } from './net-read';
export type { LegacyInputFields, NetInput } from './net-inputs';

export type Phase = 'TRAIN' | 'TEST';
export type NetFormat = 'v2' | 'v1' | 'v0';

/** One `include { }` / `exclude { }` block (NetStateRule). */
export interface StateRule {
  phase?: Phase;
  minLevel?: number;
  maxLevel?: number;
  stages: readonly string[];
  notStages: readonly string[];
  span: Span;
}

/** One `param { }` (ParamSpec); for V1 layers, built from `param: "name"`, `blobs_lr`, `weight_decay`. */
export interface ParamSpecInfo {
  name?: string;
  lrMult?: number;
  decayMult?: number;
  span: Span;
}

export interface NetLayer {
  /** Position in `NetModel.layers`. */
  index: number;
  format: NetFormat;
  /** '' when the layer has no name. */
  name: string;
  nameSpan?: Span;
  /** The V2 type string ('Convolution'), mapped from V1 enums and V0 names; '' when missing. */
  type: string;
  typeSpan?: Span;
  /** The type as written, for V1 (`CONVOLUTION`) and V0 (`conv`) layers. */
  rawType?: string;
  bottoms: NameRef[];
  tops: NameRef[];
  include: readonly StateRule[];
  exclude: readonly StateRule[];
  /** The `layer` / `layers` field. */
  node: FieldNode;
  /** The message holding the layer's own fields (for V0, the inner `layer { }`); absent when malformed. */
  body?: MessageNode;
  /** `*_param` blocks by field name (the first block when one is written twice). */
  paramBlocks: ReadonlyMap<string, MessageNode>;
  paramSpecs: readonly ParamSpecInfo[];
  /** The layer's `loss_weight` and `propagate_down` fields, in order (none in most layers). */
  perBlobFields: readonly FieldNode[];
  /**
   * The first `python_param` field among the layer's own fields, whatever its value (a Python layer's
   * module and class; read by every analysis, so found in the one pass over the fields).
   */
  pythonParam?: FieldNode;
  /**
   * The first field written directly in the layer that no schema defines for it (neither the one in
   * use nor a bundled one: a misspelling such as `botom` or `convolution_parm`). Protobuf stops at it,
   * so what Caffe would then check of the layer is left unsaid (one error for one cause).
   */
  unknownField?: FieldNode;
}

/** The `state { }` of the file (NetState). */
export interface NetStateInfo {
  phase?: Phase;
  level?: number;
  stages: string[];
}

export interface NetModel {
  name?: string;
  /** The format of the first layer; 'v2' for a file without layers. */
  format: NetFormat;
  layers: NetLayer[];
  inputs: NetInput[];
  /** The `input_shape` blocks and `input_dim` values the net writes, when it writes any. */
  inputFields?: LegacyInputFields;
  state: NetStateInfo;
  /** `force_backward: true`: every layer is asked for gradients (those it allows). */
  forceBackward?: true;
  /** Input shapes stated in `# input-shape:` comment lines (see shapes/input-shapes.ts). */
  inputShapes?: StatedShapes;
  /** The net sets a default precision of NVIDIA's Caffe (`default_forward_type` and the like). */
  nvidiaDefaults?: true;
}

/** Net-level fields of NVIDIA's Caffe alone: a net that writes one is written for it. */
const NVIDIA_NET_FIELDS = new Set([
  'default_forward_type',
  'default_backward_type',
  'default_forward_math',
  'default_backward_math',
]);

/**
 * `previous`: the net of an earlier version of the document, whose `layer`s read from the same field
 * objects (those an edit after them kept) at the same position are taken as they are.
 */
export function buildNet(doc: DocumentNode, schema?: Schema, previous?: NetModel): NetModel {
  const layers: NetLayer[] = [];
  const known = new LayerFieldNames(schema);
  let nvidiaDefaults = false;
  for (let f = 0; f < doc.fields.length; f++) {
    const field = doc.fields[f];
    if (field.value?.kind !== 'message') {
      if (NVIDIA_NET_FIELDS.has(field.name)) nvidiaDefaults = true;
      continue;
    }
    const was = previous?.layers[layers.length];
    if (field.name === 'layer')
      layers.push(was?.node === field ? was : baseLayer(field, field.value, layers.length, 'v2', known));
    else if (field.name === 'layers')
      layers.push(readOldLayer(field, field.value, layers.length, known, schema));
  }
  const nameField = firstField(doc.fields, 'name');
  const stateField = firstField(doc.fields, 'state');
  return {
    name: nameField ? scalarText(nameField.value) : undefined,
    format: layers[0]?.format ?? 'v2',
    layers,
    inputs: readInputs(doc.fields),
    ...inputFieldsOf(doc.fields),
    state: stateField?.value?.kind === 'message' ? readState(stateField.value) : { stages: [] },
    ...(isTrue(firstField(doc.fields, 'force_backward')?.value) ? { forceBackward: true } : {}),
    ...statedInComments(doc),
    ...(nvidiaDefaults ? { nvidiaDefaults: true as const } : {}),
  };
}

function inputFieldsOf(fields: readonly FieldNode[]): { inputFields?: LegacyInputFields } {
  const found = readInputFields(fields);
  return found ? { inputFields: found } : {};
}

function isTrue(value: ValueNode | undefined): boolean {
  const text = scalarText(value);
  return text !== undefined && /^(true|t|True|1)$/.test(text);
}

function statedInComments(doc: DocumentNode): { inputShapes?: StatedShapes } {
  if (!doc.comments.some((c) => c.text.includes('input-shape'))) return {};
  const { shapes } = inputShapesFromComments(doc.comments);
  return shapes.size > 0 ? { inputShapes: shapes } : {};
}

/** A V2 `param { }` block (ParamSpec). */
function paramSpec(field: FieldNode, block: MessageNode): ParamSpecInfo {
  const f = block.fields;
  return {
    name: scalarText(firstField(f, 'name')?.value),
    lrMult: numberValue(firstField(f, 'lr_mult')?.value),
    decayMult: numberValue(firstField(f, 'decay_mult')?.value),
    span: field,
  };
}

/** V1 (`layers { type: CONVOLUTION ... }`) or V0 (`layers { layer { type: "conv" ... } bottom top }`). */
function readOldLayer(
  node: FieldNode,
  outer: MessageNode,
  index: number,
  known: LayerFieldNames,
  schema?: Schema,
): NetLayer {
  const inner = firstField(outer.fields, 'layer');
  const isV0 = inner?.value?.kind === 'message';
  const body = isV0 && inner.value?.kind === 'message' ? inner.value : outer;
  const layer = baseLayer(node, body, index, isV0 ? 'v0' : 'v1', known);
  layer.unknownField =
    known.firstUnknown(V1_LAYER, outer.fields) ??
    (isV0 ? known.firstUnknown(V0_LAYER, body.fields) : undefined);
  if (isV0) {
    // In V0, bottom/top sit beside the inner `layer { }`; name and type inside it.
    layer.bottoms = refs(outer.fields, 'bottom');
    layer.tops = refs(outer.fields, 'top');
  }
  const typeField = firstField(body.fields, 'type');
  const raw = typeField?.value;
  const written = raw?.kind === 'identifier' ? raw.name : raw?.kind === 'number' ? raw.text : scalarText(raw);
  layer.rawType = written;
  layer.typeSpan = raw;
  if (written !== undefined) {
    layer.type = isV0 ? layerTypeFromV0(written) : layerTypeFromV1(written, raw?.kind === 'number', schema);
  }
  const names = fieldsNamed(body.fields, 'param');
  const lrs = fieldsNamed(body.fields, 'blobs_lr');
  const decays = fieldsNamed(body.fields, 'weight_decay');
  const n = Math.max(names.length, lrs.length, decays.length);
  const specs: ParamSpecInfo[] = [];
  for (let i = 0; i < n; i++) {
    const span = names[i] ?? lrs[i] ?? decays[i];
    specs.push({
      name: scalarText(names[i]?.value),
      lrMult: numberValue(lrs[i]?.value),
      decayMult: numberValue(decays[i]?.value),
      span,
    });
  }
  layer.paramSpecs = exact(specs);
  return layer;
}

/**
 * The fields every format reads, and a V2 layer's type and `param` blocks, in one pass over the
 * layer's fields (this runs once per layer).
 */
function baseLayer(
  node: FieldNode,
  body: MessageNode,
  index: number,
  format: NetFormat,
  known: LayerFieldNames,
): NetLayer {
  const v2 = format === 'v2';
  let name: FieldNode | undefined;
  let type: FieldNode | undefined;
  let specCount = 0;
  // Each made only when the layer has one: empty lists and maps per layer are a lot on a large net.
  let paramBlocks: ParamBlockMap | undefined;
  let pythonParam: FieldNode | undefined;
  let perBlob: FieldNode[] | undefined;
  let include: StateRule[] | undefined;
  let exclude: StateRule[] | undefined;
  // Of a V2 layer, where the names the switch reads are all LayerParameter's (readOldLayer: V1, V0).
  let unknownField: FieldNode | undefined;
  // How many of BOTTOMS and TOPS are this layer's (set lengths are calls into the runtime: never cut).
  let bottomCount = 0;
  let topCount = 0;
  const fields = body.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    switch (f.name) {
      case 'name':
        name ??= f;
        break;
      case 'type':
        if (v2) type ??= f;
        break;
      case 'param':
        if (v2 && f.value?.kind === 'message') SPECS[specCount++] = paramSpec(f, f.value);
        break;
      case 'bottom':
        bottomCount = addRefs(f, BOTTOMS, bottomCount);
        break;
      case 'top':
        topCount = addRefs(f, TOPS, topCount);
        break;
      case 'include':
        addRule(f, (include ??= []));
        break;
      case 'exclude':
        addRule(f, (exclude ??= []));
        break;
      case 'loss_weight':
      case 'propagate_down':
        (perBlob ??= []).push(f);
        break;
      case 'python_param':
        pythonParam ??= f;
        paramBlocks = withBlock(paramBlocks, f);
        break;
      default:
        if (f.name.endsWith('_param')) paramBlocks = withBlock(paramBlocks, f);
        if (v2 && unknownField === undefined && !known.has(LAYER, f.name)) unknownField = f;
    }
  }
  return {
    index,
    format,
    name: scalarText(name?.value) ?? '',
    nameSpan: name?.value,
    // For V1 and V0 layers, set by the caller; written here so that every layer has them in the object.
    type: (type && scalarText(type.value)) ?? '',
    typeSpan: type?.value,
    rawType: undefined,
    bottoms: BOTTOMS.slice(0, bottomCount),
    tops: TOPS.slice(0, topCount),
    include: include ? exact(include) : NONE,
    exclude: exclude ? exact(exclude) : NONE,
    node,
    body,
    paramBlocks: paramBlocks ?? NO_PARAM_BLOCKS,
    paramSpecs: specCount > 0 ? SPECS.slice(0, specCount) : NONE,
    perBlobFields: perBlob ?? NONE,
    pythonParam,
    unknownField,
  };
}

/** `blocks` with `f`'s block when its value is one (made with the first). */
function withBlock(blocks: ParamBlockMap | undefined, f: FieldNode): ParamBlockMap | undefined {
  const v = f.value;
  if (v?.kind !== 'message') return blocks;
  if (blocks === undefined) return new ParamBlockMap(f.name, v);
  blocks.add(f.name, v);
  return blocks;
}

/**
 * The bottoms and tops of the layer being read, copied out when it is done: one list of the right
 * length per layer, where lists grown by push would each leave a larger one behind. Entries past the
 * current layer's count are an earlier layer's, overwritten as the next layers are read.
 */
const BOTTOMS: NameRef[] = [];
const TOPS: NameRef[] = [];
/** The same for a V2 layer's `param { }` blocks. */
const SPECS: ParamSpecInfo[] = [];

const NO_PARAM_BLOCKS: ReadonlyMap<string, MessageNode> = new Map();

/** The empty list every layer without rules or param specs shares (never changed). */
const NONE: readonly never[] = Object.freeze([]);

/** `list` in an array of its own length (one grown by push keeps room for more). */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

function phaseOf(field: FieldNode | undefined): Phase | undefined {
  const v = field?.value;
  if (v?.kind === 'identifier') return v.name === 'TRAIN' || v.name === 'TEST' ? v.name : undefined;
  if (v?.kind === 'number') return v.value === 0 ? 'TRAIN' : v.value === 1 ? 'TEST' : undefined;
  return undefined;
}

function addRule(f: FieldNode, out: StateRule[]): void {
  if (f.value?.kind !== 'message') return;
  const body = f.value.fields;
  out.push({
    phase: phaseOf(firstField(body, 'phase')),
    minLevel: numberValue(firstField(body, 'min_level')?.value),
    maxLevel: numberValue(firstField(body, 'max_level')?.value),
    stages: namesOf(body, 'stage'),
    notStages: namesOf(body, 'not_stage'),
    span: { start: f.start, end: f.end },
  });
}

/** The values of a repeated name field (`stage`); the shared empty list when there are none (most rules). */
function namesOf(fields: readonly FieldNode[], name: string): readonly string[] {
  const found = refs(fields, name);
  return found.length === 0 ? NONE : found.map((r) => r.name);
}

function readState(body: MessageNode): NetStateInfo {
  return {
    phase: phaseOf(firstField(body.fields, 'phase')),
    level: numberValue(firstField(body.fields, 'level')?.value),
    stages: refs(body.fields, 'stage').map((r) => r.name),
  };
}
