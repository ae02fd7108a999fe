// Shared by the checks tests: analyze a snippet and list diagnostics as "line:col code" plus message.
import { analyze, type AnalyzeOptions } from '../../../../../server/src/analysis/analyze';
import type { AnalysisDiagnostic } from '../../../../../server/src/analysis/diagnostic';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { LineIndex } from '../../../../../server/src/util/ranges';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';

export interface Found {
  at: string;
  code: string;
  severity: AnalysisDiagnostic['severity'];
  message: string;
  suggestions?: string[];
  /** The bundled forks whose schemas a quick fix offers (empty: none reads it). */
  forks?: readonly string[];
  /** Related places, as "line:col message". */
  related?: string[];
}

/** Diagnostics of `text` under the bundled BVLC schema as a known ('user') schema unless told otherwise. */
export function check(text: string, options: Partial<AnalyzeOptions> = {}): Found[] {
  const schema = options.schema ?? loadBundledSchema();
  const analysis = analyze(text, parse(text), { schema, schemaKind: 'user', ...options });
  const lines = new LineIndex(text);
  return analysis.diagnostics.map((d) => {
    const p = lines.positionAt(d.start);
    const found: Found = {
      at: `${p.line + 1}:${p.character + 1}`,
      code: d.code,
      severity: d.severity,
      message: d.message,
    };
    if (d.suggestions) found.suggestions = d.suggestions;
    if (d.forks) found.forks = d.forks;
    if (d.related) {
      found.related = d.related.map((r) => {
        const at = lines.positionAt(r.start);
        return `${at.line + 1}:${at.character + 1} ${r.message}`;
      });
    }
    return found;
  });
}

export function checkBundled(text: string, options: Partial<AnalyzeOptions> = {}): Found[] {
  return check(text, { schemaKind: 'bundled', forks: bundledForkSchemas(), ...options });
}

/** Only the given codes, as "line:col code". */
export function codes(found: readonly Found[], ...only: string[]): string[] {
  return found.filter((f) => only.length === 0 || only.includes(f.code)).map((f) => `${f.at} ${f.code}`);
}
