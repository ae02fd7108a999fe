// Upgrades a net written in a deprecated format to the current one, as Caffe's upgrade tool
// (upgrade_net_proto_text, src/caffe/util/upgrade_proto.cpp) maps it, keeping every comment:
//   V0 `layers { layer { ... } bottom top }`  -> flattened, per-type params renamed (upgrade-v0.ts)
//   V1 `layers { type: CONVOLUTION }`         -> `layer { type: "Convolution" }`
//   `blobs_lr`/`weight_decay`/`param`/`blob_share_mode` -> `param { name share_mode lr_mult decay_mult }`
//   data layers' scale/mean_file/crop_size/mirror -> `transform_param { }`
//   `input` + `input_dim`/`input_shape`      -> a first `layer { type: "Input" input_param { shape } }`
// A solver (upgrade_solver_proto_text): `solver_type: SGD` -> `type: "SGD"`, and the nets it embeds
// (`net_param`, `train_net_param`, `test_net_param`) as above, as Caffe upgrades them when it builds them.
// The result is printed in the formatter's layout.
//
//   upgradeNet(text, options, schema?) -> UpgradeOutcome

import { pushAll } from '../../../../common/arrays';
import { ownEntry } from '../../../../common/tables';
import { parse } from '../../parser/parse';
import type { Schema } from '../../schema/schema';
import { printLayout } from './format-print';
import { lineBreakOf } from './format';
import {
  block,
  layoutField,
  layoutTree,
  scalar,
  type LayoutDocument,
  type LayoutField,
  type LayoutMessage,
} from './format-tree';
import { layerTypeFromV1 } from '../model/net-legacy';
import { V1_LAYER_TYPE_NAMES } from '../../schema/v1-layer-types';
import { chooseTopMessage, notNetWords, SOLVER } from '../model/top-message';
import { solverTypeOf } from '../checks/solver';
import { upgradeInputs } from './upgrade-input';
import { isV0Layer, upgradeV0Layers } from './upgrade-v0';

export interface UpgradeOutcome {
  /** The upgraded text; absent when nothing needed upgrading or the upgrade is impossible. */
  text?: string;
  /** What was done, or why nothing was. */
  message: string;
  /** Set when nothing needed upgrading (the file is current); absent when the upgrade is impossible. */
  current?: true;
  /** Fields Caffe could not map either (kept as written). */
  problems: string[];
}

/** The type strings Caffe's upgrade gives V1 types ('' for NONE). */
const V1_TYPE_STRINGS: ReadonlySet<string> = new Set(Object.values(V1_LAYER_TYPE_NAMES));

/** Whether Caffe's upgrade names the V1 type that `layerTypeFromV1` gave `type` for. */
function isV2TypeOfV1(type: string): boolean {
  return V1_TYPE_STRINGS.has(type);
}

/** Fields of a V1 layer that become `param { }` specs, with the ParamSpec field each one sets. */
const PARAM_SPEC_FIELDS: readonly (readonly [string, string])[] = [
  ['param', 'name'],
  ['blob_share_mode', 'share_mode'],
  ['blobs_lr', 'lr_mult'],
  ['weight_decay', 'decay_mult'],
];
const SPEC_OF = new Map(PARAM_SPEC_FIELDS);

/** V1 data layer types and the parameter block whose transformation fields move out. */
const DATA_BLOCKS: Readonly<Record<string, string>> = {
  Data: 'data_param',
  ImageData: 'image_data_param',
  WindowData: 'window_data_param',
};
const TRANSFORM_FIELDS = new Set(['scale', 'mean_file', 'crop_size', 'mirror']);

export function upgradeNet(
  text: string,
  options: { indent: string; eol?: string },
  schema?: Schema,
): UpgradeOutcome {
  const ast = parse(text);
  if (ast.errors.length > 0)
    return { message: 'The file has syntax errors: fix them before upgrading.', problems: [] };
  const doc = layoutTree(text, ast);
  const problems: string[] = [];
  const top = chooseTopMessage(ast, schema ? [schema] : []).name;
  const holds = top === SOLVER ? undefined : notNetWords(top);
  if (holds !== undefined)
    return { message: `This file holds ${holds}: nothing to upgrade.`, problems: [], current: true };
  const solver = top === SOLVER;
  const kept: string[] = [];
  const done = solver
    ? upgradeSolver(doc.fields, problems, schema, kept)
    : upgradeNetFields(doc, problems, schema, kept);
  if (typeof done === 'string') return { message: done, problems: [] };
  const stay = kept.length > 0 ? `; ${kept.join('; ')}` : '';
  if (done.length === 0) {
    const what = solver ? 'solver' : 'net';
    return {
      message: `This ${what} is already in the current format${kept.length > 0 ? ' for its Caffe' : ''}${stay}.`,
      problems,
      current: true,
    };
  }
  const upgraded = printLayout(doc, { indent: options.indent, eol: options.eol ?? lineBreakOf(text) });
  const also =
    problems.length > 0 ? ` ${problems.length} field(s) could not be mapped: ${problems.join(' ')}` : '';
  return { text: upgraded, message: `Upgraded: ${done.join('; ')}${stay}.${also}`, problems };
}

/**
 * Upgrades the net whose fields `net` holds (a whole file, or a solver's `net_param`) in place: what
 * was done, or why Caffe refuses to upgrade it.
 */
function upgradeNetFields(
  net: { fields: LayoutField[]; closing: LayoutDocument['closing'] },
  problems: string[],
  schema?: Schema,
  kept: string[] = [],
): string[] | string {
  const fields = net.fields;
  const hasV1 = fields.some((f) => f.name === 'layers' && f.value.kind === 'message');
  // Caffe refuses to upgrade a net that mixes `layer` and V1 `layers` (before the Input layer, it
  // drops the `layer` blocks): those are written in the current format in place (what Caffe asks
  // for). With V0 ones, its upgrade drops the `layer` blocks; they are left to the user (flattening
  // moves them).
  const mixed = hasV1 && fields.some((f) => f.name === 'layer');
  if (mixed && fields.some(isV0Layer)) {
    return 'The net mixes "layer" and V0 "layers { layer { } }": Caffe\'s upgrade drops the "layer" blocks. Convert the "layers" by hand.';
  }
  const done: string[] = [];
  // A Caffe older than the `layer` field (C3D v1.0's) reads only `layers`: they stay as written.
  if (!defines(schema, 'caffe.NetParameter', 'layer')) {
    if (hasV1 || fields.some(isV0Layer))
      kept.push('its caffe.proto has no "layer" field, so the layers stay');
    return done;
  }
  if (fields.some(isV0Layer)) {
    const flattened = upgradeV0Layers(fields, problems);
    const closing = net.closing.splice(0);
    pushAll(pushAll(net.closing, flattened), closing);
    done.push('V0 layers flattened');
  }
  if (hasV1) {
    const unnamed = new Set<string>();
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (f.name === 'layers' && f.value.kind === 'message')
        fields[i] = upgradeV1Layer(f, f.value, unnamed, schema);
    }
    done.push(
      mixed
        ? '"layers" became "layer" with type strings, beside the "layer" already there'
        : '"layers" became "layer" with type strings',
    );
    // Caffe's upgrade stops at a V1 type it has no name for (a fork's, such as DeepLab v1's INTERP).
    for (const type of unnamed)
      problems.push(
        `Caffe's upgrade has no name for the V1 type ${type} and stops there: it is written as "${type}"; name it as the Caffe the net is for registers it.`,
      );
  }
  // A Caffe older than the Input layer (py-faster-rcnn's, PSPNet's, SegNet's) reads only the legacy inputs.
  if (!defines(schema, 'caffe.LayerParameter', 'input_param')) {
    if (fields.some((f) => f.name === 'input'))
      kept.push('its caffe.proto has no Input layer, so the legacy inputs stay');
  } else if (upgradeInputs(fields)) done.push('the net inputs became an Input layer');
  return done;
}

/** Whether the schema the file is written for has the field (without one, BVLC Caffe's, which has all). */
function defines(schema: Schema | undefined, message: string, field: string): boolean {
  return schema === undefined || schema.field(message, field) !== undefined;
}

/** The fields of a solver that hold whole nets. */
const EMBEDDED_NETS = ['net_param', 'train_net_param', 'test_net_param'];

/**
 * Upgrades a solver's fields in place: `solver_type` becomes `type` (Caffe refuses a solver that sets
 * both), and each net it embeds is upgraded as a net file is.
 */
function upgradeSolver(
  fields: LayoutField[],
  problems: string[],
  schema?: Schema,
  kept: string[] = [],
): string[] | string {
  const done: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.name !== 'solver_type' || f.value.kind !== 'scalar') continue;
    // A Caffe older than the string `type` (SegNet's) names its solver by solver_type alone.
    if (!defines(schema, 'caffe.SolverParameter', 'type')) {
      kept.push('its caffe.proto has no string solver type, so solver_type stays');
      continue;
    }
    if (fields.some((g) => g.name === 'type')) {
      return 'The solver sets both "solver_type" and "type": Caffe refuses to upgrade it. Remove "solver_type".';
    }
    const type = solverTypeOf(f.value.text);
    if (type === undefined) {
      return `"solver_type: ${f.value.text}" is no solver type Caffe knows: write type: "SGD" (or "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam") by hand.`;
    }
    fields[i] = { ...f, name: 'type', value: scalar(JSON.stringify(type)) };
    done.push(`solver_type: ${f.value.text} became type: "${type}"`);
  }
  for (const f of fields) {
    if (!EMBEDDED_NETS.includes(f.name) || f.value.kind !== 'message') continue;
    const inner = upgradeNetFields(f.value, problems, schema, kept);
    if (typeof inner === 'string') return `In ${f.name}: ${inner}`;
    for (const step of inner) done.push(`${f.name}: ${step}`);
  }
  return done;
}

/**
 * One V1 `layers { }` as a `layer { }` (Caffe's UpgradeV1LayerParameter and data transformation); a
 * type written that Caffe's upgrade has no name for is added to `unnamed`.
 */
function upgradeV1Layer(
  field: LayoutField,
  body: LayoutMessage,
  unnamed: Set<string>,
  schema?: Schema,
): LayoutField {
  const specs: LayoutMessage[] = [];
  const out: LayoutField[] = [];
  let specsAt = -1;
  let type = '';
  for (const f of body.fields) {
    const spec = SPEC_OF.get(f.name);
    if (spec !== undefined) {
      if (specsAt < 0) specsAt = out.length;
      addToSpecs(specs, f, spec);
      continue;
    }
    if (f.name === 'type' && f.value.kind === 'scalar' && !/^["']/.test(f.value.text)) {
      type = layerTypeFromV1(f.value.text, /^[0-9]/.test(f.value.text), schema);
      if (!isV2TypeOfV1(type)) unnamed.add(type);
      out.push({ ...f, value: scalar(JSON.stringify(type)) });
      continue;
    }
    if (f.name === 'type' && f.value.kind === 'scalar') type = f.value.text.slice(1, -1);
    out.push(f);
  }
  if (specsAt >= 0) {
    const tail = out.splice(specsAt);
    pushAll(
      pushAll(
        out,
        specs.map((s) => layoutField('param', s)),
      ),
      tail,
    );
  }
  const dataBlock = ownEntry(DATA_BLOCKS, type);
  if (dataBlock) moveTransformFields(out, dataBlock);
  return { ...field, name: 'layer', value: { ...body, fields: out } };
}

/** Adds every value of `f` (a list gives several) to the i-th param spec, in ParamSpec field order. */
function addToSpecs(specs: LayoutMessage[], f: LayoutField, spec: string): void {
  const values = f.value.kind === 'list' ? f.value.items : [f.value];
  const order = (name: string) => PARAM_SPEC_FIELDS.findIndex(([, n]) => n === name);
  values.forEach((value, k) => {
    // The k-th occurrence sets the k-th spec: the first one without this field yet.
    let target = specs.find((s) => !s.fields.some((x) => x.name === spec));
    if (!target) {
      target = block([]);
      specs.push(target);
    }
    const moved: LayoutField = {
      name: spec,
      value: value.kind === 'message' ? value : scalar(value.text),
      leading: k === 0 ? f.leading : [],
      blankBefore: false,
      ...(k === values.length - 1 && f.trailing ? { trailing: f.trailing } : {}),
    };
    const at = target.fields.findIndex((x) => order(x.name) > order(spec));
    target.fields.splice(at < 0 ? target.fields.length : at, 0, moved);
  });
}

/** Moves scale/mean_file/crop_size/mirror out of a data layer's parameter block into transform_param. */
function moveTransformFields(fields: LayoutField[], dataBlock: string): void {
  const index = fields.findIndex((f) => f.name === dataBlock && f.value.kind === 'message');
  if (index < 0) return;
  const data = fields[index].value as LayoutMessage;
  const moving = data.fields.filter((f) => TRANSFORM_FIELDS.has(f.name));
  if (moving.length === 0) return;
  data.fields = data.fields.filter((f) => !TRANSFORM_FIELDS.has(f.name));
  const existing = fields.find((f) => f.name === 'transform_param' && f.value.kind === 'message');
  if (existing) pushAll((existing.value as LayoutMessage).fields, moving);
  else fields.splice(index, 0, layoutField('transform_param', block(moving)));
  data.oneLine = false;
}
