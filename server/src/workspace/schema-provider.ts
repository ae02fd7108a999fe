import { BUNDLED_FORKS, loadBundledFork } from '../schema/bundled';
import type { ForkSchema } from '../analysis/resolve';

/** The bundled forks' schemas, for the bundled-BVLC severity policy. A new set per call. */
export function bundledForkSchemas(): ForkSchema[] {
  const out: ForkSchema[] = [];
  for (const fork of BUNDLED_FORKS) {
    const schema = loadBundledFork(fork.name);
    if (schema) out.push({ name: fork.name, label: fork.label, protoPath: fork.protoPath, schema });
  }
  return out;
}
