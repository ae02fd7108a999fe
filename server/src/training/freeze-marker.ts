// The comment line Freeze writes above a layer whose written lr_mult/decay_mult values it changed or
// found already there: `# before Freeze: param { lr_mult: 2 decay_mult: 0 } param { }`, one block per
// `param { }` the layer had, with the values as they were written. Unfreeze reads it to put them back.

import type { NetLayer } from '../analysis/model/net';
import { lineStart, startsLine } from './text-edits';

export const MARKER_PREFIX = '# before Freeze:';

/** The lr_mult and decay_mult text of one `param { }` (absent: not written). */
export interface MarkerSpec {
  lr_mult?: string;
  decay_mult?: string;
}

export interface Marker {
  specs: MarkerSpec[];
  /** The marker's line, its line break included. */
  start: number;
  end: number;
}

export function markerLine(specs: readonly MarkerSpec[]): string {
  const blocks = specs.map((s) => {
    const fields = (['lr_mult', 'decay_mult'] as const)
      .filter((k) => s[k] !== undefined)
      .map((k) => `${k}: ${s[k]}`);
    return fields.length > 0 ? `param { ${fields.join(' ')} }` : 'param { }';
  });
  return `${MARKER_PREFIX} ${blocks.join(' ')}`;
}

const BLOCK = /param \{([^{}]*)\}/g;
const FIELD = /\b(lr_mult|decay_mult): ([^\s{}]+)/g;

/** The marker on the line just above the line a layer starts, when the layer starts its line. */
export function readMarker(text: string, layer: NetLayer): Marker | undefined {
  const start = layer.node.start;
  if (!startsLine(text, start)) return undefined;
  const end = lineStart(text, start);
  if (end === 0) return undefined;
  const previous = lineStart(text, end - (text.startsWith('\r\n', end - 2) ? 2 : 1));
  const line = text.slice(previous, end).trim();
  if (!line.startsWith(MARKER_PREFIX)) return undefined;
  const specs: MarkerSpec[] = [];
  for (const block of line.slice(MARKER_PREFIX.length).matchAll(BLOCK)) {
    const spec: MarkerSpec = {};
    for (const field of block[1].matchAll(FIELD)) spec[field[1] as keyof MarkerSpec] = field[2];
    specs.push(spec);
  }
  return { specs, start: previous, end };
}
