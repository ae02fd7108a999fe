// Syntax errors found by the parser, as diagnostics.

import type { Check } from './context';

export const checkSyntax: Check = (ctx) => {
  for (const problem of ctx.ast.errors) {
    ctx.report({
      severity: problem.severity ?? 'error',
      code: 'syntax',
      message: problem.message,
      start: problem.start,
      end: problem.end,
      ...(problem.related ? { related: problem.related } : {}),
      ...(problem.omitted ? { omitted: problem.omitted } : {}),
      ...(problem.suggestions ? { suggestions: problem.suggestions } : {}),
    });
  }
};
