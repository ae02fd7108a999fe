// The one place where the analysis's diagnostics (offsets) become LSP diagnostics (positions).

// Types only: the CLI gathers diagnostics with this code too, without loading the LSP library.
import type { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { AnalysisDiagnostic, Severity } from '../../analysis/diagnostic';
import type { LineIndex } from '../../util/ranges';

/** Analysis diagnostics (offsets) to LSP diagnostics (positions) for one document. */
export function toLspDiagnostics(
  uri: string,
  lines: LineIndex,
  diagnostics: readonly AnalysisDiagnostic[],
): Diagnostic[] {
  return diagnostics.map((d) => {
    const out: Diagnostic = {
      range: lines.rangeOf(d.start, d.end),
      severity: SEVERITY[d.severity],
      code: d.code,
      source: 'caffe-prototxt',
      message: d.message,
    };
    if (d.related?.length) {
      out.relatedInformation = d.related.map((r) => ({
        location: { uri, range: lines.rangeOf(r.start, r.end) },
        message: r.message,
      }));
    }
    if (d.suggestions?.length) out.data = { suggestions: d.suggestions };
    if (d.code.startsWith('deprecated')) out.tags = [DEPRECATED];
    return out;
  });
}

/** LSP's numbers for the severities and the deprecated tag. */
export const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: 1,
  warning: 2,
  information: 3,
  hint: 4,
};
const DEPRECATED: DiagnosticTag = 2;
