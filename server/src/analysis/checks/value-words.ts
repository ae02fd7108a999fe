// The words value checks share: an error at a value, and the value as the file writes it.

import type { ScalarNode } from '../../parser/ast';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { CheckContext } from './context';

export function error(code: string, message: string, at: { start: number; end: number }): AnalysisDiagnostic {
  return { severity: 'error', code, message, start: at.start, end: at.end };
}

/** The value as the file writes it. */
export function shown(ctx: CheckContext, value: ScalarNode): string {
  return ctx.text.slice(value.start, value.end);
}
