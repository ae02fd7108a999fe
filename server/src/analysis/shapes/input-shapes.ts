// Shapes the user states for a net's inputs when the file cannot say them (a data layer reading an
// LMDB, an HDF5 file...): `--input-shape data=64,3,224,224` on the command line, or a comment line in
// the prototxt itself:
//
//   # input-shape: data=64,3,224,224 label=64
//
// A stated shape replaces what inference gives the top of a layer without bottoms (a data layer, an
// Input layer) or a legacy input of that name; where it came from is kept for hover and the CLI.

import type { Comment } from '../../parser/ast';

/** A blob shape (as in ./types, not imported: the net model reads this file and types.ts reads the model). */
type Shape = readonly number[];

export interface StatedShape {
  shape: Shape;
  /** Where the shape was stated, e.g. `--input-shape` or `# input-shape: comment`. */
  source: string;
  /** The comment's offsets when stated in the file. */
  start?: number;
  end?: number;
  /**
   * Set when the shape only fills the dims inference leaves unknown, of the same rank (a deploy net's
   * C×H×W for a data layer that says its batch and crop but not its image size).
   */
  fill?: boolean;
}

export type StatedShapes = ReadonlyMap<string, StatedShape>;

const COMMENT = /^#\s*input-shape:\s*(.*)$/;
const MAX_DIMS = 32;

/** `name=d1,d2,...` as a blob name and positive integer dims, or why it is not one. */
export function parseInputShape(spec: string): { name: string; shape: Shape } | string {
  const eq = spec.lastIndexOf('=');
  const name = spec.slice(0, eq).trim();
  if (eq <= 0 || name === '') return `'${spec}' is not NAME=DIM,DIM,... (e.g. data=64,3,224,224)`;
  const dims = spec
    .slice(eq + 1)
    .split(/[,x×]/)
    .map((d) => d.trim());
  if (dims.length > MAX_DIMS || !dims.every((d) => /^[1-9]\d{0,9}$/.test(d)))
    return `the dims of '${spec}' must be positive integers separated by commas`;
  return { name, shape: dims.map(Number) };
}

/** The `# input-shape:` lines of a document; malformed entries are returned as problems. */
export function inputShapesFromComments(comments: readonly Comment[]): {
  shapes: Map<string, StatedShape>;
  problems: { message: string; start: number; end: number }[];
} {
  const shapes = new Map<string, StatedShape>();
  const problems: { message: string; start: number; end: number }[] = [];
  for (const c of comments) {
    const m = COMMENT.exec(c.text);
    if (!m) continue;
    for (const spec of m[1].split(/\s+/).filter(Boolean)) {
      const parsed = parseInputShape(spec);
      if (typeof parsed === 'string') problems.push({ message: parsed, start: c.start, end: c.end });
      else
        shapes.set(parsed.name, {
          shape: parsed.shape,
          source: '# input-shape: comment',
          start: c.start,
          end: c.end,
        });
    }
  }
  return { shapes, problems };
}

/** Both sets of stated shapes, the first winning for a name in both. */
export function mergeStated(
  first: StatedShapes | undefined,
  second: StatedShapes | undefined,
): StatedShapes | undefined {
  if (!first || first.size === 0) return second;
  if (!second || second.size === 0) return first;
  return new Map([...second, ...first]);
}
