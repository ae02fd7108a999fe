// The real nets the fuzzer starts from: the shared corpus beside the repository.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { corpusRoot } from '../helpers/paths';

/** Nets larger than this are left out: the edited documents stay a realistic size. */
const MAX_NET_BYTES = 400_000;

/** Every .prototxt of the corpus in a stable order, or a reason why there are none. */
export function loadCorpus(
  root = corpusRoot,
): { nets: { name: string; text: string }[] } | { absent: string } {
  const files = path.join(root, 'files');
  if (!existsSync(files)) return { absent: `the corpus is absent: ${files} not found` };
  return loadNets(files);
}

/** Every .prototxt under `files` (a checkout of any repository) in a stable order. */
export function loadNets(files: string): { nets: { name: string; text: string }[] } | { absent: string } {
  if (!existsSync(files)) return { absent: `${files} not found` };
  const nets: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.prototxt') && statSync(p).size <= MAX_NET_BYTES)
        nets.push({ name: path.relative(files, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(files);
  return nets.length > 0 ? { nets } : { absent: `no .prototxt under ${files}` };
}
