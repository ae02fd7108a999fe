// Syntax errors found by the parser, as diagnostics; and comments that run on past a lone carriage
// return, which the parser reads as protobuf does but an editor shows otherwise.

import type { Comment, SyntaxProblem } from '../../parser/ast';
import { PLACEHOLDER_PROBLEM } from '../../parser/reporting-parser';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { Check, CheckContext } from './context';

export const checkSyntax: Check = (ctx) => {
  for (const problem of ctx.ast.errors) {
    const filler = fillingScript(ctx, problem);
    const named = !filler && ctx.templateName !== undefined && problem.message.endsWith(PLACEHOLDER_PROBLEM);
    // `INPUT` alone on a line of a template (a placeholder for a whole block): protobuf wants its colon.
    const word = /after field name "([^"]+)"/.exec(problem.message)?.[1];
    const alone = filler || named || word === undefined ? undefined : namedTemplateWord(ctx, word);
    ctx.report({
      severity: filler || named || alone ? 'warning' : 'error',
      code: 'syntax',
      message: filler
        ? `${problem.message} ${filler}: this file is a template, which Caffe reads only once that script has filled it in.`
        : named
          ? `${problem.message} Its name, ${ctx.templateName}, marks it as a template that a script fills in.`
          : alone
            ? `${problem.message} ${alone}`
            : problem.message,
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
 * For a template's placeholder that a workspace script's sed replaces (DistillingCaffe's
 * `<BATCH_SIZE_HOLDER>`, filled in by main_train.sh), how that script fills it in.
 */
function fillingScript(ctx: CheckContext, problem: SyntaxProblem): string | undefined {
  if (ctx.templateWord === undefined || !problem.message.endsWith(PLACEHOLDER_PROBLEM)) return undefined;
  return ctx.templateWord(ctx.text.slice(problem.start, problem.end));
}

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

/** A file or folder name that says what it holds is a template: `deploy.tpl.prototxt`, `templates/`. */
const TEMPLATE_NAME = /(?:^|[^a-z])(?:tpl|templ|templates?)(?:[^a-z]|$)/i;

/**
 * `{ templateName }` when the file's name, or its folder's, says it is a template (a script fills in its
 * placeholders before Caffe reads it: FlowNet's and DispNet's `deploy.tpl.prototxt`, SDS-RCNN's
 * `solver_template_sgd.prototxt`); else nothing.
 */
export function templateNamed(file: string): { templateName?: string } {
  const parts = file.split(/[\\/]/).filter(Boolean);
  const name = parts.pop() ?? '';
  if (TEMPLATE_NAME.test(name)) return { templateName: name };
  const folder = parts.pop();
  return folder !== undefined && TEMPLATE_NAME.test(folder) ? { templateName: `${folder}/` } : {};
}

/** An upper-case word (`INPUT`, `CLASS_COUNT`): how a template writes the placeholders a script replaces. */
const TEMPLATE_WORD = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * What is said of `word` where Caffe reads something else, in a file whose name says it is a template
 * (skynet-train's segnet/templates/, whose INPUT and CLASS_COUNT a script replaces); undefined when the
 * file is no template by its name or the word is not written as a placeholder is.
 */
export function namedTemplateWord(ctx: CheckContext, word: string): string | undefined {
  if (ctx.templateName === undefined || !TEMPLATE_WORD.test(word) || word.length < 3) return undefined;
  return `${word} is likely a template's placeholder: the name ${ctx.templateName} marks the file as a template that a script fills in before Caffe reads it.`;
}
