// The solvers of the workspace that build a net file (the `solvers` service: which solver, in which
// phase), with what a solver says about learning: base_lr and weight_decay, read from the open document
// or the disk. For the hovers and the outline of a net.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { firstField, numberValue } from '../../analysis/model/net-read';
import type { DocumentStore } from '../../documents';
import { parse } from '../../parser/parse';
import type { FieldNode } from '../../parser/ast';
import type { SolverRates } from '../../training/param-rates';
import type { SolverUse } from '../../workspace/solver-uses';
import type { AnalyzedDocument, Services } from '../context';

/** One way a solver builds a net (the fields of the workspace's solver uses this reads). */
export type NetSolverUse = Pick<SolverUse, 'solver' | 'phase' | 'field'>;

/** Every solver use of the document's file, in solver then field order; none without a file or service. */
export function solverUsesOf(input: AnalyzedDocument, services: Services | undefined): NetSolverUse[] {
  const file = input.doc.path;
  if (!file || !services) return [];
  return services.solvers.usesOf(file);
}

/** The solver whose rates a hover uses: the first that trains the net, else the first that uses it. */
export function trainingSolver(uses: readonly NetSolverUse[]): NetSolverUse | undefined {
  return uses.find((u) => u.phase === 'TRAIN') ?? uses[0];
}

/** base_lr and weight_decay of a solver file (its open document in `documents` when there is one). */
export function solverRatesOf(solver: string, documents: DocumentStore | undefined): SolverRates | undefined {
  const open = documents?.get(pathToFileURL(solver).toString());
  let text = open?.text;
  if (text === undefined) {
    try {
      text = fs.readFileSync(solver, 'utf8');
    } catch {
      return undefined;
    }
  }
  return solverRatesIn(parse(text).fields);
}

/** base_lr and weight_decay as a solver's fields write them. */
export function solverRatesIn(fields: readonly FieldNode[]): SolverRates {
  const baseLr = numberValue(firstField(fields, 'base_lr')?.value);
  const weightDecay = numberValue(firstField(fields, 'weight_decay')?.value);
  return {
    ...(baseLr !== undefined ? { baseLr } : {}),
    ...(weightDecay !== undefined ? { weightDecay } : {}),
  };
}

/** `models/solver.prototxt`: a solver's path relative to the first root holding it, else its name. */
export function solverLabel(solver: string, roots: readonly string[]): string {
  for (const root of roots) {
    const rel = path.relative(root, solver);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return path.basename(solver);
}

/** Each solver using the net with how: `[solver, ['TRAIN (net)', 'TEST (net)']]`, in order. */
export function usesBySolver(uses: readonly NetSolverUse[]): [string, string[]][] {
  const bySolver = new Map<string, string[]>();
  for (const use of uses) {
    const list = bySolver.get(use.solver) ?? [];
    const entry = `${use.phase} (${use.field})`;
    if (!list.includes(entry)) list.push(entry);
    bySolver.set(use.solver, list);
  }
  return [...bySolver];
}
