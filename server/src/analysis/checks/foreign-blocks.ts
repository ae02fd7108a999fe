// Fork blocks that are another Caffe's: a field only bundled forks define (proposal_param), whose
// block none of their messages takes, with fields those messages lack (PVANet's ratio and scale,
// which Synopsys Caffe's ProposalParameter does not have). The fork-field check says it once on the
// field, and the unknown-field check leaves those fields to it.

import type { FieldNode } from '../../parser/ast';
import type { MessageDef } from '../../schema/model';
import type { AnalysisDiagnostic } from '../diagnostic';
import { fitsFork, forkLabel, listed, type CheckContext } from './context';
import { misplacedField } from './misplaced-field';
import { closestNames } from './suggest';

/** Field names of a message in the main schema and, for suggestions, in the forks. */
export function candidateNames(ctx: CheckContext, def: MessageDef): string[] {
  const names = new Set(def.fields.map((f) => f.name));
  for (const fork of ctx.forks)
    for (const f of fork.schema.message(def.fullName)?.fields ?? []) names.add(f.name);
  return [...names];
}

/**
 * For a field only forks define (`defining`), written in `message`, whose block is another Caffe's:
 * the block's own fields one of those forks' messages lacks (PVANet's proposal_param holds ratio and
 * scale, which Synopsys Caffe's ProposalParameter, the only bundled one, does not have). Another
 * Caffe's when no such fork takes the block whole and the fields that do not fit are two names or
 * more, or half of the block: one such field among fitting ones is said on its own, as is a slip (a
 * name close to one of the message's) or a field of a block further out.
 */
function strangers(
  ctx: CheckContext,
  message: string,
  node: FieldNode,
  defining: readonly string[],
): FieldNode[] {
  const value = node.value;
  if (value?.kind !== 'message' || defining.some((name) => fitsFork(ctx, name, message, node))) return [];
  const inner: MessageDef[] = [];
  for (const name of defining) {
    const schema = ctx.forks.find((f) => f.name === name)?.schema;
    const def = schema?.field(message, node.name);
    const m = def && schema?.messageOf(def);
    if (m) inner.push(m);
  }
  if (inner.length === 0) return [];
  const candidates = [...new Set(inner.flatMap((m) => candidateNames(ctx, m)))];
  const out = value.fields.filter(
    (f) =>
      inner.some((m) => !m.fields.some((d) => d.name === f.name)) &&
      closestNames(f.name, candidates).length === 0 &&
      !misplacedField(ctx.ast, ctx.resolved.top, ctx.schema, value, f.name),
  );
  const names = new Set(out.map((f) => f.name)).size;
  return names >= 2 || out.length * 2 >= value.fields.length ? out : [];
}

/**
 * Per resolved tree: the strangers of each fork field worked out so far (each unknown field inside
 * asks for its owner's), and each fork field's holder message, listed when first needed.
 */
const perTree = new WeakMap<
  object,
  { strangers: Map<FieldNode, ReadonlySet<FieldNode>>; holders?: Map<FieldNode, MessageDef> }
>();

/**
 * `strangers` of the fork field `owner`, once per tree. `holder`: the message of the block holding
 * it, when the caller has it; else it is looked up in the whole tree (checks may see a slice of its
 * blocks, block-slices.ts, which need not hold the holder).
 */
export function strangersOfOwner(
  ctx: CheckContext,
  owner: FieldNode,
  holder?: MessageDef,
): ReadonlySet<FieldNode> {
  let cache = perTree.get(ctx.resolved);
  if (!cache) perTree.set(ctx.resolved, (cache = { strangers: new Map() }));
  let found = cache.strangers.get(owner);
  if (found) return found;
  if (!holder) {
    let holders = cache.holders;
    if (!holders) {
      holders = cache.holders = new Map();
      for (const block of ctx.resolved.blocks)
        for (const f of block.node.fields) if (ctx.resolved.forkFields.has(f)) holders.set(f, block.def);
    }
    holder = holders.get(owner);
  }
  const defining = ctx.resolved.forkFields.get(owner);
  found = new Set(defining && holder ? strangers(ctx, holder.fullName, owner, defining) : []);
  cache.strangers.set(owner, found);
  return found;
}

/**
 * One warning for a fork field whose block is another Caffe's: a message of that name some bundled fork
 * has, without fields the block holds. No schema to choose is offered: none of the bundled ones reads
 * the block; the fields are its related places.
 */
export function anotherCaffesBlock(
  ctx: CheckContext,
  holder: MessageDef,
  node: FieldNode,
  defining: readonly string[],
  foreign: readonly FieldNode[],
): AnalysisDiagnostic {
  const names = [...new Set(foreign.map((f) => `"${f.name}"`))];
  const labels = defining.map((name) => forkLabel(ctx, name));
  const inner = innerMessageName(ctx, holder.fullName, node, defining);
  const who =
    labels.length === 1
      ? `the ${inner} of ${labels[0]}, the bundled Caffe that has it, has no ${names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}`
      : `none of the bundled Caffes that have it (${listed(labels)}) has ${names.length === 1 ? names[0] : `all of ${listed(names)}`} in its ${inner}`;
  return {
    severity: 'warning',
    code: 'fork-field',
    // None of the bundled forks reads it (fork-layer-fields.ts then offers none for the layer's type).
    forks: [],
    message: `"${node.name}" of ${holder.name} is not in BVLC Caffe, and ${who}: the block is written for another Caffe. Check the net against that Caffe's caffe.proto (prototxt.schema.paths or --schema).`,
    start: node.nameSpan.start,
    end: node.nameSpan.end,
    related: foreign.map((f) => ({
      start: f.nameSpan.start,
      end: f.nameSpan.end,
      message: `"${f.name}" is not a field of ${inner} in ${listed(labels)}`,
    })),
  };
}

/** The name of the message the forks `defining` give the field `node` of `message` (ProposalParameter). */
function innerMessageName(
  ctx: CheckContext,
  message: string,
  node: FieldNode,
  defining: readonly string[],
): string {
  for (const name of defining) {
    const schema = ctx.forks.find((f) => f.name === name)?.schema;
    const def = schema?.field(message, node.name);
    const inner = def && schema?.messageOf(def);
    if (inner) return inner.name;
  }
  return 'message';
}
