// `shapes` on a solver: the net it trains (or, with --phase TEST, the one it tests), read from the file
// its `net`/`train_net`/`test_net` names (the solver's folder, then the workspace root, as Caffe is
// usually started from one of them) or from the `net_param` it embeds.

import fs from 'node:fs';
import path from 'node:path';
import type { Phase } from '../../analysis/model/net';
import { embeddedNet } from '../../analysis/model/embedded-nets';
import type { DocumentNode } from '../../parser/ast';
import { resolveNetFile, solverNets, WINDOWS_READING } from '../../training/solver-nets';
import { workspaceRootOf } from '../check-workspace';

export type SolverNetChoice =
  | { kind: 'file'; file: string; phase: Phase; why: string }
  | { kind: 'embedded'; doc: DocumentNode; phase: Phase; why: string };

/**
 * The arguments that run a command again on the net file a solver names: `argv` with the solver's path
 * `given` replaced by the net file's (relative to `cwd`) and the phase the net is built in.
 */
export function argvForNetFile(
  argv: readonly string[],
  given: string,
  chosen: { file: string; phase: Phase },
  cwd: string,
): string[] {
  // The file argument, not an option's value that reads the same (`graph - -o -`).
  let at = argv.length - 1;
  while (at >= 0 && (argv[at] !== given || (at > 0 && TAKES_VALUE.has(argv[at - 1])))) at--;
  return [...argv.filter((_, i) => i !== at), '--phase', chosen.phase, path.relative(cwd, chosen.file)];
}

/** The options of shapes and graph written with their value as the next argument. */
const TAKES_VALUE: ReadonlySet<string> = new Set([
  '-o',
  '--output',
  '--phase',
  '--around',
  '--schema',
  '--stdin-name',
  '--input-shape',
  '--python',
  '--timeout',
]);

/** The net a solver builds in `phase` (default TRAIN); a string says why there is none. */
export function netOfSolver(
  fields: DocumentNode['fields'],
  solverFile: string,
  cwd: string,
  phase: Phase | undefined,
): SolverNetChoice | string {
  const nets = solverNets(fields);
  const wanted = phase ?? 'TRAIN';
  const net =
    wanted === 'TRAIN' ? nets.find((n) => n.train) : (nets.find((n) => n.testNets.length > 0) ?? undefined);
  if (!net) return `the solver names no ${wanted === 'TRAIN' ? 'train' : 'test'} net`;
  const role = `the ${wanted} net of the solver (${net.source})`;
  const embedded = embeddedNet(net.field);
  if (embedded) return { kind: 'embedded', doc: embedded, phase: wanted, why: role };
  if (net.path === undefined) return `the solver's ${net.source} holds no net`;
  const roots = [workspaceRootOf(solverFile, cwd)];
  const found = resolveNetFile(net.path, solverFile, roots, (f) => fs.existsSync(f)).found;
  if (!found)
    return `the ${net.source} "${net.path}" was found neither beside the solver nor under the workspace root ${roots[0]}`;
  return {
    kind: 'file',
    file: found.file,
    phase: wanted,
    why: `${role}, found in the ${found.in}${found.windows ? WINDOWS_READING : ''}`,
  };
}
