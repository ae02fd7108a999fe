// The deploy nets beside a file, read from disk once per folder and kept until a file of that folder
// changes: the image sizes they declare fill what a data layer beside them cannot say (see
// analysis/shapes/deploy-inputs.ts). Used by the editor's analyses and by `caffe-prototxt shapes`.

import fs from 'node:fs';
import path from 'node:path';
import { deployFills, deployNetInputs, type DeployNet } from '../analysis/shapes/deploy-inputs';
import type { StatedShapes } from '../analysis/shapes/input-shapes';
import type { Schema } from '../schema/schema';

/** Files looked at in one folder at most, and the largest one read (deploy nets are small). */
const MAX_SIBLINGS = 50;
const MAX_BYTES = 1 << 20;
const NET_FILE = /\.(prototxt|pt)$/;
/** Text a net declaring an input has (a legacy `input:`, or an Input layer): the others are not parsed. */
const DECLARES_INPUT = /(?:^|[\s{;,])input\s*:|type\s*:\s*["']Input["']/m;

/** The deploy nets in `dir`, by file name. */
export function deployNetsIn(dir: string, schema?: Schema): DeployNet[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => NET_FILE.test(n));
  } catch {
    return [];
  }
  const nets: DeployNet[] = [];
  for (const name of names.sort().slice(0, MAX_SIBLINGS)) {
    try {
      const full = path.join(dir, name);
      const stat = fs.statSync(full);
      if (!stat.isFile() || stat.size > MAX_BYTES) continue;
      const text = fs.readFileSync(full, 'utf8');
      const inputs = DECLARES_INPUT.test(text) ? deployNetInputs(text, schema) : undefined;
      if (inputs) nets.push({ name, inputs });
    } catch {
      // An unreadable neighbour says nothing.
    }
  }
  return nets;
}

/** The shapes the deploy nets beside `file` (not `file` itself) fill in. */
export function fillsBeside(file: string, nets: readonly DeployNet[]): StatedShapes {
  const own = path.basename(file);
  return deployFills(nets.filter((n) => n.name !== own));
}

/** Each folder's deploy nets, read on first ask and forgotten when a net file of the folder changes. */
export class DeployNets {
  private readonly byDir = new Map<string, { schema?: Schema; nets: DeployNet[] }>();

  /** The shapes the deploy nets beside `file` fill in. */
  fillsFor(file: string, schema?: Schema): StatedShapes {
    const dir = path.dirname(file);
    let known = this.byDir.get(dir);
    if (!known || known.schema !== schema) {
      known = { schema, nets: deployNetsIn(dir, schema) };
      this.byDir.set(dir, known);
    }
    return fillsBeside(file, known.nets);
  }

  /**
   * Forgets the folders of `changed` (files created, changed or deleted); returns whether one of them
   * had been read, that is whether an analysis may have used what changed.
   */
  filesChanged(changed: readonly string[]): boolean {
    let forgot = false;
    for (const file of changed) {
      if (NET_FILE.test(file) && this.byDir.delete(path.dirname(file))) forgot = true;
    }
    return forgot;
  }
}
