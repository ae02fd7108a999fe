// What every editor feature receives: one analysed document version (with its schema, shapes, settings
// and what the client can do), the LSP params, and the workspace services some features read. Features
// are pure functions of these; the connection stays in server.ts and session.ts.

import type { Position } from 'vscode-languageserver';
import { queryAt, type CursorQuery } from '../analysis/query';
import type { DocumentStore } from '../documents';
import type { AnalyzedDocument } from '../workspace/analyses';
import type { PythonWorkspace } from '../workspace/python-workspace';
import type { SolverUses } from '../workspace/solver-uses';
import { pythonUseAt, type PythonUseHit } from './shared/python-layer-at';

export type { AnalyzedDocument, ClientAbilities } from '../workspace/analyses';
export { DerivedResult } from '../workspace/analyses';

/** The workspace beyond one document: the Python index and the other open documents. */
export interface Services {
  python: PythonWorkspace;
  documents: DocumentStore;
  /** Workspace folders, absolute. */
  roots: readonly string[];
  /** The workspace's solvers: which of them build a net file, in which phase. */
  solvers: SolverUses;
}

/** The cursor of one request: its offset, and the cursor query and Python layer use there, each made once. */
export class Cursor {
  readonly offset: number;
  private query?: CursorQuery;
  private use?: { hit: PythonUseHit | undefined };

  constructor(
    readonly input: AnalyzedDocument,
    position: Position,
  ) {
    this.offset = input.doc.lines.offsetAt(position);
  }

  get q(): CursorQuery {
    return (this.query ??= queryAt(this.input, this.offset));
  }

  /** The part of a Python layer's declaration under the cursor, if any. */
  get pythonUse(): PythonUseHit | undefined {
    return (this.use ??= { hit: pythonUseAt(this.input, this.offset) }).hit;
  }
}

/** How long a request about a Python layer waits for the workspace's first Python index. */
export const PYTHON_INDEX_WAIT_MS = 5000;

type Provider<P, R> = (input: AnalyzedDocument, params: P, services: Services) => R;

/**
 * `provide`, answered once the Python index is ready when the request is about a Python layer of a
 * prototxt (its module, class, name, type or param_str) while the first index is still being built
 * (up to PYTHON_INDEX_WAIT_MS), so Ctrl+click right after opening a file finds the class; at once
 * otherwise.
 */
export function afterPythonIndex<P extends { position: Position }, R>(
  provide: Provider<P, R | Promise<R>>,
): Provider<P, Promise<R>> {
  return async (input, params, services) => {
    const waits =
      !services.python.ready &&
      input.doc.languageId === 'prototxt' &&
      pythonUseAt(input, input.doc.lines.offsetAt(params.position)) !== undefined;
    if (waits) await services.python.indexed(PYTHON_INDEX_WAIT_MS);
    return await provide(input, params, services);
  };
}
