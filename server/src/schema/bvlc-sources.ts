// Whether a Caffe checkout's layer source is one that BVLC Caffe released: the shape rules are BVLC's
// arithmetic, and a fork that changed a layer's C++ (caffe-posenet's Data gives a label of seven
// values per image) may shape its tops otherwise. Each layer file of BVLC's master history and
// release tags is known by a fingerprint of its code (comments and white space left out, so that a
// re-indented or commented copy still counts as BVLC's); generated/bvlc-layer-sources.json holds them,
// made by scripts/generate-bvlc-sources.ts.

import { createHash } from 'node:crypto';
import data from './generated/bvlc-layer-sources.json';

/** File name -> its versions' fingerprints, made on first use (only a checkout's scan asks). */
let fingerprints: ReadonlyMap<string, ReadonlySet<string>> | undefined;

function released(): ReadonlyMap<string, ReadonlySet<string>> {
  fingerprints ??= new Map(
    Object.entries((data as { files?: Record<string, string[]> }).files ?? {}).map(([file, prints]) => [
      file,
      new Set(prints),
    ]),
  );
  return fingerprints;
}

/** The fingerprint of a C++ source text: the first 8 hex digits of the SHA-1 of its code alone. */
export function sourceFingerprint(text: string): string {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/[ \t\r\n\f\v]+/g, '');
  return createHash('sha1').update(code, 'utf8').digest('hex').slice(0, 8);
}

/**
 * Whether `text`, the content of the layer file named `name` (`conv_layer.cpp`), is the code of one of
 * BVLC's versions of that file; undefined when BVLC never had a layer file of that name.
 */
export function isBvlcLayerSource(name: string, text: string): boolean | undefined {
  const prints = released().get(name);
  return prints === undefined ? undefined : prints.has(sourceFingerprint(text));
}
