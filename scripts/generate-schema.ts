// Turns the caffe.proto files of BVLC Caffe and six forks into the bundled schema data:
//   node --import tsx scripts/generate-schema.ts [corpus-schemas-dir]
// Writes server/src/schema/generated/<name>.json (facts only; descriptions live in descriptions.ts).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSchemaJson } from '../server/src/schema/facts';
import { readProto } from '../server/src/schema/proto-reader';

export const SCHEMA_NAMES = ['bvlc', 'ssd', 'fastrcnn', 'nvidia', 'ducha', 'sphereface', 'pspnet'] as const;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemasDir = path.resolve(process.argv[2] ?? path.join(repoRoot, '../shared/corpus/schemas'));
const outDir = path.join(repoRoot, 'server/src/schema/generated');

function main(): number {
  if (!fs.existsSync(schemasDir)) {
    console.error(`generate-schema: ${schemasDir} not found (pass the folder holding <name>/caffe.proto)`);
    return 2;
  }
  fs.mkdirSync(outDir, { recursive: true });
  let failed = false;
  for (const name of SCHEMA_NAMES) {
    const file = path.join(schemasDir, name, 'caffe.proto');
    const { data, errors } = readProto(fs.readFileSync(file, 'utf8'), file);
    for (const e of errors) console.error(`${file}:${e.line + 1}:${e.character + 1}: ${e.message}`);
    if (errors.length > 0) {
      failed = true;
      continue;
    }
    const header = {
      generated:
        'GENERATED FILE - do not edit; facts only (names, numbers, types, labels, defaults, enum values)',
      from: `shared/corpus/schemas/${name}/caffe.proto`,
      regenerate: 'node --import tsx scripts/generate-schema.ts',
    };
    const out = path.join(outDir, `${name}.json`);
    fs.writeFileSync(out, generatedSchemaJson(header, data));
    console.log(
      `${path.relative(repoRoot, out)}: ${data.messages.length} messages, ${data.enums.length} enums`,
    );
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
