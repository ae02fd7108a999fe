// The schemas shipped with the extension as a user chooses them: `bundled:NAME` in
// prototxt.schema.paths or with --schema, the list offered, and the forks the bundled-BVLC policy
// consults.

import type { ForkSchema } from '../analysis/model/resolve';
import { BUNDLED_FORKS, bundledLabel, loadBundledFork, loadBundledSchema } from '../schema/bundled';
import type { Schema } from '../schema/schema';

/** `bundled:ssd`: a bundled schema chosen in prototxt.schema.paths or with --schema. */
const BUNDLED_SETTING = /^bundled:([A-Za-z0-9_-]+)$/;

/** Whether a schema path setting (or --schema) names a bundled schema rather than a file. */
export function isBundledSetting(written: string): boolean {
  return BUNDLED_SETTING.test(written);
}

/** The bundled schemas a user may choose as the one in use: the setting that chooses each, and its name. */
export function bundledChoices(): { setting: string; label: string }[] {
  return [
    { setting: 'bundled:bvlc', label: bundledLabel('bvlc') },
    ...BUNDLED_FORKS.map((f) => ({ setting: `bundled:${f.name}`, label: f.label })),
  ];
}

/** The bundled schema a `bundled:NAME` setting chooses; undefined for a name none has. */
export function bundledChoice(written: string): Schema | undefined {
  const name = BUNDLED_SETTING.exec(written)?.[1];
  if (name === undefined) return undefined;
  return name === 'bvlc' ? loadBundledSchema() : loadBundledFork(name);
}

/** What is said of a `bundled:NAME` setting that names no bundled schema. */
export function unknownBundledChoice(written: string): string {
  return `No bundled schema is called ${written}: the bundled schemas are ${bundledChoices()
    .map((c) => c.setting)
    .join(', ')}.`;
}

/** The bundled forks' schemas, for the bundled-BVLC severity policy. A new set per call. */
export function bundledForkSchemas(): ForkSchema[] {
  const out: ForkSchema[] = [];
  for (const fork of BUNDLED_FORKS) {
    const schema = loadBundledFork(fork.name);
    if (schema) out.push({ name: fork.name, label: fork.label, protoPath: fork.protoPath, schema });
  }
  return out;
}
