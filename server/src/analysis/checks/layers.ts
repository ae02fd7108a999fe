// Caffe layer checks: layer types Caffe does not register, `*_param` blocks the layer's type never
// reads, and a layer with both include and exclude rules. A layer with no type at all is
// missing-layer-type.ts's; layer names used twice are duplicate-layers.ts's.

import { isPlaceholder } from '../../parser/tokens';
import { bundledLabel, mergingForkOf, type BundledName } from '../../schema/bundled';
import {
  ALL_LAYER_TYPES,
  BVLC_TYPE_NAMES,
  forksWithLayerType,
  mergingForkHas,
  namedForks,
  PRIMARY_LAYER_TYPES,
} from '../../schema/layer-types';
import { forkLacksBvlcType } from '../../schema/layer-types-fork-gaps';
import { fittingForks, otherClasses } from '../../schema/fork-type-counts';
import { forksCredited, MERGING_FORKS } from '../../schema/merging-forks';
import { PLUGIN_LAYER_TYPES, pluginRegistration } from '../../schema/plugin-layer-types';
import { ownTypeOrigin } from '../shapes/fork-variants';
import { fitsFork, forkFix, type Check, type CheckContext } from './context';
import { closestNames, didYouMean } from './suggest';
import { ownBlockNames } from './fork-layer-fields';

/**
 * FilterNet, before it keeps or drops any layer in any state: a layer gives include rules or exclude
 * rules, not both. Placed on the first `exclude`.
 */
export const checkIncludeExclude: Check = (ctx) => {
  for (const net of ctx.nets) {
    for (const layer of net.layers) {
      if (layer.include.length === 0 || layer.exclude.length === 0) continue;
      const at = layer.exclude[0].span.start;
      ctx.report({
        severity: 'error',
        code: 'include-exclude',
        message:
          'This layer has both include and exclude rules: Caffe takes one kind per layer and stops ' +
          'building the net ("Specify either include rules or exclude rules; not both.")',
        start: at,
        end: at + 'exclude'.length,
      });
    }
  }
};

// Look-up tables of the fixed layer-type data, made once rather than on every analysis.
const ALL_TYPES: ReadonlySet<string> = new Set(ALL_LAYER_TYPES.map((l) => l.type));
/** Layer type -> the `*_param` blocks it reads (a type several forks define reads all of theirs). */
const PARAMS_BY_TYPE: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const byType = new Map<string, Set<string>>();
  for (const l of ALL_LAYER_TYPES) {
    const params = byType.get(l.type) ?? new Set<string>();
    for (const p of l.params) params.add(p);
    byType.set(l.type, params);
  }
  return byType;
})();

export const checkLayerTypes: Check = (ctx) => {
  // What the installed Caffe registers is known: checkRegisteredLayerTypes reports by that instead.
  if (ctx.installedLayerTypes) return;
  // What is said of each type, worked out once (a net writes its types many times); null: nothing.
  const said = new Map<string, TypeProblem | null>();
  let preferred: ((forks: readonly string[]) => string[]) | undefined;
  const prefer = (forks: readonly string[]) => (preferred ??= forkPreference(ctx))(forks);
  // A bundled fork chosen as the one in use may predate some of BVLC's types.
  const chosen = ctx.schemaKind === 'user' ? chosenBundled(ctx) : undefined;
  for (const net of ctx.nets) {
    for (let li = 0; li < net.layers.length; li++) {
      const layer = net.layers[li];
      if (layer.format !== 'v2' || !layer.typeSpan || layer.type === '') continue;
      const type = layer.type;
      if (ctx.allowLayerTypes.has(type)) continue;
      const bvlc = BVLC_TYPE_NAMES.has(type);
      if (bvlc && (chosen === undefined || !forkLacksBvlcType(chosen, type))) continue;
      // Keyed by the bottom count too: a fork's class of the type may take another (fittingForks).
      const key = bvlc ? type : `${type}\u0000${layer.bottoms.length}`;
      let problem = said.get(key);
      if (problem === undefined) {
        problem =
          bvlc && chosen !== undefined
            ? olderForkProblem(ctx, chosen, type)
            : typeProblem(ctx, type, prefer, layer.bottoms.length);
        said.set(key, problem);
      }
      if (problem === null) continue;
      ctx.report({
        severity: problem.severity ?? 'warning',
        code: 'unknown-layer-type',
        message: problem.message,
        start: layer.typeSpan.start,
        end: layer.typeSpan.end,
        ...(problem.suggestions ? { suggestions: [...problem.suggestions] } : {}),
        ...(problem.forks ? { forks: problem.forks } : {}),
      });
    }
  }
};

/**
 * The bundled schema chosen as the one in use (`bundled:NAME`), when the fork layer types it registers
 * were read from its sources; BVLC's registers none. Not DeepLab v1's or DeconvNet's, Caffes of
 * `layers { }` nets whose types are enum values, nor a merging fork's (its own table, ownMergingFork).
 */
function chosenBundled(ctx: CheckContext): BundledName | undefined {
  const name = ctx.schema.source.bundled as BundledName | undefined;
  if (name === undefined || name === 'deeplab' || name === 'deconvnet' || MERGING_FORKS.has(name))
    return undefined;
  return name;
}

/**
 * A BVLC layer type the chosen bundled fork's sources do not register (it branched before the type
 * came): building the net fails in that Caffe unless the user's checkout merged it. Null when the
 * repository's own sources register the type.
 */
function olderForkProblem(ctx: CheckContext, chosen: BundledName, type: string): TypeProblem | null {
  if (ctx.repositoryLayerType?.(type) !== undefined) return null;
  const inputs =
    type === 'Input'
      ? ' A Caffe of that age reads the inputs of a net from its top-level input: and input_shape { } fields.'
      : '';
  return {
    message:
      `Unknown layer type: ${type}: ${bundledLabel(chosen)}, the schema in use (bundled:${chosen}), does not ` +
      `register it: BVLC Caffe added it after that fork's sources, so building this net fails there unless ` +
      `your checkout merged it. If the net is written for BVLC Caffe, choose its schema (prototxt.schema.paths or --schema).${inputs}`,
    forks: ['bvlc'],
  };
}

function forkLabel(name: string): string {
  return bundledLabel(name as BundledName);
}

/** Whether the schema in use is a merging fork's own, and that fork registers `type`. */
function ownMergingFork(ctx: CheckContext, type: string): boolean {
  const fork = mergingForkOf(ctx.schema);
  return fork !== undefined && mergingForkHas(fork, type);
}

interface TypeProblem {
  message: string;
  /** A warning unless said otherwise. */
  severity?: 'information';
  suggestions?: readonly string[];
  /** The forks that register the type, in the order the message names them. */
  forks?: readonly string[];
}

/** What to say of a layer type BVLC Caffe lacks (and the settings do not allow); null: nothing. */
function typeProblem(
  ctx: CheckContext,
  type: string,
  prefer: (forks: readonly string[]) => string[],
  bottoms: number,
): TypeProblem | null {
  // The repository's own sources register it: the Caffe it is built into knows it.
  if (ctx.repositoryLayerType?.(type) !== undefined) return null;
  // A template's slot (DeepVisualization's "{activation}", which its generator fills in).
  if (isPlaceholder(type))
    return {
      message: `Layer type "${type}" is a template placeholder: Caffe reads the file only after it is filled in with a type.`,
    };
  // A merging fork's own schema (bundled:synopsys, or a proto of that Caffe) knows its whole table.
  if (ctx.schemaKind === 'user' && ownMergingFork(ctx, type)) return null;
  const registering = forksWithLayerType(type);
  const chosen = ctx.schemaKind === 'user' ? chosenBundled(ctx) : undefined;
  // What the forks' classes take tells whose the layer is when the schema in use leaves that open:
  // the bundled schema, or a bundled fork chosen that does not register the type itself.
  const open = ctx.schemaKind === 'bundled' || (chosen !== undefined && !registering.includes(chosen));
  const forks = open ? fittingForks(type, registering, bottoms) : registering;
  // Forks register a class of this name for other bottom counts: not this layer's class.
  const others =
    registering.length > 0 && forks.length === 0
      ? ` (${otherClasses(type, registering)}, not ${bottoms})`
      : '';
  if (forks.length > 0 && chosen !== undefined && !forks.includes(chosen)) {
    // A schema shipped with the extension chosen as the one in use: what that Caffe registers is known.
    const named = prefer(namedForks(forks));
    return {
      message:
        `Unknown layer type: ${type}: ${bundledLabel(chosen)}, the schema in use (bundled:${chosen}), does not ` +
        `register it, so building this net fails there. ${named.map(forkLabel).join(' or ')} has it: if the net ` +
        'is written for that Caffe, choose its schema (prototxt.schema.paths or --schema).',
      forks: named,
    };
  }
  if (forks.length > 0) {
    // A user proto may well be that fork's; with the bundled schema, say where the type comes from.
    // Not for a type only a merging fork registers: its table holds generic names (Add, Pad...).
    if (ctx.schemaKind === 'user' && !forks.every((f) => MERGING_FORKS.has(f))) return null;
    const preferred = prefer(forks);
    // A type that a merging fork only carries aside: where it comes from is the better schema.
    const origin = forks.every((f) => MERGING_FORKS.has(f)) ? ownTypeOrigin(type) : undefined;
    const from =
      origin === undefined
        ? ''
        : ` It comes from ${origin}, which ${preferred.map(forkLabel).join(' and ')} merged: for a net ` +
          'written for that Caffe, its own caffe.proto is the better schema.';
    return {
      message: `${forkFix(ctx, preferred)}: layer type "${type}" is not in BVLC Caffe.${from}`,
      forks: preferred,
    };
  }
  const plugin = PLUGIN_LAYER_TYPES.get(type);
  if (plugin !== undefined && (plugin.bottoms === undefined || plugin.bottoms === bottoms)) {
    // Merging forks that carry the plugin (Synopsys Caffe's ShuffleChannel) are a second way to run it.
    const merged = fittingForks(
      type,
      [...MERGING_FORKS].filter((f) => mergingForkHas(f, type)),
      bottoms,
    );
    const registrars =
      merged.length > 0
        ? 'BVLC Caffe does not register it'
        : 'neither BVLC Caffe nor the bundled forks register it';
    const alsoIn =
      merged.length > 0
        ? ` ${merged.map(forkLabel).join(' and ')}, which merged it, registers it too: for a net written for that Caffe, choose its schema (${merged.map((f) => `bundled:${f}`).join(' or ')}).`
        : '';
    return {
      message:
        `Unknown layer type "${type}": ${registrars}${others}. It is ${plugin.what}: ` +
        `${pluginRegistration(plugin)}; then add it to prototxt.layerTypes.allow.${alsoIn}`,
      // The merging forks' schemas are offered, and their fields in the layer are said here.
      ...(merged.length > 0 ? { forks: merged } : {}),
    };
  }
  // A type of a Caffe whose own layers are known though its schema is not bundled (FlowNet 2.0's).
  const origin = others === '' ? ownTypeOrigin(type) : undefined;
  if (origin !== undefined)
    return {
      message:
        `Unknown layer type "${type}": neither BVLC Caffe nor the bundled forks register it; it is a type of ` +
        `${origin}. If the net is written for that Caffe, check it against its caffe.proto (prototxt.schema.paths ` +
        'or --schema).',
    };
  // A proto of the user's own whose LayerParameter has the type's block (UntrimmedNet's
  // sequence_data_param beside SequenceData): its Caffe most likely registers the type.
  const block =
    ctx.schemaKind === 'user' && chosen === undefined
      ? ownBlockNames(type).find((name) => ctx.schema.field(LAYER, name) !== undefined)
      : undefined;
  if (block !== undefined)
    return {
      severity: 'information',
      message:
        `Layer type "${type}" is not in BVLC Caffe, but the schema in use gives LayerParameter its block ` +
        `${block}, so its Caffe most likely registers it (no sources beside the proto tell). Add it to ` +
        'prototxt.layerTypes.allow to say so.',
    };
  const suggestions = others === '' ? closestNames(type, ALL_TYPES) : [];
  return {
    message: `Unknown layer type "${type}": neither BVLC Caffe nor the known forks register it${others} (a plugin may; add it to prototxt.layerTypes.allow).${didYouMean(suggestions)}`,
    ...(suggestions.length > 0 ? { suggestions: suggestions.map((s) => `"${s}"`) } : {}),
  };
}

/**
 * Orders the forks that register a type by how much of the document's nets each one accounts for:
 * the distinct layer types BVLC lacks that it registers and the distinct `*_param` blocks BVLC lacks
 * that its schema defines (ties keep the bundled order). A py-R-FCN net's SmoothL1Loss, which five
 * forks register, then names R-FCN first, whose schema the rest of the net needs too.
 */
function forkPreference(ctx: CheckContext): (forks: readonly string[]) => string[] {
  const score = new Map<string, number>();
  const add = (forks: readonly string[]) => {
    for (const f of forksCredited(forks)) score.set(f, (score.get(f) ?? 0) + 1);
  };
  const seen = new Set<string>();
  for (const net of ctx.nets) {
    for (const layer of net.layers) {
      if (layer.format !== 'v2') continue;
      if (!seen.has(layer.type) && !BVLC_TYPE_NAMES.has(layer.type)) {
        seen.add(layer.type);
        add(forksWithLayerType(layer.type));
      }
      layer.paramBlocks.forEach((block, name) => {
        const key = `.${name}`;
        if (seen.has(key)) return;
        seen.add(key);
        if (ctx.schema.field(LAYER, name) !== undefined) return;
        // The forks whose message takes the whole block count (a TSN BN's bn_param { frozen ... } is
        // PSPNet's, not ducha-aiki's); when none does, every fork that defines the block.
        const defining = ctx.forks
          .filter((f) => f.schema.field(LAYER, name) !== undefined)
          .map((f) => f.name);
        const fitting = defining.filter((f) => fitsFork(ctx, f, LAYER, { name, value: block }));
        add(fitting.length > 0 ? fitting : defining);
      });
    }
  }
  return (forks) =>
    forks
      .map((name, order) => ({ name, order, score: score.get(name) ?? 0 }))
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .map((f) => f.name);
}

const LAYER = 'caffe.LayerParameter';

/** LayerParameter blocks any layer may carry (Caffe's layer base or the data/loss helpers read them). */
export const SHARED_PARAMS: ReadonlySet<string> = new Set(['transform_param', 'loss_param']);

export const checkParamTypes: Check = (ctx) => {
  for (const net of ctx.nets) {
    for (let li = 0; li < net.layers.length; li++) {
      const layer = net.layers[li];
      if (layer.format === 'v0' || !layer.body) continue;
      const known = PARAMS_BY_TYPE.get(layer.type);
      if (!known || ctx.allowLayerTypes.has(layer.type)) continue;
      // The schema's Caffe checkout may read more for the type (its own Normalize reads normalize_param).
      const own = ctx.schema.checkout?.params.get(layer.type);
      const params = own ? new Set([...known, ...own]) : known;
      // paramBlocks has every `*_param` block name of the layer: when the type reads them all, skip.
      if (allRead(layer.paramBlocks, params)) continue;
      for (let fi = 0; fi < layer.body.fields.length; fi++) {
        const field = layer.body.fields[fi];
        if (!field.name.endsWith('_param') || field.value?.kind !== 'message') continue;
        if (params.has(field.name) || SHARED_PARAMS.has(field.name)) continue;
        const belongs = PRIMARY_LAYER_TYPES.filter((l) => l.params.includes(field.name)).map((l) => l.type);
        // A block no known layer type reads is a fork's own (or a typo, which the schema reports):
        // which of that fork's types read it is unknown, so nothing is said of it here.
        if (belongs.length === 0) continue;
        const hint = ` It configures ${belongs
          .slice(0, 3)
          .map((t) => `"${t}"`)
          .join(', ')} layers.`;
        ctx.report({
          severity: 'warning',
          code: 'param-type-mismatch',
          message: `"${field.name}" is not read by a "${layer.type}" layer, so it has no effect.${hint}`,
          start: field.nameSpan.start,
          end: field.nameSpan.end,
        });
      }
    }
  }
};

function allRead(blocks: ReadonlyMap<string, unknown>, params: ReadonlySet<string>): boolean {
  let all = true;
  blocks.forEach((_, name) => {
    if (!params.has(name) && !SHARED_PARAMS.has(name)) all = false;
  });
  return all;
}
