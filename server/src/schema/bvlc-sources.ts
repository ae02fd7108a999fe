// Whether a Caffe checkout's layer source is one that BVLC Caffe released: the shape rules are BVLC's
// arithmetic, and a fork that changed a layer's C++ (caffe-posenet's Data gives a label of seven
// values per image) may shape its tops otherwise. Each layer file of BVLC's master history and
// release tags is known by a fingerprint of its code (comments and white space left out, so that a
// re-indented or commented copy still counts as BVLC's); generated/bvlc-layer-sources.json holds them,
// made by scripts/generate-bvlc-sources.ts.

import { createHash } from 'node:crypto';
import data from './generated/bvlc-layer-sources.json';
import ssdData from './generated/ssd-layer-sources.json';

type Fingerprints = ReadonlyMap<string, ReadonlySet<string>>;

/** File name -> its versions' fingerprints, made on first use (only a checkout's scan asks). */
let fingerprints: Fingerprints | undefined;
/** The same of SSD's own layer files (weiliu89/caffe, branch ssd), which BVLC never had. */
let ssdFingerprints: Fingerprints | undefined;

function byFile(json: unknown): Fingerprints {
  const files = (json as { files?: Record<string, string[]> }).files ?? {};
  return new Map(Object.entries(files).map(([file, prints]) => [file, new Set(prints)]));
}

function released(): Fingerprints {
  return (fingerprints ??= byFile(data));
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

/**
 * Whether `text`, the layer file named `name` (`prior_box_layer.cpp`), is one of SSD's versions of it;
 * undefined when SSD has no layer file of its own of that name. The rules of SSD's layer types follow
 * its code, as those of BVLC's follow BVLC's.
 */
export function isSsdLayerSource(name: string, text: string): boolean | undefined {
  const prints = (ssdFingerprints ??= byFile(ssdData)).get(name);
  return prints === undefined ? undefined : prints.has(sourceFingerprint(text));
}
