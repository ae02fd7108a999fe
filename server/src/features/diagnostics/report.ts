// The diagnostics of one open document, as published: engine diagnostics for prototxt documents,
// converted to LSP positions.

import type { Diagnostic } from 'vscode-languageserver';
import type { SchemaStatusParams } from '../../../../common/protocol';
import type { Engine } from '../../workspace/engine';
import { toLspDiagnostics } from './scheduler';
import { schemaStatus } from '../schemas/schemas';

export interface DocumentReport {
  version: number;
  diagnostics: Diagnostic[];
  status?: SchemaStatusParams;
}

export function reportFor(engine: Engine, uri: string): DocumentReport | undefined {
  const doc = engine.documents.get(uri);
  if (!doc) return undefined;
  if (doc.languageId !== 'prototxt') return { version: doc.version, diagnostics: [] };
  const analyzed = engine.analyzedDoc(doc);
  return {
    version: doc.version,
    diagnostics: toLspDiagnostics(uri, doc.lines, analyzed.analysis.diagnostics),
    status: schemaStatus(analyzed),
  };
}
