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
