// The analysis entry point: a parsed document and a schema in, every diagnostic out, together with
// what editor features reuse (the chosen top message, the resolved tree, the net model).
// Pure and linear; one failing check becomes an internal-error diagnostic, the others still run.

import { pushAll } from '../../../common/arrays';
import type { DocumentNode, FieldNode } from '../parser/ast';
import type { MessageDef } from '../schema/model';
import type { Schema } from '../schema/schema';
import { BLOCK_CHECKS, CHECKS, ONE_BLOCK_CHECKS } from './checks/registry';
import { BlockResults } from './checks/block-results';
import { BLOCKS_PER_SLICE, SlicedBlockChecks } from './checks/block-slices';
import {
  forkFixFor,
  type CheckContext,
  type CheckoutSolvers,
  type InstalledLayerTypes,
  type RepositoryProto,
} from './checks/context';
import { preferDocumentForks } from './checks/fork-order';
import { dropBlocksOfUnregisteredTypes, dropCoveredForkFields } from './checks/fork-layer-fields';
import { foldRepeatedForkFields } from './checks/fork-repeats';
import { softenInStrangerNets } from './checks/unknown-field-origin';
import type { AnalysisDiagnostic } from './diagnostic';
import { foreignFormat, foreignFormatDiagnostic } from './foreign-format';
import { buildNet, type NetModel } from './model/net';
import { PhaseGraphs } from './model/net-blobs';
import { readsData } from './shapes/deploy-inputs';
import { mergeStated, type StatedShapes } from './shapes/input-shapes';
import { inferNetShapes, shapeDiagnostics, type NetShapes } from './shapes/net-shapes';
import { RuleResults } from './shapes/rule-results';
import { resolveTree, type ForkSchema, type ResolvedTree } from './model/resolve';
import { chooseTopMessage, NET, SOLVER, type TopMessageChoice } from './model/top-message';
import { embeddedNet } from './model/embedded-nets';
import { forksReading } from './model/fork-formats';
import { changedRegion } from '../util/text-change';
import type { Registration } from '../schema/checkout-layers';

export interface AnalyzeOptions {
  schema: Schema;
  /** 'user': a proto known to be the one in use; 'bundled': the shipped BVLC data (see README). */
  schemaKind: 'bundled' | 'user';
  /** Layer types accepted without a warning (the setting prototxt.layerTypes.allow). */
  allowLayerTypes?: readonly string[];
  /**
   * Where the C++ sources of the document's repository register a layer type (asked only for a type
   * no schema knows; workspace/repository-layers.ts).
   */
  repositoryLayerType?: (type: string) => Registration | undefined;
  /** The filler types the repository's own headers make, read when first asked. */
  repositoryFillers?: () => ReadonlySet<string>;
  /** The repository's whole caffe.protos other than the schema in use, read when first asked. */
  repositoryProtos?: () => readonly RepositoryProto[];
  /** A script of the workspace that builds this solver and steps it itself, looked for when first asked. */
  solverStepper?: () => string | undefined;
  /** How a script of the workspace fills in `word` (`gen.sh replaces WORD with sed`), looked for when first asked. */
  templateWord?: (word: string) => string | undefined;
  /** The document's file or folder name when it says the file is a template (`deploy.tpl.prototxt`). */
  templateName?: string;
  /** A shell script that appends `field` to a prototxt it writes from a template (a solver's base_lr). */
  fieldAppender?: (field: string) => string | undefined;
  /** What the user's installed Caffe registers: when given, it decides which layer types are unknown. */
  installedLayerTypes?: InstalledLayerTypes;
  /** The solver names the sources of the schema's Caffe checkout know, with the checkout's label. */
  checkoutSolvers?: CheckoutSolvers;
  /** Shapes stated for blobs by the settings; the file's own `# input-shape:` lines win over them. */
  inputShapes?: StatedShapes;
  /**
   * The image sizes deploy nets beside the file fill in for data layers (read only for a net with
   * data readers); every stated shape wins over them.
   */
  deployFills?: () => StatedShapes | undefined;
  /** Bundled fork schemas consulted for fields BVLC lacks; used only when schemaKind is 'bundled'. */
  forks?: readonly ForkSchema[];
  /**
   * The analysis of the document's previous version: what it found that does not depend on the edit
   * is taken over (the result is the same as without it).
   */
  previous?: Analysis;
  /**
   * False when no later version will be analysed (a one-time check): what a next version could take
   * over is then not kept.
   */
  keepForNextVersion?: boolean;
}

export interface Analysis {
  /** The text analysed. */
  text: string;
  ast: DocumentNode;
  topMessage: TopMessageChoice;
  resolved: ResolvedTree;
  /** The net of a NetParameter file; undefined for solvers and label maps. */
  net?: NetModel;
  /** The nets a solver embeds, by the field that holds each (`net_param`, `test_net_param`...). */
  embeddedNets?: ReadonlyMap<FieldNode, NetModel>;
  /**
   * The shapes of the nets a solver embeds, by net, for the phase rule to take over; only those
   * inferred without the image sizes of deploy nets beside the file (which the phase rule does not use).
   */
  embeddedShapes?: ReadonlyMap<NetModel, NetShapes>;
  /** The layers `net` keeps per phase and their blob graph, made when a feature first asks. */
  graphs?: PhaseGraphs;
  /** The shapes of `net` in every phase worth inferring (empty for solvers and label maps). */
  shapes: NetShapes;
  /** The stated input shapes `shapes` were inferred with (the file's lines over the settings'). */
  inputShapes?: StatedShapes;
  /** Every problem found, shape problems included, in text order. */
  diagnostics: AnalysisDiagnostic[];
  /**
   * The fork-field warnings left out of `diagnostics` because their layer's type warning covers them
   * (checks/fork-layer-fields.ts): shown when the settings ignore the type warnings.
   */
  coveredForkFields?: readonly AnalysisDiagnostic[];
  /** The problems shape inference found (also in `diagnostics`), of `net` and of a solver's nets. */
  shapeDiagnostics: readonly AnalysisDiagnostic[];
  /** The shape rules' results per layer, for the next version's analysis to take over. */
  rules?: RuleResults;
  /** The block checks' problems per top-level field, for the next version's analysis to take over. */
  blockResults?: BlockResults;
}

export function analyze(text: string, ast: DocumentNode, options: AnalyzeOptions): Analysis {
  const diagnostics: AnalysisDiagnostic[] = [];
  const report = (d: AnalysisDiagnostic): void => {
    diagnostics.push(d);
  };
  const forks = options.schemaKind === 'bundled' ? forksReading(ast, options.forks ?? []) : [];
  const schema = options.schema;
  const topMessage = chooseTopMessage(ast, [schema, ...forks.map((f) => f.schema)]);
  const top = findTop(topMessage, schema, forks, report, ast);
  // A YAML or JSON file named like a prototxt: one diagnostic says so, not one per line.
  const foreign = ast.errors.length > 0 ? foreignFormat(text, ast) : undefined;
  if (foreign) {
    const tree = treeWhenAsked(ast, schema, top?.def, forks, top?.schema, undefined);
    const only: Omit<Analysis, 'resolved'> = {
      text,
      ast,
      topMessage,
      shapes: {},
      diagnostics: [foreignFormatDiagnostic(foreign)],
      shapeDiagnostics: [],
    };
    return Object.defineProperty(only, 'resolved', { get: tree, enumerable: true }) as Analysis;
  }
  // What the edit since the previous version changed: what lies outside it is taken over.
  const previous = options.previous;
  const change = previous && changedRegion(previous.text, text);
  const blockChecks = CHECKS.filter(([, check]) => BLOCK_CHECKS.has(check)).map(([, check]) => check);
  const checkContext = (tree: ResolvedTree, nets: NetModel[]): CheckContext => ({
    text,
    ast,
    schema,
    schemaKind: options.schemaKind,
    forks,
    topMessage,
    resolved: tree,
    blocks: tree.blocks,
    nets,
    allowLayerTypes: new Set(options.allowLayerTypes ?? []),
    ...(options.repositoryLayerType ? { repositoryLayerType: options.repositoryLayerType } : {}),
    ...(options.repositoryFillers ? { repositoryFillers: options.repositoryFillers } : {}),
    ...(options.repositoryProtos ? { repositoryProtos: options.repositoryProtos } : {}),
    ...(options.solverStepper ? { solverStepper: options.solverStepper } : {}),
    ...(options.templateWord ? { templateWord: options.templateWord } : {}),
    ...(options.templateName ? { templateName: options.templateName } : {}),
    ...(options.fieldAppender ? { fieldAppender: options.fieldAppender } : {}),
    ...(options.installedLayerTypes ? { installedLayerTypes: options.installedLayerTypes } : {}),
    ...(options.checkoutSolvers ? { checkoutSolvers: options.checkoutSolvers } : {}),
    report,
  });
  // For one version, every check of one block at a time runs on each slice of blocks the resolver
  // hands over, and the resolved tree keeps no block: nothing else reads them, and a large net's
  // blocks would otherwise live (and be copied by the collector) until the analysis ends. The tree is
  // resolved again, whole, if something asks for it.
  const oneVersion = options.keepForNextVersion === false;
  const streamed = oneVersion
    ? CHECKS.filter(([, check]) => BLOCK_CHECKS.has(check) || ONE_BLOCK_CHECKS.has(check)).map(
        ([, check]) => check,
      )
    : blockChecks;
  const sliced = oneVersion ? new SlicedBlockChecks(streamed) : undefined;
  let sliceContext: CheckContext | undefined;
  const walked = resolveTree(
    ast,
    schema,
    top?.def,
    forks,
    top?.schema,
    previous && { tree: previous.resolved, change },
    sliced && {
      size: BLOCKS_PER_SLICE,
      run: (tree, from, to) =>
        sliced.run((sliceContext ??= checkContext(tree, [])), tree.blocks.slice(from, to)),
      keep: false,
    },
  );
  const wholeTree = treeWhenAsked(ast, schema, top?.def, forks, top?.schema, sliced ? undefined : walked);
  let net: NetModel | undefined;
  const nets: NetModel[] = [];
  const embeddedNets = new Map<FieldNode, NetModel>();
  if (top?.def.fullName === NET) {
    net = buildNet(ast, schema, previous?.net);
    nets.push(net);
  } else if (top?.def.fullName === SOLVER) {
    const earlier = [...(previous?.embeddedNets?.values() ?? [])];
    for (let f = 0; f < ast.fields.length; f++) {
      const field = ast.fields[f];
      const embedded = embeddedNet(field);
      if (!embedded) continue;
      const each = buildNet(embedded, schema, earlier[nets.length]);
      nets.push(each);
      embeddedNets.set(field, each);
    }
  }
  // Each streamed check's problems in its turn; undefined when one failed (each then runs on its own
  // over the whole tree below, which reports the failure).
  let fromBlocks: AnalysisDiagnostic[][] | undefined = sliced?.found;
  const ctx = checkContext(sliced && fromBlocks ? walked : wholeTree(), nets);
  const blockResults =
    options.keepForNextVersion === false
      ? undefined
      : new BlockResults(
          ast,
          { top: top?.def, schema, forks },
          previous && { results: previous.blockResults, change },
        );
  // With a next version: the block checks' problems taken over where an edit left blocks as they were
  // (block-results.ts).
  try {
    if (blockResults) fromBlocks = blockResults.run(ctx, blockChecks);
  } catch {
    // A check failed: each runs on its own below, which reports the failure.
  }
  for (const [name, check] of CHECKS) {
    const taken = fromBlocks?.[streamed.indexOf(check)];
    if (taken) {
      pushAll(diagnostics, taken);
      continue;
    }
    try {
      check(ctx);
    } catch (error) {
      report(internalError(name, error));
    }
  }
  // Shapes are inferred once here: their problems are diagnostics, and editor features read them.
  let shapes: NetShapes = {};
  let stated: StatedShapes | undefined;
  let embeddedShapes: Map<NetModel, NetShapes> | undefined;
  const rules =
    options.keepForNextVersion === false
      ? undefined
      : new RuleResults(text, ast, schema, options.previous?.rules);
  const shapeProblems: AnalysisDiagnostic[] = [];
  try {
    const undefinedBottoms = new Set(
      diagnostics.filter((d) => d.code === 'undefined-bottom').map((d) => d.start),
    );
    for (const each of nets) {
      const fills = options.deployFills && readsData(each) ? options.deployFills() : undefined;
      const inputShapes = mergeStated(mergeStated(each.inputShapes, options.inputShapes), fills);
      const inferred = inferNetShapes(each, schema, {
        text,
        ...(inputShapes ? { inputShapes } : {}),
        ...(rules ? { rules } : {}),
      });
      if (each === net) stated = inputShapes;
      if (each === net) shapes = inferred;
      else if ((fills?.size ?? 0) === 0) (embeddedShapes ??= new Map()).set(each, inferred);
      pushAll(shapeProblems, shapeDiagnostics(inferred, undefinedBottoms));
    }
  } catch (error) {
    report(internalError('shapes', error));
  }
  for (const d of shapeProblems) report(d);
  softenInStrangerNets(diagnostics, ctx);
  preferDocumentForks(diagnostics, forks);
  const coveredForkFields = [
    ...dropCoveredForkFields(diagnostics, nets, forks),
    ...dropBlocksOfUnregisteredTypes(diagnostics, nets),
  ];
  foldRepeatedForkFields(diagnostics);
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  const graphs = net ? new PhaseGraphs(net) : undefined;
  const analysis: Omit<Analysis, 'resolved'> = {
    text,
    ast,
    topMessage,
    net,
    ...(embeddedNets.size > 0 ? { embeddedNets } : {}),
    ...(embeddedShapes ? { embeddedShapes } : {}),
    graphs,
    shapes,
    ...(stated ? { inputShapes: stated } : {}),
    diagnostics,
    ...(coveredForkFields.length > 0 ? { coveredForkFields } : {}),
    shapeDiagnostics: shapeProblems,
    rules,
    blockResults,
  };
  // A getter made outside this function: a closure made here would keep this call's variables alive
  // with the analysis, the previous version's analysis among them, and so every version before it.
  return Object.defineProperty(analysis, 'resolved', { get: wholeTree, enumerable: true }) as Analysis;
}

/**
 * The resolved tree: `walked` when the walk kept it, else the tree resolved again, whole, on first
 * use. Takes only what resolving needs, so that the getter keeps nothing else alive.
 */
function treeWhenAsked(
  ast: DocumentNode,
  schema: Schema,
  top: MessageDef | undefined,
  forks: readonly ForkSchema[],
  topSchema: Schema | undefined,
  walked: ResolvedTree | undefined,
): () => ResolvedTree {
  let tree = walked;
  return () => (tree ??= resolveTree(ast, schema, top, forks, topSchema));
}

function internalError(check: string, error: unknown): AnalysisDiagnostic {
  return {
    severity: 'error',
    code: 'internal-error',
    message: `Internal error in the ${check} check (please report it): ${String(error)}`,
    start: 0,
    end: 0,
  };
}

/** The top message's definition: in the schema, else (bundled) in a fork, with a warning; else an error. */
function findTop(
  choice: TopMessageChoice,
  schema: Schema,
  forks: readonly ForkSchema[],
  report: (d: AnalysisDiagnostic) => void,
  ast: DocumentNode,
): { def: MessageDef; schema: Schema } | undefined {
  const own = schema.message(choice.name);
  if (own) return { def: own, schema };
  const at = choice.headerSpan ?? ast.fields[0]?.nameSpan ?? { start: 0, end: 0 };
  const holders = forks.filter((f) => f.schema.message(choice.name));
  if (holders.length > 0) {
    report({
      severity: 'warning',
      code: 'fork-field',
      message: `${forkFixFor(holders.map((f) => f.label))}: message type "${choice.name}" is not in BVLC Caffe.`,
      start: at.start,
      end: at.end,
    });
    return { def: holders[0].schema.message(choice.name) as MessageDef, schema: holders[0].schema };
  }
  if (choice.source === 'header') {
    report({
      severity: 'error',
      code: 'unknown-message',
      message: `The schema (${schema.source.label}) has no message type "${choice.name}".`,
      start: at.start,
      end: at.end,
    });
    return undefined;
  }
  // A label map under a schema without LabelMap: read it as a net, so its fields are reported.
  const net = schema.message(NET);
  return net ? { def: net, schema } : undefined;
}
