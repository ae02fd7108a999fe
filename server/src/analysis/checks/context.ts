// What every check receives, and the one callback it reports through.

import type { DocumentNode, FieldNode } from '../../parser/ast';
import type { CheckoutSolverNames, Registration } from '../../schema/checkout-layers';
import { BUNDLED_FORKS, bundledLabel, type BundledName } from '../../schema/bundled';
import { MERGING_FORKS } from '../../schema/merging-forks';
import type { Schema } from '../../schema/schema';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { NetModel } from '../model/net';
import type { ForkSchema, ResolvedBlock, ResolvedTree } from '../model/resolve';
import type { TopMessageChoice } from '../model/top-message';

export interface CheckContext {
  text: string;
  ast: DocumentNode;
  /** The schema the file is validated against. */
  schema: Schema;
  /** 'user' for a proto read from disk (or one the user picked), 'bundled' for the shipped data. */
  schemaKind: 'bundled' | 'user';
  /** Bundled forks consulted for fields the main schema lacks (bundled BVLC only; else empty). */
  forks: readonly ForkSchema[];
  topMessage: TopMessageChoice;
  resolved: ResolvedTree;
  /**
   * The resolved blocks the block checks (BLOCK_CHECKS in registry.ts) look at: all of `resolved`'s,
   * or those whose problems a previous version did not already find (checks/block-results.ts).
   */
  blocks: readonly ResolvedBlock[];
  /** Nets to check: the document's own (a NetParameter file) or those a solver embeds. */
  nets: readonly NetModel[];
  /** Layer type strings accepted without a warning besides the known ones. */
  allowLayerTypes: ReadonlySet<string>;
  /** Where the document's repository registers a layer type in its own C++ sources, if it does. */
  repositoryLayerType?: (type: string) => Registration | undefined;
  /** The filler types the repository's own headers make (a filler.hpp it ships), read when first asked. */
  repositoryFillers?: () => ReadonlySet<string>;
  /** The repository's whole caffe.protos other than the schema in use, read when first asked. */
  repositoryProtos?: () => readonly RepositoryProto[];
  /** A script of the workspace that builds this solver and steps it itself (max_iter does not end it). */
  solverStepper?: () => string | undefined;
  /** How a script of the workspace fills in `word` (a template's placeholder): `gen.sh replaces WORD with sed`. */
  templateWord?: (word: string) => string | undefined;
  /** The document's file or folder name when it says the file is a template (`deploy.tpl.prototxt`). */
  templateName?: string;
  /** A shell script that appends `field` to a prototxt it writes from a template (a solver's base_lr). */
  fieldAppender?: (field: string) => string | undefined;
  /** What the user's installed Caffe registers, when its pycaffe was asked (see InstalledLayerTypes). */
  installedLayerTypes?: InstalledLayerTypes;
  /** The solver names the sources of the schema's Caffe checkout know (see CheckoutSolvers). */
  checkoutSolvers?: CheckoutSolvers;
  report(diagnostic: AnalysisDiagnostic): void;
}

/** A caffe.proto of the document's repository, as messages name it (relative to the repository), with its schema. */
export interface RepositoryProto {
  label: string;
  schema: Schema;
}

/**
 * The learning rate policies, solver types and regularizations the sources of the Caffe checkout
 * whose caffe.proto is the schema know (each absent when its sources name none), and the checkout's
 * folder as messages name it.
 */
export interface CheckoutSolvers extends CheckoutSolverNames {
  label: string;
}

/**
 * The layer types a Caffe registers: an installed one's (its pycaffe's caffe.layer_type_list();
 * `label` names the interpreter that imports it, e.g. `/usr/bin/python3`), or, with `checkout` set,
 * those the sources of the Caffe checkout whose caffe.proto is the schema register (`label` names
 * the checkout's folder).
 */
export interface InstalledLayerTypes {
  types: ReadonlySet<string>;
  label: string;
  checkout?: boolean;
}

export type Check = (ctx: CheckContext) => void;

/**
 * Whether the Caffe of the schema has the Input layer (March 2016 on): its upgrade turns legacy inputs
 * into one and refuses a net that mixes `layer` and V1 `layers`; a Caffe before it (py-faster-rcnn's)
 * checks the legacy inputs in Net::Init and upgrades such a net without its `layer` blocks.
 */
export function hasInputLayer(ctx: CheckContext): boolean {
  return ctx.schema.field('caffe.LayerParameter', 'input_param') !== undefined;
}

/** '"a", "b" and "c"' for messages. */
export function quotedList(names: readonly string[]): string {
  return listed(names.map((n) => `"${n}"`));
}

/** 'a, b and c' for messages. */
export function listed(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The fix of a fork warning, said first and short so the Problems panel shows it whole: "Choose the
 * SSD schema (prototxt.schema.paths or --schema)". The hover tells the rest.
 */
export function forkFix(ctx: CheckContext, names: readonly string[]): string {
  return forkFixFor(names.map((n) => forkLabel(ctx, n)));
}

/**
 * The bundled forks that repeat a field the main schema has as a single one (TSN's SolverParameter
 * takes a list of device_id), consulted only when there are forks (no caffe.proto was found).
 */
export function forksRepeating(ctx: CheckContext, message: string, name: string): string[] {
  if (ctx.forks.length === 0) return [];
  return ctx.forks.filter((f) => f.schema.field(message, name)?.label === 'repeated').map((f) => f.name);
}

/** Said of a single field given more than once where `forks` repeat it: the fix first, as fork-field does. */
export function repeatedInForks(
  ctx: CheckContext,
  forks: readonly string[],
  message: string,
  name: string,
): string {
  return `${forkFix(ctx, forks)}: "${name}" of ${message.replace(/^.*\./, '')} is repeated there, not in BVLC Caffe.`;
}

/** The label of the bundled fork `name` ('SSD (weiliu89/caffe)'), or the name itself. */
export function forkLabel(ctx: CheckContext, name: string): string {
  return (
    ctx.forks.find((f) => f.name === name)?.label ?? BUNDLED_FORKS.find((f) => f.name === name)?.label ?? name
  );
}

/**
 * For a name the chosen caffe.proto lacks that `holders` (bundled schemas) have: where it comes from and
 * how to check the file against one of those, said after Caffe's own words. Empty for no holders.
 */
export function bundledHolderNote(holders: readonly BundledName[]): string {
  if (holders.length === 0) return '';
  const shown = holders.slice(0, 3).map(bundledLabel);
  const rest = holders.length - shown.length;
  const listed =
    rest > 0
      ? `${shown.join(', ')} and ${rest} other bundled schema${rest > 1 ? 's' : ''}`
      : shown.length === 1
        ? shown[0]
        : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  const one = holders.length === 1;
  return (
    ` ${listed} ${one ? 'defines' : 'define'} it: if the net is written for ${one ? 'that Caffe' : 'one of them'}, ` +
    `check it against its caffe.proto (prototxt.schema.paths or --schema; bundled:${holders[0]} is shipped with the extension).`
  );
}

/** The labels of the bundled forks that carry other forks' layers (merging-forks.ts). */
const MERGING_LABELS: ReadonlySet<string> = new Set(
  BUNDLED_FORKS.filter((f) => MERGING_FORKS.has(f.name)).map((f) => f.label),
);

/**
 * forkFix from the forks' labels ('SSD (weiliu89/caffe)'). A fork that merges others' is named only
 * first or alone: after another, it is left out of the words (the warning still lists it).
 */
export function forkFixFor(labels: readonly string[]): string {
  const named = labels.filter((l, i) => i === 0 || !MERGING_LABELS.has(l));
  const short = named.map((l) => l.replace(/ \(.*\)$/, ''));
  const which =
    short.length <= 1
      ? `the ${short[0] ?? 'fork'} schema`
      : short.length === 2
        ? `the ${short[0]} or ${short[1]} schema`
        : `the ${short[0]} schema or another fork's`;
  return `Choose ${which} (prototxt.schema.paths or --schema)`;
}

/** The fix forkFixFor puts first in a message, when it has one. */
const FORK_FIX = /^Choose the .+? schema(?: or another fork's)? \(prototxt\.schema\.paths or --schema\)/;

/** `message` with the fix forkFixFor put first replaced by `fix` (unchanged when it has none). */
export function replaceForkFix(message: string, fix: string): string {
  return message.replace(FORK_FIX, fix);
}

/** Whether the fork `name` defines `node` in `message`, and every field inside its value, all the way down. */
export function fitsFork(
  ctx: CheckContext,
  name: string,
  message: string,
  node: Pick<FieldNode, 'name' | 'value'>,
): boolean {
  const schema = ctx.forks.find((f) => f.name === name)?.schema;
  if (!schema) return false;
  const fits = (owner: string, field: Pick<FieldNode, 'name' | 'value'>, depth: number): boolean => {
    const def = schema.field(owner, field.name) ?? ctx.schema.field(owner, field.name);
    if (!def) return false;
    const value = field.value;
    if (def.kind !== 'message' || value?.kind !== 'message' || depth > MAX_FIT_DEPTH) return true;
    const inner = schema.messageOf(def) ?? ctx.schema.messageOf(def);
    return inner !== undefined && value.fields.every((f) => fits(inner.fullName, f, depth + 1));
  };
  return fits(message, node, 0);
}

/** Levels of a fork field's value looked at to tell which fork takes it (param blocks are shallow). */
const MAX_FIT_DEPTH = 8;
