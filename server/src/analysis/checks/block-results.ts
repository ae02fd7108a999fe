// The block checks' problems per field, for the next version to take over: a keystroke changes one
// layer, and every other field whose text is the same has the same problems in its blocks (moved with
// the field) without the checks looking at them again.
//
// A block check reports for one block at a time what its fields, their definitions and the schema
// make of it: the problems of the blocks of a field's value lie within that field and depend on its
// text and on the message its value is read as. As for the shape rules' results
// (shapes/rule-results.ts), that holds in a tree parsed without problems, the text is known to be the
// same from where the edit changed it, and only the previous version's results are consulted. The
// blocks that hold the edit (the document's, a layer's, a solver's `net_param`) are checked anew, each
// on its own, and their fields' blocks are kept apart, so the layers of an embedded net are taken
// over one by one as well.

import type { DocumentNode, FieldNode } from '../../parser/ast';
import type { MessageDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import { startBefore, type ChangedRegion } from '../../util/text-change';
import { lastAtOrBefore, pushAll } from '../../../../common/arrays';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { ForkSchema, ResolvedBlock } from '../model/resolve';
import type { Check, CheckContext } from './context';

/**
 * The problems of one field's blocks: one list per block check, offsets from the field's start; with
 * the field's length and the message its value was read as.
 */
interface Kept {
  length: number;
  def: MessageDef;
  schema: Schema;
  problems: readonly (readonly AnalysisDiagnostic[])[] | undefined;
}

/** What a tree is resolved with: the top message's definition, the schema and the forks. */
export interface Resolution {
  top: MessageDef | undefined;
  schema: Schema;
  forks: readonly ForkSchema[];
}

export class BlockResults {
  /** Kept by the offset their field starts at. */
  private readonly made = new Map<number, Kept>();
  /** The previous version's results, and what changed since (undefined when nothing did). */
  private readonly earlier?: { made: ReadonlyMap<number, Kept>; change: ChangedRegion | undefined };
  /** False when the tree has syntax problems: nothing is kept or looked up. */
  private readonly usable: boolean;

  /**
   * `resolvedBy`: what the tree was resolved with; `previous`: the results of the document's version
   * before this one, when they are known, and what the edit changed since.
   */
  constructor(
    ast: DocumentNode,
    private readonly resolvedBy: Resolution,
    previous?: { results?: BlockResults; change: ChangedRegion | undefined },
  ) {
    this.usable = ast.errors.length === 0;
    const before = previous?.results;
    if (this.usable && before?.usable && sameResolution(before.resolvedBy, resolvedBy))
      this.earlier = { made: before.made, change: previous?.change };
  }

  /**
   * Runs `checks` (each over blocks only) on `ctx`'s resolved tree, taking over what the previous
   * version found for the fields the edit left as they were; returns each check's problems in the
   * order it reports them over the whole tree.
   */
  run(ctx: CheckContext, checks: readonly Check[]): AnalysisDiagnostic[][] {
    const blocks = ctx.resolved.blocks;
    const out: AnalysisDiagnostic[][] = checks.map(() => []);
    if (blocks[0]?.node !== ctx.ast) return out;
    const parts = this.plan(blocks);
    // The blocks on the way to the edit are checked one by one, the fields' blocks not taken over
    // all together (their problems then sorted out by the field they lie in).
    const units = parts.filter((p): p is Unit => 'from' in p && p.kept === undefined);
    const toCheck: ResolvedBlock[] = [];
    for (const unit of units) for (let b = unit.from; b < unit.to; b++) toCheck.push(blocks[b]);
    const own = new Map<ResolvedBlock, AnalysisDiagnostic[][]>();
    const found = new Map<Unit, AnalysisDiagnostic[][]>();
    checks.forEach((check, c) => {
      for (const part of parts) {
        if (!('block' in part)) continue;
        const lists = own.get(part.block) ?? checks.map(() => []);
        own.set(part.block, lists);
        check({ ...ctx, blocks: [part.block], report: (d) => lists[c].push(d) });
      }
      if (toCheck.length === 0) return;
      check({
        ...ctx,
        blocks: toCheck,
        report: (d) => {
          const unit = units[unitAt(units, d.start)];
          let lists = found.get(unit);
          if (!lists) found.set(unit, (lists = checks.map(() => [])));
          lists[c].push(d);
        },
      });
    });
    // Every part's problems in walk order: a block's own, then its fields' blocks'.
    for (const part of parts) {
      if ('block' in part) {
        own.get(part.block)?.forEach((list, c) => pushAll(out[c], list));
        continue;
      }
      const field = part.field;
      const kept = part.kept ?? this.kept(part, blocks[part.from], found.get(part));
      if (this.usable) this.made.set(field.start, kept);
      kept.problems?.forEach((list, c) => {
        for (const p of list) out[c].push(moved(p, field.start));
      });
    }
    return out;
  }

  /**
   * The tree in walk order as parts: the document's block, and for each of its fields that has
   * blocks, what the previous version found for them, else (for the field the edit is in, when the
   * previous version was known) its block and its fields the same way, else its blocks.
   */
  private plan(blocks: readonly ResolvedBlock[]): Part[] {
    const parts: Part[] = [];
    const visit = (b: number): number => {
      const block = blocks[b];
      parts.push({ block });
      let next = b + 1;
      for (const field of block.node.fields) {
        if (next >= blocks.length || blocks[next].owner !== field) continue;
        const from = next;
        const past = field.end;
        while (next < blocks.length && blocks[next].node.start < past) next++;
        const kept = this.takenOver(field, blocks[from]);
        const edited = this.earlier && startBefore(this.earlier.change, field.start, field.end) === undefined;
        if (!kept && edited && field.value?.kind === 'message') next = visit(from);
        else parts.push({ field, from, to: next, kept });
      }
      return next;
    };
    visit(0);
    return parts;
  }

  /** What the previous version found for `field`'s blocks, when the edit left it as it was. */
  private takenOver(field: FieldNode, first: ResolvedBlock): Kept | undefined {
    if (!this.earlier) return undefined;
    const was = startBefore(this.earlier.change, field.start, field.end);
    const kept = was === undefined ? undefined : this.earlier.made.get(was);
    // A field of the same name may have another type in another message.
    if (!kept || kept.def !== first.def || kept.schema !== first.schema) return undefined;
    return kept.length === field.end - field.start ? kept : undefined;
  }

  private kept(
    unit: Unit,
    first: ResolvedBlock,
    found: readonly (readonly AnalysisDiagnostic[])[] | undefined,
  ): Kept {
    const { field } = unit;
    const at = { length: field.end - field.start, def: first.def, schema: first.schema };
    if (found === undefined) return { ...at, problems: undefined };
    return { ...at, problems: found.map((list) => list.map((p) => moved(p, -field.start))) };
  }
}

/** A block checked on its own, or a field's blocks `[from, to)` (`kept`: taken over). */
type Part = { block: ResolvedBlock } | Unit;

interface Unit {
  field: FieldNode;
  from: number;
  to: number;
  kept: Kept | undefined;
}

function sameResolution(a: Resolution, b: Resolution): boolean {
  return (
    a.top === b.top &&
    a.schema === b.schema &&
    a.forks.length === b.forks.length &&
    a.forks.every((f, i) => f.schema === b.forks[i].schema)
  );
}

/** The index of the last of `units` (in text order) starting at or before `offset`. */
function unitAt(units: readonly Unit[], offset: number): number {
  return Math.max(
    0,
    lastAtOrBefore(units.length, (i) => units[i].field.start, offset),
  );
}

/** `p` with its offsets (and its related locations') moved by `by`. */
function moved(p: AnalysisDiagnostic, by: number): AnalysisDiagnostic {
  const out = { ...p, start: p.start + by, end: p.end + by };
  if (p.related) out.related = p.related.map((r) => ({ ...r, start: r.start + by, end: r.end + by }));
  return out;
}
