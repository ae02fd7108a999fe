// The analysis entry point: a parsed document and a schema in, every diagnostic out, together with
// what editor features reuse (the chosen top message, the resolved tree, the net model).
// Pure and linear; one failing check becomes an internal-error diagnostic, the others still run.

import type { DocumentNode } from '../parser/ast';
import type { MessageDef } from '../schema/model';
import type { Schema } from '../schema/schema';
import { checkBlobs } from './checks/blobs';
import type { Check, CheckContext } from './checks/context';
import {
  checkDeprecatedFields,
  checkDuplicateFields,
  checkForkFields,
  checkRequiredFields,
  checkUnknownFields,
} from './checks/fields';
import { checkDuplicateLayers, checkLayerTypes, checkNetFormat, checkParamTypes } from './checks/layers';
import { checkLrSchedule } from './checks/lr-schedule';
import { checkSolverFields } from './checks/solver';
import { checkSolverNets } from './checks/solver-nets';
import { checkSyntax } from './checks/syntax';
import { checkValues } from './checks/values';
import type { EngineDiagnostic } from './diagnostic';
import { buildNet, type NetModel } from './model/net';
import { checkShapes } from './shape-checks';
import { resolveTree, type ForkSchema, type ResolvedTree } from './model/resolve';
import { chooseTopMessage, NET, SOLVER, type TopMessageChoice } from './model/top-message';
import { embeddedNet } from './model/embedded-nets';

export interface AnalyzeOptions {
  schema: Schema;
  /** 'user': a proto known to be the one in use; 'bundled': the shipped BVLC data (see README). */
  schemaKind: 'bundled' | 'user';
  /** Layer types accepted without a warning (prototxt.validation.allowLayerTypes). */
  allowLayerTypes?: readonly string[];
  /** Bundled fork schemas consulted for fields BVLC lacks; used only when schemaKind is 'bundled'. */
  forks?: readonly ForkSchema[];
}

export interface Analysis {
  ast: DocumentNode;
  topMessage: TopMessageChoice;
  resolved: ResolvedTree;
  /** The net of a NetParameter file; undefined for solvers and label maps. */
  net?: NetModel;
  diagnostics: EngineDiagnostic[];
}

/** Every check, in the order they run. */
export const CHECKS: readonly (readonly [string, Check])[] = [
  ['syntax', checkSyntax],
  ['unknown-field', checkUnknownFields],
  ['fork-field', checkForkFields],
  ['values', checkValues],
  ['duplicate-field', checkDuplicateFields],
  ['missing-required', checkRequiredFields],
  ['deprecated-field', checkDeprecatedFields],
  ['solver', checkSolverFields],
  ['lr-schedule', checkLrSchedule],
  ['solver-nets', checkSolverNets],
  ['format', checkNetFormat],
  ['layer-type', checkLayerTypes],
  ['param-type', checkParamTypes],
  ['duplicate-layer', checkDuplicateLayers],
  ['blobs', checkBlobs],
  ['shapes', checkShapes],
];

export function analyze(text: string, ast: DocumentNode, options: AnalyzeOptions): Analysis {
  const diagnostics: EngineDiagnostic[] = [];
  const report = (d: EngineDiagnostic): void => {
    diagnostics.push(d);
  };
  const forks = options.schemaKind === 'bundled' ? (options.forks ?? []) : [];
  const schema = options.schema;
  const topMessage = chooseTopMessage(ast, [schema, ...forks.map((f) => f.schema)]);
  const top = findTop(topMessage, schema, forks, report, ast);
  const resolved = resolveTree(ast, schema, top?.def, forks, top?.schema);
  let net: NetModel | undefined;
  const nets: NetModel[] = [];
  if (top?.def.fullName === NET) {
    net = buildNet(ast, schema);
    nets.push(net);
  } else if (top?.def.fullName === SOLVER) {
    for (const field of ast.fields) {
      const embedded = embeddedNet(field);
      if (embedded) nets.push(buildNet(embedded, schema));
    }
  }
  const ctx: CheckContext = {
    text,
    ast,
    schema,
    schemaKind: options.schemaKind,
    forks,
    topMessage,
    resolved,
    nets,
    allowLayerTypes: new Set(options.allowLayerTypes ?? []),
    report,
  };
  for (const [name, check] of CHECKS) {
    try {
      check(ctx);
    } catch (error) {
      report({
        severity: 'error',
        code: 'internal-error',
        message: `Internal error in the ${name} check (please report it): ${String(error)}`,
        start: 0,
        end: 0,
      });
    }
  }
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  return { ast, topMessage, resolved, net, diagnostics };
}

/** The top message's definition: in the schema, else (bundled) in a fork, with a warning; else an error. */
function findTop(
  choice: TopMessageChoice,
  schema: Schema,
  forks: readonly ForkSchema[],
  report: (d: EngineDiagnostic) => void,
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
      message: `Message type "${choice.name}" is not in BVLC Caffe's caffe.proto; it comes from ${holders.map((f) => f.label).join(', ')}. Point prototxt.schema.paths (or the CLI's --schema) at that fork's caffe.proto (${holders[0].protoPath}) to validate it exactly.`,
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
