// A layer's parameter blocks by name (used by the net model).

import type { MessageNode } from '../../parser/ast';

/**
 * A layer's `*_param` blocks by name, the first block when one is written twice: a plain list, since
 * a layer has one or two of them (a Map per layer costs several times more on a large net).
 */
export class ParamBlockMap implements ReadonlyMap<string, MessageNode> {
  /** Names and blocks, alternating, in an array of exactly that length. */
  private items: readonly (string | MessageNode)[];

  constructor(name: string, block: MessageNode) {
    this.items = [name, block];
  }

  add(name: string, block: MessageNode): void {
    if (!this.has(name)) this.items = [...this.items, name, block];
  }

  get(name: string): MessageNode | undefined {
    const items = this.items;
    for (let i = 0; i < items.length; i += 2) if (items[i] === name) return items[i + 1] as MessageNode;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    return this.items.length / 2;
  }

  *entries(): MapIterator<[string, MessageNode]> {
    for (let i = 0; i < this.items.length; i += 2)
      yield [this.items[i] as string, this.items[i + 1] as MessageNode];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.items.length; i += 2) yield this.items[i] as string;
  }

  *values(): MapIterator<MessageNode> {
    for (let i = 1; i < this.items.length; i += 2) yield this.items[i] as MessageNode;
  }

  [Symbol.iterator](): MapIterator<[string, MessageNode]> {
    return this.entries();
  }

  /** A plain loop (no iterator): the checks and the shapes ask every layer. */
  forEach(fn: (value: MessageNode, key: string, map: ReadonlyMap<string, MessageNode>) => void): void {
    const items = this.items;
    for (let i = 0; i < items.length; i += 2) fn(items[i + 1] as MessageNode, items[i] as string, this);
  }
}
