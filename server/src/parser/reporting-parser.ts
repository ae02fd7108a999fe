// The problems the text-format grammar reports while it recovers (see grammar.ts): where a field, a
// value or a closing bracket was expected and something else stood, each worded as protobuf words it,
// at most one per place.

import { EmbeddedActionsParser, EOF, tokenMatcher, type IToken } from 'chevrotain';
import type { FieldNode, MessageNode, SyntaxProblem } from './ast';
import { endOf } from './nodes';
import { repeatTheField, valueBeforeComma } from './slips';
import { AnyString, NumberLiteral, Placeholder, RCurly } from './tokens';

/** What a syntax problem at a template's placeholder says after the placeholder's text. */
export const PLACEHOLDER_PROBLEM =
  ' is a template placeholder: Caffe reads the file only after it is filled in.';

export abstract class ReportingParser extends EmbeddedActionsParser {
  /** Problems found by the last run. */
  problems: SyntaxProblem[] = [];
  /** The text being parsed. */
  protected text = '';

  /** A block where a field name was expected: reported, its contents parsed and dropped. */
  protected anonymous(block: MessageNode | undefined): void {
    if (block) this.report(block.start, block.start + 1, `Expected identifier or number, got ${block.open}.`);
  }

  /**
   * A token where a field belongs, after the block's `fields` so far. Two mistakes get a word more than
   * protobuf's: a second value after a field's value and a comma (`top: "data", "label"`: a field has
   * one value, repeat it for another, as the fix writes), and a `}` with no block open.
   */
  protected strayItem(token: IToken, topLevel: boolean, fields: readonly FieldNode[]): void {
    if (this.RECORDING_PHASE) return;
    const type = token.tokenType;
    if (topLevel && type === RCurly) {
      this.reportToken(token, 'Expected identifier or number, got ', ': no block is open here to close.');
      return;
    }
    const before = valueBeforeComma(this.text, fields[fields.length - 1], token.startOffset);
    if (before && (tokenMatcher(token, AnyString) || type === NumberLiteral)) {
      const { end, again } = repeatTheField(before, token.image);
      this.reportToken(token, 'Expected identifier or number, got ', end, [again]);
      return;
    }
    this.stray(token);
  }

  protected stray(token: IToken, prefix = 'Expected identifier or number, got '): void {
    if (this.RECORDING_PHASE) return;
    if (token.tokenType === Placeholder) this.placeholder(token);
    else this.reportToken(token, prefix);
  }

  /** A template's placeholder where a value or a field belongs: one problem, and no value. */
  protected placeholder(token: IToken): undefined {
    if (!this.RECORDING_PHASE) {
      this.report(token.startOffset, endOf(token), `${token.image}${PLACEHOLDER_PROBLEM}`);
    }
    return undefined;
  }

  /** An empty alternative: reports what was found instead of what `prefix` expects. */
  protected missing(prefix: string): undefined {
    if (!this.RECORDING_PHASE) this.reportToken(this.LA(1), prefix);
    return undefined;
  }

  /** Reports at `token`: `prefix` + its text + `end` (a full stop, or what more there is to say). */
  protected reportToken(token: IToken, prefix: string, end = '.', suggestions?: string[]): void {
    if (token.tokenType === EOF)
      this.report(this.text.length, this.text.length, `${prefix}end of file${end}`);
    else this.report(token.startOffset, endOf(token), prefix + token.image + end, suggestions);
  }

  /** Records a problem unless one was already reported at the same place. */
  protected report(start: number, end: number, message: string, suggestions?: string[]): void {
    const previous = this.problems[this.problems.length - 1];
    if (previous && previous.start === start) return;
    this.problems.push(suggestions ? { start, end, message, suggestions } : { start, end, message });
  }
}
