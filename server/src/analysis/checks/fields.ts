// Field-level schema checks: unknown names (with did-you-mean), fields only forks define, singular
// fields given twice, required fields left out, deprecated fields.

import type { FieldNode } from '../../parser/ast';
import type { MessageDef } from '../../schema/model';
import { forkAdvice, forkLabels, type Check, type CheckContext } from './context';
import { closestNames, didYouMean } from './suggest';

export const checkUnknownFields: Check = (ctx) => {
  for (const entry of ctx.resolved.entries) {
    if (entry.def || !entry.parent) continue;
    const { node, parent } = entry;
    const names = candidateNames(ctx, parent.def);
    const suggestions = closestNames(node.name, names);
    ctx.report({
      severity: 'error',
      code: 'unknown-field',
      message: `Message type "${parent.def.fullName}" has no field named "${node.name}".${didYouMean(suggestions)}`,
      start: node.nameSpan.start,
      end: node.nameSpan.end,
      ...(suggestions.length > 0 ? { suggestions } : {}),
    });
  }
};

/** Field names of a message in the main schema and, for suggestions, in the forks. */
function candidateNames(ctx: CheckContext, def: MessageDef): string[] {
  const names = new Set(def.fields.map((f) => f.name));
  for (const fork of ctx.forks)
    for (const f of fork.schema.message(def.fullName)?.fields ?? []) names.add(f.name);
  return [...names];
}

export const checkForkFields: Check = (ctx) => {
  if (ctx.resolved.forkFields.size === 0) return;
  for (const { node, parent } of ctx.resolved.entries) {
    const forks = ctx.resolved.forkFields.get(node);
    if (!forks) continue;
    const where = parent ? ` of ${parent.def.fullName}` : '';
    ctx.report({
      severity: 'warning',
      code: 'fork-field',
      message:
        `"${node.name}"${where} is not in BVLC Caffe's caffe.proto; it comes from ${forkLabels(ctx, forks)}. ` +
        forkAdvice(ctx, forks),
      start: node.nameSpan.start,
      end: node.nameSpan.end,
    });
  }
};

export const checkDuplicateFields: Check = (ctx) => {
  for (const block of ctx.resolved.blocks) {
    const seen = new Map<string, FieldNode>();
    const oneofs = new Map<string, FieldNode>();
    for (const field of block.node.fields) {
      const def = ctx.resolved.fields.get(field);
      if (!def || def.label === 'repeated' || repeatedInAFork(ctx, block.def.fullName, field)) continue;
      const first = seen.get(field.name);
      const at = field.value ?? field.nameSpan;
      if (first) {
        ctx.report({
          severity: 'error',
          code: 'duplicate-field',
          message: `Message type "${block.def.fullName}" should not have multiple "${field.name}" fields: it is not repeated, and Caffe's parser rejects the copy.`,
          start: at.start,
          end: field.value?.kind === 'message' ? at.start + 1 : at.end,
          related: [{ start: first.start, end: first.end, message: `"${field.name}" is first given here` }],
        });
        continue;
      }
      seen.set(field.name, field);
      if (def.oneof === undefined) continue;
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

export const checkRequiredFields: Check = (ctx) => {
  for (const block of ctx.resolved.blocks) {
    const required = block.def.fields.filter((f) => f.label === 'required');
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
  for (const [node, def] of ctx.resolved.fields) {
    // solver_type has its own check with a replacement.
    if (!def.deprecated || node.name === 'solver_type') continue;
    ctx.report({
      severity: 'information',
      code: 'deprecated-field',
      message: `"${node.name}" is deprecated in caffe.proto.`,
      start: node.nameSpan.start,
      end: node.nameSpan.end,
    });
  }
};

/** A fork field that one fork declares singular and another repeated is given the benefit of the doubt. */
function repeatedInAFork(ctx: CheckContext, message: string, field: FieldNode): boolean {
  if (!ctx.resolved.forkFields.has(field)) return false;
  return ctx.forks.some((f) => f.schema.field(message, field.name)?.label === 'repeated');
}
