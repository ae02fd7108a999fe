// A layer's parameter blocks by name (used by the net model).

import type { MessageNode } from '../../parser/ast';

/**
 * A layer's `*_param` blocks by name, the first block when one is written twice. A layer has one or
 * two of them: the first sits in two slots and any others in a list (a Map per layer, or a list for
 * every layer, costs several times more on a large net).
 */
export class ParamBlockMap implements ReadonlyMap<string, MessageNode> {
  /** Blocks after the first (most layers have one): names and blocks, alternating, exactly that long. */
  private more: readonly (string | MessageNode)[] | undefined = undefined;

  constructor(
    private readonly firstName: string,
    private readonly firstBlock: MessageNode,
  ) {}

  add(name: string, block: MessageNode): void {
    if (!this.has(name)) this.more = this.more ? [...this.more, name, block] : [name, block];
  }

  get(name: string): MessageNode | undefined {
    if (this.firstName === name) return this.firstBlock;
    const more = this.more;
    if (more === undefined) return undefined;
    for (let i = 0; i < more.length; i += 2) if (more[i] === name) return more[i + 1] as MessageNode;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    return 1 + (this.more ? this.more.length / 2 : 0);
  }

  *entries(): MapIterator<[string, MessageNode]> {
    yield [this.firstName, this.firstBlock];
    const more = this.more ?? [];
    for (let i = 0; i < more.length; i += 2) yield [more[i] as string, more[i + 1] as MessageNode];
  }

  *keys(): MapIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): MapIterator<MessageNode> {
    for (const [, block] of this.entries()) yield block;
  }

  [Symbol.iterator](): MapIterator<[string, MessageNode]> {
    return this.entries();
  }

  /** A plain loop (no iterator): the checks and the shapes ask every layer. */
  forEach(fn: (value: MessageNode, key: string, map: ReadonlyMap<string, MessageNode>) => void): void {
    fn(this.firstBlock, this.firstName, this);
    const more = this.more;
    if (more === undefined) return;
    for (let i = 0; i < more.length; i += 2) fn(more[i + 1] as MessageNode, more[i] as string, this);
  }
}
