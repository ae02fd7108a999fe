// The diagnostics of one open document as published, gathered from every source and converted to LSP
// once: for a prototxt the analysis's own (with shape problems as the Python layer tops learned for the
// document make them) and its Python layers' problems; for a Python file the checks of its layer
// classes; for a solver the files it names (diagnostics/solver-files.ts); with the schema status the
// client shows.

import type { Diagnostic } from 'vscode-languageserver';
import type { SchemaStatusParams } from '../../../../common/protocol';
import type { CaffeSubmodule } from '../../workspace/git-submodules';
import type { SchemaForDocument } from '../../workspace/schema-provider';
import { replaceForkFix } from '../../analysis/checks/context';
import { foldRepeats } from '../../analysis/checks/fork-repeats';
import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { capDiagnostics, DEFAULT_MAX_DIAGNOSTICS } from '../../analysis/diagnostic-cap';
import type { Settings } from '../../settings';
import type { Analyses, AnalyzedDocument } from '../../workspace/analyses';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { SolverUses } from '../../workspace/solver-uses';
import { schemaStatus } from '../schemas/schemas';
import { toLspDiagnostics } from '../shared/lsp-diagnostics';
import { pythonLayerDiagnostics } from '../shared/python-layer-diagnostics';
import { hasStateRules, netScopes } from './net-scopes';
import { applyPhaseRule, type NetScope } from './phase-rule';
import { gradePythonByState } from './python-phase';
import { pythonFileDiagnostics } from './python-file';
import { solverFileDiagnostics } from './solver-files';

export interface DocumentReport {
  version: number;
  diagnostics: Diagnostic[];
  status?: SchemaStatusParams;
}

export async function gatherDiagnostics(
  analyses: Analyses,
  python: PythonWorkspace,
  uri: string,
  solvers?: SolverUses,
  maxDiagnostics = DEFAULT_MAX_DIAGNOSTICS,
): Promise<DocumentReport | undefined> {
  const doc = analyses.documents.get(uri);
  if (!doc) return undefined;
  if (doc.languageId === 'python') {
    const file = doc.path;
    if (!file || !python.ready) return { version: doc.version, diagnostics: [] };
    const found = await pythonFileDiagnostics(file, python, analyses.documents, analyses.settings);
    return { version: doc.version, diagnostics: withoutIgnored(found, analyses.settings) };
  }
  if (doc.languageId !== 'prototxt') return { version: doc.version, diagnostics: [] };
  const input = analyses.analyzedDoc(doc);
  return {
    version: doc.version,
    diagnostics: [
      ...prototxtDiagnostics(input, python, solvers, maxDiagnostics),
      ...withoutIgnored(solverFileDiagnostics(input, analyses.roots, analyses.netWriters), input.settings),
    ],
    status: schemaStatus(input),
  };
}

/**
 * A prototxt's diagnostics: the analysis's, its shape problems with learned tops, its Python layers';
 * net errors graded by the states the net is built in (phase-rule.ts); the first
 * `maxDiagnostics` of them and one that counts the rest (diagnostic-cap.ts; 0 for all).
 */
export function prototxtDiagnostics(
  input: AnalyzedDocument,
  python: PythonWorkspace,
  solvers?: SolverUses,
  maxDiagnostics = DEFAULT_MAX_DIAGNOSTICS,
): Diagnostic[] {
  const { analysis, shapes, doc } = input;
  let found: readonly AnalysisDiagnostic[] = analysis.diagnostics;
  const shapeProblems = shapes.diagnostics;
  if (shapeProblems !== analysis.shapeDiagnostics) {
    const inferredWithout = new Set(analysis.shapeDiagnostics);
    found = [...found.filter((d) => !inferredWithout.has(d)), ...shapeProblems];
  }
  let scopes: readonly NetScope[] | undefined;
  const scopesOf = () => (scopes ??= netScopes(input, solvers));
  const graded = applyPhaseRule(found, scopesOf, hasStateRules(input));
  const pythonProblems = pythonLayerDiagnostics(input, python).slice();
  const own = input.schema.submodules?.[0];
  // A layer module found nowhere may be the repository's own Caffe's (its python folder).
  if (own?.own) modulesInSubmodule(pythonProblems, own);
  // One module missing for layer after layer (ENet's spatial_dropout in each bottleneck) is one cause.
  foldRepeats(
    pythonProblems,
    (d) =>
      (d.code === 'python-module-not-found' || d.code === 'python-module-python2') &&
      d.severity === 'warning',
  );
  const all = [
    ...graded,
    ...(analysis.net ? gradePythonByState(pythonProblems, analysis.net, scopesOf) : pythonProblems),
  ];
  const submodule = submoduleNote(input.schema, all);
  if (submodule && own?.own) {
    softenUnknownNames(all);
    ownCaffeFixes(all, own);
  }
  if (submodule) {
    all.push(submodule);
    all.sort((a, b) => a.start - b.start || a.end - b.end);
  }
  const ignored = new Set(input.settings.diagnostics.ignore);
  // Fork fields said under their layer's type warning are said on their own when it is ignored.
  const covered = analysis.coveredForkFields;
  if (covered && ignored.has('unknown-layer-type') && !ignored.has('fork-field')) {
    all.push(...covered);
    all.sort((a, b) => a.start - b.start || a.end - b.end);
  }
  // Left out before the cap: the count of the rest is of what would be shown.
  const kept = capDiagnostics(
    ignored.size > 0 ? all.filter((d) => !ignored.has(d.code)) : all,
    maxDiagnostics,
  );
  // The line index of a large file is made only when there is something to place.
  return kept.length === 0 ? [] : toLspDiagnostics(doc.uri, doc.lines, kept);
}

/** The diagnostics whose code the settings do not leave out (prototxt.diagnostics.ignore). */
function withoutIgnored(found: Diagnostic[], settings: Settings): Diagnostic[] {
  const ignored = settings.diagnostics.ignore;
  return ignored.length === 0 ? found : found.filter((d) => !ignored.includes(String(d.code)));
}

/** What a schema BVLC's lacks would say, which the repository's own Caffe would decide. */
const SCHEMA_CODES: ReadonlySet<string> = new Set([
  'unknown-layer-type',
  'fork-field',
  'unknown-field',
  'unknown-enum-value',
]);
/** What BVLC's layers take, which a fork's may not (its Pooling takes N×C×D×H×W clips, its loss a third bottom). */
const LAYER_CODES: ReadonlySet<string> = new Set(['shape-invalid', 'blob-count']);

/** Names the bundled schemas lack, which a Caffe of its own may define. */
const NAME_CODES: ReadonlySet<string> = new Set(['unknown-field', 'unknown-enum-value']);

/**
 * Unknown fields and enum values, and what BVLC's layers take that a fork's may not, made warnings, in
 * place: the repository's own Caffe (a submodule not checked out, from neither BVLC's repository nor a
 * bundled fork's) may well define the names and take the shapes (3D-Caffe's Pooling of N×C×D×H×W
 * clips), and the submodule note says how to have its sources decide.
 */
function softenUnknownNames(found: AnalysisDiagnostic[]): void {
  found.forEach((d, i) => {
    if (d.severity === 'error' && (NAME_CODES.has(d.code) || LAYER_CODES.has(d.code) || unknownPolicy(d)))
      found[i] = { ...d, severity: 'warning' };
  });
}

/** A learning rate policy BVLC's solver lacks (pycaffe-yolo's "multifixed"), which a Caffe of its own may have. */
function unknownPolicy(d: AnalysisDiagnostic): boolean {
  return d.code === 'lr-schedule' && d.message.includes('has no learning rate policy');
}

/** What fork warnings advise: a bundled fork's schema is no fix when the repository has a Caffe of its own. */
const FORK_ADVICE: ReadonlySet<string> = new Set(['unknown-layer-type', 'fork-field', 'unknown-enum-value']);

/**
 * Fork warnings' first words, in place: the fix is checking out the repository's own Caffe (a submodule
 * not checked out), which the layer types and fields most likely come from, not choosing a bundled
 * fork's schema that happens to share a name.
 */
function ownCaffeFixes(found: AnalysisDiagnostic[], sub: CaffeSubmodule): void {
  const fix = `Check out this repository's Caffe, the submodule ${sub.path} (git submodule update --init ${sub.path})`;
  found.forEach((d, i) => {
    if (!FORK_ADVICE.has(d.code)) return;
    const message = replaceForkFix(d.message, fix);
    if (message !== d.message) found[i] = { ...d, message };
  });
}

/** Module-not-found warnings, in place: the Caffe submodule not checked out may hold the module. */
function modulesInSubmodule(found: AnalysisDiagnostic[], sub: CaffeSubmodule): void {
  found.forEach((d, i) => {
    if (d.code !== 'python-module-not-found' || !d.message.includes('not found in the workspace')) return;
    found[i] = {
      ...d,
      message:
        `${d.message} This repository's Caffe, the submodule ${sub.path}, is not checked out, and the module ` +
        `may be in it: check it out (git submodule update --init ${sub.path}).`,
    };
  });
}

/**
 * One information, at the first thing its Caffe would decide, for a file checked against the bundled
 * schemas because its repository's Caffe is a submodule that was not checked out.
 */
function submoduleNote(
  schema: SchemaForDocument,
  found: readonly AnalysisDiagnostic[],
): AnalysisDiagnostic | undefined {
  const sub = schema.submodules?.[0];
  if (!sub) return undefined;
  const first =
    found.find((d) => SCHEMA_CODES.has(d.code)) ??
    found.find((d) => d.severity === 'error' && (LAYER_CODES.has(d.code) || unknownPolicy(d)));
  if (!first) return undefined;
  // "the submodule PSPNet (hszhao/PSPNet)", not "PSPNet, PSPNet (hszhao/PSPNet)".
  const base = sub.path.split('/').pop() ?? sub.path;
  const which = sub.fork
    ? sub.fork.startsWith(`${base} (`)
      ? ` ${sub.fork.slice(base.length + 1)},`
      : `, ${sub.fork},`
    : ` (from ${sub.url}),`;
  return {
    severity: 'information',
    code: 'caffe-submodule',
    message:
      `This repository's Caffe is the submodule ${sub.path}${which} which is not checked out, so this file ` +
      `is checked against ${schema.setting ? "the bundled copy of that fork's caffe.proto, which may not be the commit the submodule pins" : 'the bundled schemas'}. ` +
      `Check it out (git submodule update --init ${sub.path}) and its caffe.proto decides what is said here.`,
    start: first.start,
    end: first.end,
  };
}
