// The schemas shipped with the extension: BVLC Caffe (the default, with our descriptions as docs)
// and thirteen forks whose caffe.proto add messages and fields. Data comes from generated/*.json.

import bvlc from './generated/bvlc.json';
import caffeonspark from './generated/caffeonspark.json';
import deconvnet from './generated/deconvnet.json';
import deeplab from './generated/deeplab.json';
import ducha from './generated/ducha.json';
import fastrcnn from './generated/fastrcnn.json';
import nvidia from './generated/nvidia.json';
import pspnet from './generated/pspnet.json';
import rfcn from './generated/rfcn.json';
import segnet from './generated/segnet.json';
import sphereface from './generated/sphereface.json';
import ssd from './generated/ssd.json';
import synopsys from './generated/synopsys.json';
import tsn from './generated/tsn.json';
import { withAdditions } from './additions';
import { withDescriptions } from './descriptions';
import { MERGING_FORKS } from './merging-forks';
import type { SchemaData, SchemaSource } from './model';
import { Schema } from './schema';

export interface BundledFork {
  /** Short name, as in generated/<name>.json. */
  name:
    | 'ssd'
    | 'fastrcnn'
    | 'nvidia'
    | 'ducha'
    | 'sphereface'
    | 'pspnet'
    | 'rfcn'
    | 'segnet'
    | 'tsn'
    | 'caffeonspark'
    | 'deeplab'
    | 'deconvnet'
    | 'synopsys';
  /** For people, e.g. 'SSD (weiliu89/caffe)'. */
  label: string;
  /** The GitHub repository the proto comes from. */
  repository: string;
  /** Where its caffe.proto sits inside a checkout of that repository. */
  protoPath: string;
}

export const BUNDLED_FORKS: readonly BundledFork[] = [
  {
    name: 'ssd',
    label: 'SSD (weiliu89/caffe)',
    repository: 'weiliu89/caffe',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
  {
    name: 'fastrcnn',
    label: 'Fast/Faster R-CNN (rbgirshick/caffe-fast-rcnn)',
    repository: 'rbgirshick/caffe-fast-rcnn',
    protoPath: 'caffe-fast-rcnn/src/caffe/proto/caffe.proto (inside py-faster-rcnn)',
  },
  {
    name: 'nvidia',
    label: 'NVIDIA Caffe (NVIDIA/caffe)',
    repository: 'NVIDIA/caffe',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
  {
    name: 'ducha',
    label: 'ducha-aiki/caffe',
    repository: 'ducha-aiki/caffe',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
  {
    name: 'sphereface',
    label: 'SphereFace (wy1iu/sphereface)',
    repository: 'wy1iu/sphereface',
    protoPath: 'tools/caffe-sphereface/src/caffe/proto/caffe.proto',
  },
  {
    name: 'pspnet',
    label: 'PSPNet (hszhao/PSPNet)',
    repository: 'hszhao/PSPNet',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
  {
    name: 'rfcn',
    label: 'R-FCN (Microsoft/caffe)',
    repository: 'Microsoft/caffe',
    protoPath: 'caffe/src/caffe/proto/caffe.proto (inside py-R-FCN)',
  },
  {
    name: 'segnet',
    label: 'SegNet (alexgkendall/caffe-segnet)',
    repository: 'alexgkendall/caffe-segnet',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
  {
    name: 'tsn',
    label: 'Temporal Segment Networks (yjxiong/caffe)',
    repository: 'yjxiong/caffe',
    protoPath: 'lib/caffe-action/src/caffe/proto/caffe.proto (inside temporal-segment-networks)',
  },
  {
    name: 'caffeonspark',
    label: 'CaffeOnSpark (yahoo/caffe)',
    repository: 'yahoo/caffe',
    protoPath: 'caffe-public/src/caffe/proto/caffe.proto (inside CaffeOnSpark)',
  },
  {
    name: 'deeplab',
    label: 'DeepLab v1 (deeplab-public)',
    repository: 'TheLegendAli/DeepLab-Context',
    protoPath: 'src/caffe/proto/caffe.proto (of deeplab-public, which DeepLab-Context copies)',
  },
  {
    name: 'deconvnet',
    label: 'DeconvNet (HyeonwooNoh/caffe)',
    repository: 'HyeonwooNoh/caffe',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
  {
    name: 'synopsys',
    label: 'Synopsys Caffe (synopsys-caffe)',
    repository: 'foss-for-synopsys-dwc-arc-processors/synopsys-caffe',
    protoPath: 'src/caffe/proto/caffe.proto',
  },
];

// JSON imports are parsed once by the module system; these are the only module-level data.
const FORK_DATA: Record<BundledFork['name'], unknown> = {
  ssd,
  fastrcnn,
  nvidia,
  ducha,
  sphereface,
  pspnet,
  rfcn,
  segnet,
  tsn,
  caffeonspark,
  deeplab,
  deconvnet,
  synopsys,
};

function schemaData(json: unknown): SchemaData {
  const { package: pkg, messages, enums } = json as SchemaData;
  return { package: pkg, messages, enums };
}

/** BVLC Caffe's schema with our descriptions as docs. A new instance per call. */
export function loadBundledSchema(): Schema {
  return new Schema(withDescriptions(schemaData(bvlc)), {
    kind: 'bundled',
    label: 'BVLC Caffe (bundled)',
    bundled: 'bvlc',
  });
}

/**
 * BVLC Caffe's schema (with our descriptions) and what a proto of additions brings (schema/additions.ts):
 * the nets of a repository that ships only its changes to caffe.proto.
 */
export function loadBundledSchemaWith(additions: SchemaData, source: SchemaSource): Schema {
  return new Schema(withAdditions(withDescriptions(schemaData(bvlc)), additions), source);
}

/**
 * A fork's schema; fields it shares with BVLC get our descriptions, its own fields have none.
 * Undefined for an unknown name.
 */
export function loadBundledFork(name: string): Schema | undefined {
  const fork = BUNDLED_FORKS.find((f) => f.name === name);
  if (!fork) return undefined;
  const json = FORK_DATA[fork.name];
  const schema = new Schema(withDescriptions(schemaData(json)), {
    kind: 'bundled',
    label: `${fork.label} (bundled)`,
    bundled: fork.name,
  });
  const changed = (json as { changedLayers?: Record<string, string> }).changedLayers;
  if (changed) schema.changedLayers = new Map(Object.entries(changed));
  return schema;
}

/**
 * The field names that BVLC's schema or any bundled fork's defines in one of a layer's own messages
 * (`caffe.LayerParameter`, `caffe.V1LayerParameter`, `caffe.V0LayerParameter`); undefined for any
 * other message. A name written in a layer that none of them (nor the schema in use) defines is a
 * misspelling, not a fork's field.
 */
export function bundledLayerFields(message: string): ReadonlySet<string> | undefined {
  return (layerFieldIndex ??= indexLayerFields()).get(message);
}

let layerFieldIndex: ReadonlyMap<string, ReadonlySet<string>> | undefined;

/**
 * Whether `schema` is the bundled fork `name`'s own or a proto of that Caffe: it defines a field of
 * `caffe.LayerParameter` that only that fork defines (neither BVLC nor another bundled fork does).
 */
export function isForkOwnSchema(schema: Schema, name: BundledFork['name']): boolean {
  let own = ownLayerFields.get(name);
  if (own === undefined) {
    const layerFields = (json: unknown) =>
      schemaData(json).messages.find((m) => m.fullName === 'caffe.LayerParameter')?.fields ?? [];
    const elsewhere = new Set(
      [bvlc, ...BUNDLED_FORKS.filter((f) => f.name !== name).map((f) => FORK_DATA[f.name])].flatMap((json) =>
        layerFields(json).map((f) => f.name),
      ),
    );
    own = layerFields(FORK_DATA[name])
      .map((f) => f.name)
      .filter((n) => !elsewhere.has(n));
    ownLayerFields.set(name, own);
  }
  return own.some((field) => schema.field('caffe.LayerParameter', field) !== undefined);
}

const ownLayerFields = new Map<string, readonly string[]>();

/** The merging fork (merging-forks.ts) whose own schema `schema` is, if any: its whole layer table applies. */
export function mergingForkOf(schema: Schema): BundledFork['name'] | undefined {
  return BUNDLED_FORKS.find((f) => MERGING_FORKS.has(f.name) && isForkOwnSchema(schema, f.name))?.name;
}

function indexLayerFields(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const name of ['caffe.LayerParameter', 'caffe.V1LayerParameter', 'caffe.V0LayerParameter'])
    out.set(name, new Set());
  for (const data of [bvlc, ...Object.values(FORK_DATA)]) {
    for (const m of schemaData(data).messages) {
      const names = out.get(m.fullName);
      if (names) for (const f of m.fields) names.add(f.name);
    }
  }
  return out;
}

/**
 * The fields shape rules know, per message (full name), with each message field's type ('' for a
 * field that is no message, so that one look-up tells it from a field not known): BVLC's messages,
 * then the messages and layer parameter blocks only bundled forks define (their layers' rules follow
 * those forks). Read from the bundled data on first use, whatever schema is in use.
 */
export function shapeRuleFields(): ReadonlyMap<string, ReadonlyMap<string, string>> {
  return (ruleFieldIndex ??= indexRuleFields());
}

// Immutable once made, like the JSON it is read from.
let ruleFieldIndex: ReadonlyMap<string, ReadonlyMap<string, string>> | undefined;

const LAYER_MESSAGES = new Set(['caffe.LayerParameter', 'caffe.V1LayerParameter']);

/**
 * Fields forks add to BVLC's messages that the shape rules read (pooling's `ceil_mode`, DeepLab v1's
 * `hole`, SSD's `resize_param`) or that change no top's shape (a data cache, photometric distortions, Dropout's
 * train-time scaling and SegNet's sampled test weights, a loss's class weights, how DeepLab's image
 * reader reads labels, Temporal Segment Networks' crops, where CaffeOnSpark's feeder finds a
MemoryData layer's samples): a layer using them
 * keeps its shape rule. Any other fork field makes its tops
 * unknown (see readable-params.ts).
 */
const RULE_FORK_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // Synopsys Caffe's padding per side and pad_type (shapes/side-padding.ts).
  'caffe.PoolingParameter': ['ceil_mode', 'pad_t', 'pad_b', 'pad_l', 'pad_r', 'pad_type'],
  // DeepLab v1's name for the dilation, which the convolution rule reads as such; Synopsys Caffe's padding.
  'caffe.ConvolutionParameter': ['hole', 'hole_h', 'hole_w', 'pad_t', 'pad_b', 'pad_l', 'pad_r', 'pad_type'],
  // Synopsys Caffe's ReLU6 clips at 6: a ReLU's shape, and no parameters.
  'caffe.ReLUParameter': ['relu6'],
  // Synopsys Caffe's Reshape as a pixel shuffle (shapes/rules-synopsys-space.ts).
  'caffe.ReshapeParameter': ['pixelshuffler'],
  'caffe.TransformationParameter': [
    'resize_param',
    'distort_param',
    'noise_param',
    'emit_constraint',
    // Temporal Segment Networks' corner and multi-scale crops, each resized to crop_size.
    'fix_crop',
    'more_fix_crop',
    'multi_scale',
    'scale_ratios',
    'max_distort',
    'is_flow',
  ],
  'caffe.DataParameter': ['cache', 'shuffle'],
  // DeepLab v1's and DeconvNet's has_label and max_labels: in their protos, read by none of their layers.
  'caffe.ImageDataParameter': ['cache', 'label_type', 'ignore_label', 'has_label', 'max_labels'],
  'caffe.DropoutParameter': ['scale_train', 'sample_weights_test'],
  'caffe.LossParameter': ['pre_fixed_normalizer', 'weight_by_label_freqs', 'class_weighting'],
  // CaffeOnSpark fills a MemoryData layer from a source its Spark job reads; the shape stays
  // batch_size × channels × height × width.
  'caffe.MemoryDataParameter': [
    'share_in_parallel',
    'source',
    'dataframe_column_select',
    'image_encoded',
    'dataframe_format',
  ],
};

function indexRuleFields(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const typeOf = (f: { kind: string; type: string }) => (f.kind === 'message' ? f.type : '');
  for (const m of schemaData(bvlc).messages)
    out.set(m.fullName, new Map(m.fields.map((f) => [f.name, typeOf(f)])));
  // A message only forks define holds what any of them gives it (ducha-aiki's, PSPNet's and SegNet's
  // BNParameter differ).
  const forksOnly = new Set<string>();
  for (const fork of BUNDLED_FORKS) {
    for (const m of schemaData(FORK_DATA[fork.name]).messages) {
      const known = out.get(m.fullName);
      if (!known) {
        out.set(m.fullName, new Map(m.fields.map((f) => [f.name, typeOf(f)])));
        forksOnly.add(m.fullName);
      } else if (forksOnly.has(m.fullName)) {
        for (const f of m.fields) if (!known.has(f.name)) known.set(f.name, typeOf(f));
      } else if (LAYER_MESSAGES.has(m.fullName)) {
        // A fork's own parameter blocks (`permute_param`), never its extra fields in BVLC's blocks.
        for (const f of m.fields)
          if (!known.has(f.name) && f.name.endsWith('_param')) known.set(f.name, typeOf(f));
      } else {
        const read = RULE_FORK_FIELDS[m.fullName] ?? [];
        for (const f of m.fields)
          if (read.includes(f.name) && !known.has(f.name)) known.set(f.name, typeOf(f));
      }
    }
  }
  // Read by the rules even where no bundled fork defines them (a scalar such as another fork's ceil_mode).
  for (const [message, names] of Object.entries(RULE_FORK_FIELDS)) {
    const known = out.get(message);
    for (const name of names) if (known && !known.has(name)) known.set(name, '');
  }
  return out;
}

/** A bundled schema's short name: `bvlc` or a fork's (what `bundled:NAME` chooses). */
export type BundledName = 'bvlc' | BundledFork['name'];

/** For people: 'BVLC Caffe' or the fork's label. */
export function bundledLabel(name: BundledName): string {
  return name === 'bvlc' ? 'BVLC Caffe' : (BUNDLED_FORKS.find((f) => f.name === name)?.label ?? name);
}

/** Every bundled schema's data, BVLC's first, then the forks in their order. */
function everyBundled(): [BundledName, SchemaData][] {
  return [
    ['bvlc', schemaData(bvlc)],
    ...BUNDLED_FORKS.map((f): [BundledName, SchemaData] => [f.name, schemaData(FORK_DATA[f.name])]),
  ];
}

/**
 * The bundled schemas (BVLC's first, then the forks in order) whose message `message` (full name)
 * has a field `field`: where a name another caffe.proto lacks comes from.
 */
export function bundledWithField(message: string, field: string): BundledName[] {
  return holders(
    fieldHolders,
    message,
    field,
    (data) => data.messages.find((m) => m.fullName === message)?.fields,
  );
}

/** The bundled schemas whose enum `enumName` (full name) has a value named `value`, BVLC's first. */
export function bundledWithEnumValue(enumName: string, value: string): BundledName[] {
  return holders(
    valueHolders,
    enumName,
    value,
    (data) => data.enums.find((e) => e.fullName === enumName)?.values,
  );
}

/** Per message or enum (`owner`): each name's bundled schemas, made on the first question about it. */
type Holders = Map<string, Map<string, BundledName[]>>;

function holders(
  cache: Holders,
  owner: string,
  name: string,
  named: (data: SchemaData) => readonly { name: string }[] | undefined,
): BundledName[] {
  let byName = cache.get(owner);
  if (byName === undefined) {
    byName = new Map();
    for (const [schema, data] of everyBundled())
      for (const item of named(data) ?? []) byName.set(item.name, [...(byName.get(item.name) ?? []), schema]);
    cache.set(owner, byName);
  }
  return [...(byName.get(name) ?? [])];
}

// Only names a schema lacks are asked about: few messages and enums.
const fieldHolders: Holders = new Map();
const valueHolders: Holders = new Map();
