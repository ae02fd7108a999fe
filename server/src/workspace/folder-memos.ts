// What schema discovery asks of a folder, asked once: whether a folder holding a checkout is a project
// of its own, and which checkouts the scripts of a folder run Caffe's tools from.

import { toolCheckouts } from '../schema/checkout-scripts';
import { projectOfItsOwn } from '../schema/discovery';

/** projectOfItsOwn, asked once per folder and checkout. */
export class ProjectFolders {
  private readonly known = new Map<string, boolean>();

  get(folder: string, checkout: string): boolean {
    const key = `${folder}\0${checkout}`;
    let found = this.known.get(key);
    if (found === undefined) this.known.set(key, (found = projectOfItsOwn(folder, checkout)));
    return found;
  }
}

/** The checkouts the scripts of each folder run Caffe's tools from (schema/checkout-scripts.ts), read once. */
export class ToolCheckouts {
  private readonly known = new Map<string, string[][]>();

  get(folder: string, top: string | undefined): string[][] {
    const key = `${folder}\0${top ?? ''}`;
    let found = this.known.get(key);
    if (found === undefined) this.known.set(key, (found = toolCheckouts(folder, top)));
    return found;
  }
}
