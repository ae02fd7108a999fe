// Turns the caffe.proto files of BVLC Caffe and thirteen forks into the bundled schema data:
//   node --import tsx scripts/generate-schema.ts [corpus-schemas-dir] [rfcn=<Microsoft/caffe checkout>]
//     [segnet=<alexgkendall/caffe-segnet checkout>] [tsn=<yjxiong/caffe checkout, branch action_recog>]
//     [caffeonspark=<yahoo/caffe checkout>] [deeplab=<TheLegendAli/DeepLab-Context checkout>]
//     [deconvnet=<HyeonwooNoh/caffe checkout>]
//     [synopsys=<foss-for-synopsys-dwc-arc-processors/synopsys-caffe checkout>]
// Writes server/src/schema/generated/<name>.json (facts only; descriptions live in descriptions.ts).
// Most protos come from ../shared/corpus/schemas/<name>/caffe.proto; R-FCN's and SegNet's are not in
// the corpus and are read from a checkout of their repository (Microsoft/caffe at the revision py-R-FCN
// names, alexgkendall/caffe-segnet, yjxiong/caffe's action_recog branch that Temporal Segment Networks
// names, yahoo/caffe at the revision CaffeOnSpark's caffe-public submodule pins, DeepLab v1 as
// DeepLab-Context copies it, HyeonwooNoh/caffe for DeconvNet, Synopsys' synopsys-caffe); each is left
// as it is if its checkout is not given.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSchemaJson } from '../server/src/schema/facts';
import type { SchemaData } from '../server/src/schema/model';
import { readCheckoutLayerTypes } from '../server/src/schema/checkout-layers';
import { readProto } from '../server/src/schema/proto-reader';

export const SCHEMA_NAMES = [
  'bvlc',
  'ssd',
  'fastrcnn',
  'nvidia',
  'ducha',
  'sphereface',
  'pspnet',
  'rfcn',
  'segnet',
  'tsn',
  'caffeonspark',
  'deeplab',
  'deconvnet',
  'synopsys',
] as const;

/** Schemas read from a checkout of their repository: where the proto sits in it, and what to record. */
const CHECKOUT_SOURCES: Partial<Record<(typeof SCHEMA_NAMES)[number], { proto: string; from: string }>> = {
  rfcn: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'Microsoft/caffe@1a2be8e src/caffe/proto/caffe.proto (the revision py-R-FCN names)',
  },
  segnet: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'alexgkendall/caffe-segnet@344c113b src/caffe/proto/caffe.proto',
  },
  tsn: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'yjxiong/caffe@9831a2b4 (branch action_recog, as temporal-segment-networks names it) src/caffe/proto/caffe.proto',
  },
  caffeonspark: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'yahoo/caffe@fc0a02ef (the caffe-public submodule of yahoo/CaffeOnSpark) src/caffe/proto/caffe.proto',
  },
  deeplab: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'TheLegendAli/DeepLab-Context@fb04e9e2 (a copy of DeepLab v1, deeplab-public) src/caffe/proto/caffe.proto',
  },
  deconvnet: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'HyeonwooNoh/caffe@d9e8494a (the Caffe DeconvNet names) src/caffe/proto/caffe.proto',
  },
  synopsys: {
    proto: 'src/caffe/proto/caffe.proto',
    from: 'foss-for-synopsys-dwc-arc-processors/synopsys-caffe@977ba36a (the Caffe of the ARC MetaWare EV toolkit) src/caffe/proto/caffe.proto',
  },
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const checkouts = new Map(
  args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
);
const schemasDir = path.resolve(
  args.find((a) => !a.includes('=')) ?? path.join(repoRoot, '../shared/corpus/schemas'),
);
const outDir = path.join(repoRoot, 'server/src/schema/generated');

function source(
  name: (typeof SCHEMA_NAMES)[number],
): { file: string; from: string; checkout?: string } | undefined {
  const checkout = CHECKOUT_SOURCES[name];
  if (!checkout)
    return {
      file: path.join(schemasDir, name, 'caffe.proto'),
      from: `shared/corpus/schemas/${name}/caffe.proto`,
    };
  const root = checkouts.get(name);
  return root === undefined
    ? undefined
    : { file: path.join(root, checkout.proto), from: checkout.from, checkout: root };
}

const LAYER = 'caffe.LayerParameter';
const V1_LAYER = 'caffe.V1LayerParameter';

/**
 * A Caffe from before `layer { }` (DeepLab v1's, DeconvNet's) calls its layers' message
 * LayerParameter; BVLC's schema keeps that message as V1LayerParameter, for `layers { }`. Renamed so,
 * a V1 net's fields and type names are looked up under the same names in the fork as in BVLC's schema.
 */
function withV1Layers(data: SchemaData): SchemaData {
  const net = data.messages.find((m) => m.fullName === 'caffe.NetParameter');
  const layers = net?.fields.find((f) => f.name === 'layers');
  const modern =
    net?.fields.some((f) => f.name === 'layer') || data.messages.some((m) => m.fullName === V1_LAYER);
  if (!layers || layers.type !== LAYER || modern) return data;
  const renamed = (name: string) =>
    name === LAYER || name.startsWith(`${LAYER}.`) ? V1_LAYER + name.slice(LAYER.length) : name;
  return {
    ...data,
    messages: data.messages.map((m) => ({
      ...m,
      fullName: renamed(m.fullName),
      ...(m.fullName === LAYER ? { name: 'V1LayerParameter' } : {}),
      fields: m.fields.map((f) => ({ ...f, type: renamed(f.type) })),
    })),
    enums: data.enums.map((e) => ({ ...e, fullName: renamed(e.fullName) })),
  };
}

function main(): number {
  if (!fs.existsSync(schemasDir)) {
    console.error(`generate-schema: ${schemasDir} not found (pass the folder holding <name>/caffe.proto)`);
    return 2;
  }
  fs.mkdirSync(outDir, { recursive: true });
  let failed = false;
  for (const name of SCHEMA_NAMES) {
    const from = source(name);
    if (!from) {
      console.log(`${name}: not regenerated (give ${name}=<checkout of its repository>)`);
      continue;
    }
    const read = readProto(fs.readFileSync(from.file, 'utf8'), from.file);
    const { errors } = read;
    const data = withV1Layers(read.data);
    for (const e of errors) console.error(`${from.file}:${e.line + 1}:${e.character + 1}: ${e.message}`);
    if (errors.length > 0) {
      failed = true;
      continue;
    }
    const header = {
      generated:
        'GENERATED FILE - do not edit; facts only (names, numbers, types, labels, defaults, enum values)',
      from: from.from,
      regenerate: 'node --import tsx scripts/generate-schema.ts',
    };
    const out = path.join(outDir, `${name}.json`);
    // A checkout's sources tell which of BVLC's layers the fork rewrote (their shapes may differ).
    const changed = from.checkout ? readCheckoutLayerTypes(from.checkout)?.modified : undefined;
    fs.writeFileSync(out, generatedSchemaJson(header, data, changed));
    console.log(
      `${path.relative(repoRoot, out)}: ${data.messages.length} messages, ${data.enums.length} enums`,
    );
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
