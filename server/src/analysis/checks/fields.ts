// Field-level schema checks: unknown names (with did-you-mean), fields only forks define, singular
// fields given twice, required fields left out, deprecated fields.

import type { FieldNode } from '../../parser/ast';
import type { FieldDef, MessageDef } from '../../schema/model';
import type { ResolvedBlock } from '../model/resolve';
import { bundledWithField } from '../../schema/bundled';
import {
  bundledHolderNote,
  fitsFork,
  forkFix,
  forksRepeating,
  listed,
  repeatedInForks,
  type Check,
  type CheckContext,
} from './context';
import { LineIndex } from '../../util/ranges';
import { misplacedField } from './misplaced-field';
import { closestNames, didYouMean } from './suggest';
import { anotherCaffesBlock, candidateNames, strangersOfOwner } from './foreign-blocks';
import { originWords, unknownFieldOrigin } from './unknown-field-origin';
import { namedTemplateWord } from './syntax';
import { repositoryLayerBlock } from './repository-blocks';

export const checkUnknownFields: Check = (ctx) => {
  // A broken file repeats the same unknown names: each message's candidates and each name's
  // suggestions are worked out once.
  const known = new Map<MessageDef, { candidates: string[]; suggestions: Map<string, string[]> }>();
  for (let b = 0; b < ctx.blocks.length; b++) {
    const parent = ctx.blocks[b];
    const fields = parent.node.fields;
    for (let i = 0; i < fields.length; i++) {
      if (parent.fieldDef(i)) continue;
      const node = fields[i];
      let ofMessage = known.get(parent.def);
      if (!ofMessage) {
        ofMessage = { candidates: candidateNames(ctx, parent.def), suggestions: new Map() };
        known.set(parent.def, ofMessage);
      }
      let suggestions = ofMessage.suggestions.get(node.name);
      if (!suggestions) {
        suggestions = closestNames(node.name, ofMessage.candidates);
        ofMessage.suggestions.set(node.name, suggestions);
      }
      reportUnknown(ctx, node, parent, suggestions, b);
    }
  }
};

function reportUnknown(
  ctx: CheckContext,
  node: FieldNode,
  parent: ResolvedBlock,
  suggestions: readonly string[],
  at: number,
): void {
  const placeholder = namedTemplateWord(ctx, node.name);
  if (placeholder !== undefined) {
    ctx.report({
      severity: 'warning',
      code: 'unknown-field',
      message: `Message type "${parent.def.fullName}" has no field named "${node.name}": ${placeholder}`,
      start: node.nameSpan.start,
      end: node.nameSpan.end,
    });
    return;
  }
  const other = OTHER_NAMES.get(`${parent.def.fullName}.${node.name}`);
  const known = other !== undefined && parent.def.fields.some((f) => f.name === other.instead);
  const misplaced = known
    ? undefined
    : misplacedField(ctx.ast, ctx.resolved.top, ctx.schema, parent.node, node.name);
  // Under a caffe.proto the user chose, a name a bundled schema has is that Caffe's, not a slip: its
  // holders are named (a quick fix offers their schemas), and no look-alike names are offered.
  const holders =
    known || misplaced || ctx.schemaKind !== 'user' ? [] : bundledWithField(parent.def.fullName, node.name);
  const origin =
    known || misplaced || holders.length > 0
      ? undefined
      : unknownFieldOrigin(ctx, node, parent, suggestions, at);
  const offered = known
    ? other.rename
      ? [other.rename]
      : []
    : misplaced || holders.length > 0 || origin
      ? []
      : suggestions;
  // A block the schema in use lacks, read with a fork's message (under a fork-field warning): the
  // field is unknown to that fork's definition, which may not be the one of the user's Caffe.
  const fork = parent.schema !== ctx.schema ? ctx.forks.find((f) => f.schema === parent.schema) : undefined;
  // The fork-field warning of the block says it already, with the block's other strangers.
  if (fork && parent.owner && strangersOfOwner(ctx, parent.owner).has(node)) return;
  const readWith = fork
    ? ` in the caffe.proto of ${fork.label}, whose ${parent.def.name} this block was read with; a Caffe with its own ${parent.def.name} needs its caffe.proto (prototxt.schema.paths or --schema)`
    : '';
  const said = known
    ? ` (${other.why}).`
    : misplaced
      ? ` (a field of ${misplaced.definedIn.fullName}, a block further out: is the "}" of the ${misplaced.block.name} block opened at line ${lineOf(ctx, misplaced.block.start)} missing, or does the field belong after it?).`
      : holders.length > 0
        ? `${readWith}.${bundledHolderNote(holders)}`
        : origin
          ? originWords(ctx, node, parent, origin)
          : `${readWith}.${didYouMean(suggestions)}`;
  // Read with a fork's message, a name like none of its fields is more likely another Caffe's field
  // of a message of the same name than a slip: the fork was a guess, so this is not certain.
  const guessed = fork !== undefined && !known && !misplaced && offered.length === 0;
  ctx.report({
    severity: guessed || origin ? 'warning' : 'error',
    code: 'unknown-field',
    message: `Message type "${parent.def.fullName}" has no field named "${node.name}"${said}`,
    start: node.nameSpan.start,
    end: node.nameSpan.end,
    ...(offered.length > 0 ? { suggestions: [...offered] } : {}),
    // No fork to choose: the layer's type warning says so (fork-layer-fields.ts).
    ...(holders.length > 0 ? { forks: holders } : origin?.kind === 'fork-type' ? { forks: [] } : {}),
  });
}

/** Line numbers for messages, one index per analysis. */
const lineIndexes = new WeakMap<CheckContext, LineIndex>();

function lineOf(ctx: CheckContext, offset: number): number {
  let lines = lineIndexes.get(ctx);
  if (!lines) lineIndexes.set(ctx, (lines = new LineIndex(ctx.text)));
  return lines.positionAt(offset).line + 1;
}

/**
 * Fields other versions of Caffe name otherwise, told where the schema has the field to write
 * `instead`; `rename` when the value carries over as it is (the quick fix renames the field).
 */
const OTHER_NAMES: ReadonlyMap<string, { instead: string; rename?: string; why: string }> = new Map([
  [
    'caffe.ConvolutionParameter.hole',
    { instead: 'dilation', rename: 'dilation', why: "DeepLab v1's name for the dilation: write dilation" },
  ],
  [
    'caffe.ConvolutionParameter.hole_h',
    {
      instead: 'dilation',
      why: "DeepLab v1's dilation along the height: this Caffe takes dilation twice, the height's, then the width's",
    },
  ],
  [
    'caffe.ConvolutionParameter.hole_w',
    {
      instead: 'dilation',
      why: "DeepLab v1's dilation along the width: this Caffe takes dilation twice, the height's, then the width's",
    },
  ],
  [
    'caffe.LabelMapItem.id',
    {
      instead: 'label',
      rename: 'label',
      why: "a TensorFlow label map's item number: SSD's LabelMap numbers its items with label",
    },
  ],
  [
    'caffe.LayerParameter.blobs_lr',
    {
      instead: 'param',
      why: "the V1 format's learning-rate multiplier, of layers { }: in a layer { } write param { lr_mult: N }, one param block per learned blob, in order",
    },
  ],
  [
    'caffe.LayerParameter.weight_decay',
    {
      instead: 'param',
      why: "the V1 format's weight-decay multiplier, of layers { }: in a layer { } write param { decay_mult: N }, one param block per learned blob, in order",
    },
  ],
]);

export const checkForkFields: Check = (ctx) => {
  if (ctx.resolved.forkFields.size === 0) return;
  for (let b = 0; b < ctx.blocks.length; b++) {
    const parent = ctx.blocks[b];
    // The block's fork fields, those that name the same forks together: one warning for them all
    // (Synopsys Caffe's pad_l, pad_r, pad_t and pad_b of one convolution_param), on the first.
    let groups: { forks: readonly string[]; nodes: FieldNode[] }[] | undefined;
    for (let f = 0; f < parent.node.fields.length; f++) {
      const node = parent.node.fields[f];
      const defining = ctx.resolved.forkFields.get(node);
      if (!defining) continue;
      const foreign = strangersOfOwner(ctx, node, parent.def);
      if (foreign.size > 0) {
        ctx.report(anotherCaffesBlock(ctx, parent.def, node, defining, [...foreign]));
        continue;
      }
      const own = repositoryLayerBlock(ctx, parent, node);
      if (own) {
        ctx.report(own);
        continue;
      }
      // The forks whose message takes the whole block name the fix (SegNet's bn_param holds bn_mode,
      // which ducha-aiki's and PSPNet's lack); when none does, every fork that defines the field.
      // In the bundled order: what is said of a block depends on the block alone (block-results.ts).
      const fitting = defining.filter((name) => fitsFork(ctx, name, parent.def.fullName, node));
      const forks = fitting.length > 0 ? fitting : defining;
      const same = groups?.find((g) => sameNames(g.forks, forks));
      if (same) same.nodes.push(node);
      else (groups ??= []).push({ forks, nodes: [node] });
    }
    for (const { forks, nodes } of groups ?? []) {
      const [first, ...others] = nodes;
      // A repeated field is named once (`diag_val: 1 diag_val: 2`).
      const distinct = [...new Set(nodes.map((n) => `"${n.name}"`))];
      const names = listed(distinct);
      const verb = distinct.length === 1 ? 'is' : 'are';
      ctx.report({
        severity: 'warning',
        code: 'fork-field',
        message: `${forkFix(ctx, forks)}: ${names} of ${parent.def.name} ${verb} not in BVLC Caffe.`,
        start: first.nameSpan.start,
        end: first.nameSpan.end,
        forks,
        ...(others.length > 0
          ? {
              related: others.map((n) => ({
                start: n.nameSpan.start,
                end: n.nameSpan.end,
                message: `"${n.name}" of ${parent.def.name}, not in BVLC Caffe either`,
              })),
            }
          : {}),
      });
    }
  }
};

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

export const checkDuplicateFields: Check = (ctx) => {
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    const fields = block.node.fields;
    // One field cannot repeat, nor clash with another member of its oneof.
    if (fields.length < 2) continue;
    // Small blocks (most of them) look earlier fields up by a scan rather than a Map.
    const seen = fields.length > SCAN_LIMIT ? new Map<string, FieldNode>() : undefined;
    let oneofs: Map<string, FieldNode> | undefined;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const def = block.fieldDef(i);
      if (!def || def.label === 'repeated' || repeatedInAFork(ctx, block.def.fullName, field)) continue;
      const first = seen ? seen.get(field.name) : earlierNamed(fields, i);
      const at = field.value ?? field.nameSpan;
      if (first) {
        const forks = forksRepeating(ctx, block.def.fullName, field.name);
        // Under a schema chosen as the one in use, its parser decides.
        const perAxis =
          forks.length === 0 &&
          ctx.schemaKind === 'bundled' &&
          ND_POOLING.has(`${block.def.fullName}.${field.name}`);
        ctx.report({
          severity: forks.length > 0 || perAxis ? 'warning' : 'error',
          code: 'duplicate-field',
          message:
            forks.length > 0
              ? repeatedInForks(ctx, forks, block.def.fullName, field.name)
              : `Message type "${block.def.fullName}" should not have multiple "${field.name}" fields: it is not repeated, and Caffe's parser rejects the copy.${perAxis ? ND_POOLING_NOTE : ''}`,
          start: at.start,
          end: field.value?.kind === 'message' ? at.start + 1 : at.end,
          related: [{ start: first.start, end: first.end, message: `"${field.name}" is first given here` }],
          ...(forks.length > 0 ? { forks } : {}),
        });
        continue;
      }
      seen?.set(field.name, field);
      if (def.oneof === undefined) continue;
      oneofs ??= new Map();
      const other = oneofs.get(def.oneof);
      if (other && other.name !== field.name) {
        ctx.report({
          severity: 'error',
          code: 'duplicate-field',
          message: `Field "${field.name}" is specified along with field "${other.name}", another member of oneof "${def.oneof}".`,
          start: field.nameSpan.start,
          end: field.nameSpan.end,
          related: [{ start: other.start, end: other.end, message: `"${other.name}" is given here` }],
        });
      } else oneofs.set(def.oneof, field);
    }
  }
};

/**
 * Pooling's window fields, which N-D pooling Caffes make repeated (one value per spatial axis): given
 * more than once, they are written for such a Caffe rather than by a slip.
 */
const ND_POOLING: ReadonlySet<string> = new Set(
  ['kernel_size', 'stride', 'pad'].map((f) => `caffe.PoolingParameter.${f}`),
);
const ND_POOLING_NOTE =
  ' Caffes with N-D pooling (3D-Caffe, which volumetric medical nets use) take one value per axis: a net ' +
  "written for one is checked against that Caffe's caffe.proto (prototxt.schema.paths or --schema).";

/** Blocks with more fields than this use a Map to find an earlier field of the same name. */
const SCAN_LIMIT = 12;

/**
 * The first earlier field of the block with the same name as `fields[i]`. Fields of one name in
 * one block share their definition, so that field passed the same filters as `fields[i]`.
 */
function earlierNamed(fields: readonly FieldNode[], i: number): FieldNode | undefined {
  const name = fields[i].name;
  for (let j = 0; j < i; j++) if (fields[j].name === name) return fields[j];
  return undefined;
}

export const checkRequiredFields: Check = (ctx) => {
  // The required fields of each message type, found once per check run.
  const requiredOf = new Map<MessageDef, FieldDef[]>();
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    let required = requiredOf.get(block.def);
    if (required === undefined) {
      required = block.def.fields.filter((f) => f.label === 'required');
      requiredOf.set(block.def, required);
    }
    if (required.length === 0) continue;
    const present = new Set(block.node.fields.map((f) => f.name));
    const missing = required.filter((f) => !present.has(f.name)).map((f) => f.name);
    if (missing.length === 0) continue;
    const at = block.owner?.nameSpan ?? { start: 0, end: 0 };
    const list = missing.map((m) => `"${m}"`).join(', ');
    ctx.report({
      severity: 'error',
      code: 'missing-required',
      message: `Message type "${block.def.fullName}" is missing required field${missing.length > 1 ? 's' : ''} ${list}.`,
      start: at.start,
      end: at.end,
    });
  }
};

export const checkDeprecatedFields: Check = (ctx) => {
  // Only blocks whose message type has a deprecated field are looked through.
  const hasDeprecated = new Map<MessageDef, boolean>();
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    let some = hasDeprecated.get(block.def);
    if (some === undefined) {
      some = block.def.fields.some((f) => f.deprecated);
      hasDeprecated.set(block.def, some);
    }
    // A block of a fork's message may resolve a field through BVLC's definition or another fork's.
    if (some || block.schema !== ctx.schema || ctx.resolved.forkFields.size > 0) {
      reportDeprecated(ctx, block);
    }
  }
  // Fields under an unresolved block have no definition, so nothing else can be deprecated.
};

function reportDeprecated(ctx: CheckContext, block: ResolvedBlock): void {
  const fields = block.node.fields;
  for (let i = 0; i < fields.length; i++) {
    const node = fields[i];
    const def = block.fieldDef(i);
    // solver_type has its own check with a replacement.
    if (!def?.deprecated || node.name === 'solver_type') continue;
    ctx.report({
      severity: 'information',
      code: 'deprecated-field',
      message: `"${node.name}" is deprecated in caffe.proto.`,
      start: node.nameSpan.start,
      end: node.nameSpan.end,
    });
  }
}

/** A fork field that one fork declares singular and another repeated is given the benefit of the doubt. */
function repeatedInAFork(ctx: CheckContext, message: string, field: FieldNode): boolean {
  // Asked for every field: a file without fork fields (nearly all) answers without a look-up.
  const forkFields = ctx.resolved.forkFields;
  if (forkFields.size === 0 || !forkFields.has(field)) return false;
  return ctx.forks.some((f) => f.schema.field(message, field.name)?.label === 'repeated');
}
