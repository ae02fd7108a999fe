// Syntax errors found by the parser, as diagnostics; and comments that run on past a lone carriage
// return, which the parser reads as protobuf does but an editor shows otherwise.

import type { Comment } from '../../parser/ast';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { Check } from './context';

export const checkSyntax: Check = (ctx) => {
  for (const problem of ctx.ast.errors) {
    ctx.report({
      severity: 'error',
      code: 'syntax',
      message: problem.message,
      start: problem.start,
      end: problem.end,
      ...(problem.related ? { related: problem.related } : {}),
      ...(problem.omitted ? { omitted: problem.omitted } : {}),
      ...(problem.suggestions ? { suggestions: problem.suggestions } : {}),
    });
  }
  for (const comment of ctx.ast.comments) {
    const at = comment.text.indexOf('\r');
    if (at >= 0) ctx.report(loneCarriageReturn(comment, at));
  }
};

/**
 * A comment that runs past a lone carriage return (a classic Mac line end): an editor starts a new
 * line there, protobuf does not, so the rest of that line is part of the comment to Caffe. A warning
 * on the first one, with a line feed as its fix.
 */
function loneCarriageReturn(comment: Comment, at: number): AnalysisDiagnostic {
  const start = comment.start + at;
  const lines = comment.text.slice(at + 1).split('\r');
  const first = lines[0].trim();
  const more =
    lines.length > 1 ? ` and the ${lines.length - 1} line${lines.length > 2 ? 's' : ''} after it` : '';
  const what = first
    ? `, so Caffe reads "${first.length > 40 ? `${first.slice(0, 40)}…` : first}"${more} as part of the comment`
    : '';
  return {
    severity: 'warning',
    code: 'comment-line-end',
    message: `A carriage return without a line feed ends this comment's line in an editor, but not for protobuf, whose comments run to a line feed${what}. Use LF or CR LF line ends.`,
    start,
    end: start + 1,
    suggestions: ['\n'],
  };
}
