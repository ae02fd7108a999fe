// Which schema a document is checked against: the status the client shows, and the candidates the
// client offers when the user chooses another.

import path from 'node:path';
import type { ListSchemasParams, ListSchemasResult, SchemaStatusParams } from '../../../../common/protocol';
import type { AnalyzedDocument, Analyses } from '../../workspace/analyses';
import { bundledChoices } from '../../workspace/bundled-choices';

export function schemaStatus(analyzed: AnalyzedDocument): SchemaStatusParams {
  const s = analyzed.schema;
  const added = s.additions ?? [];
  const base = s.setting
    ? added.length > 0
      ? `${bundledChoices().find((c) => c.setting === s.setting)?.label ?? s.setting} (bundled)`
      : s.submodules
        ? `${s.schema.source.label} for the submodule ${s.submodules[0].path}`
        : s.schema.source.label
    : s.kind === 'user'
      ? shortLabel(s.path ?? '')
      : added.length > 0
        ? 'BVLC Caffe'
        : 'BVLC Caffe (bundled)';
  const status: SchemaStatusParams = {
    uri: analyzed.doc.uri,
    label: [base, ...added.map(shortLabel)].join(' + '),
    kind: s.origin,
  };
  if (s.path) status.path = s.path;
  if (s.setting) status.setting = s.setting;
  if (s.problems.length) status.problems = s.problems;
  return status;
}

/** Remembers the last status sent per document so that only changes are sent. */
export class SchemaStatusTracker {
  private readonly sent = new Map<string, string>();

  /** True when `status` differs from what was last sent for its document (and records it). */
  changed(status: SchemaStatusParams): boolean {
    const key = JSON.stringify(status);
    if (this.sent.get(status.uri) === key) return false;
    this.sent.set(status.uri, key);
    return true;
  }

  forget(uri: string): void {
    this.sent.delete(uri);
  }
}

export function listSchemas(analyses: Analyses, params: ListSchemasParams): ListSchemasResult {
  const roots = analyses.roots;
  const candidates = analyses.schemas.candidates().map((p) => {
    const root = roots.find((r) => p.startsWith(r + path.sep));
    return {
      path: p,
      label: root ? path.relative(root, p) : p,
      detail: root ? undefined : 'outside the workspace',
    };
  });
  const result: ListSchemasResult = {
    candidates: candidates.map((c) => (c.detail ? c : { path: c.path, label: c.label })),
    bundled: bundledChoices(),
  };
  const analyzed = params.uri ? analyses.analyzed(params.uri) : undefined;
  if (analyzed) result.current = schemaStatus(analyzed);
  return result;
}

/** `caffe-fast-rcnn/src/caffe/proto/caffe.proto` -> `caffe-fast-rcnn/…/caffe.proto`. */
function shortLabel(file: string): string {
  const parts = file.split(/[\\/]/).filter(Boolean);
  const checkout = parts.lastIndexOf('src');
  if (checkout > 0) return `${parts[checkout - 1]}/…/${parts[parts.length - 1]}`;
  return parts.slice(-2).join('/');
}
