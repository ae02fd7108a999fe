// The text-format grammar as a Chevrotain parser that builds the AST in embedded actions.
// Recovery is part of the grammar rather than Chevrotain's automatic re-sync: every token that cannot
// start a field is an explicit "stray" alternative (reported, skipped), a missing value or closing
// bracket is an empty alternative (reported), so the parser never throws and every field after an
// error still lands in the tree. Messages follow protobuf's wording where protobuf has a case.
// Speed: the alternatives and loop bodies of the hot rules are created once (not per invocation),
// and nodes are built behind `RECORDING_PHASE` checks instead of `ACTION` closures.

import type { IToken, TokenType } from 'chevrotain';
import type { FieldNode, ListNode, MessageNode, ScalarNode, ValueNode } from './ast';
import {
  endOf,
  identifierNode,
  numberNode,
  numberThenName,
  oneStringNode,
  ParsedField,
  stringNode,
} from './nodes';
import { ReportingParser } from './reporting-parser';
import { repeatTheField, valueBeforeComma } from './slips';
import { StringTable } from './string-table';
import * as tokens from './tokens';

// Token types as local constants: hot code then reads no module-namespace getters (tsx, CJS interop).
const {
  AnyString,
  Colon,
  Equals,
  Comma,
  Dot,
  Identifier,
  LAngle,
  LBracket,
  LCurly,
  Minus,
  NumberLiteral,
  Placeholder,
  RAngle,
  RBracket,
  RCurly,
  Separator,
  Slash,
  Stray,
  StrayInAngle,
  StrayInCurly,
  StringLiteral,
  UnterminatedString,
  CurlyString,
  ValueJunk,
} = tokens;

/** A field name: an identifier token, or the whole `[ext.name]` text. */
interface NameToken {
  image: string;
  startOffset: number;
}

export class TextFormatParser extends ReportingParser {
  /** Opening tokens of blocks still open at the end of the input, innermost first. */
  unclosed: IToken[] = [];
  /** The field list that completed fields are appended to (swapped by `message`). */
  private fields: FieldNode[] = [];
  /** The colon of the field whose value was just parsed (set after the value, so nesting is safe). */
  private colon: IToken | undefined;
  private pieces: IToken[] = [];
  /** Set when a value followed `name:` (read right after the OPTION that may take one). */
  private valueTaken = false;
  /** Names, identifiers, numbers and short string values, kept once per document. */
  private readonly strings = new StringTable();

  /**
   * `validate`: run Chevrotain's checks of the grammar itself (ambiguous alternatives, left recursion,
   * duplicate rules). The tests make one that does; the parser every run uses skips them, since they
   * find the same nothing in the same grammar each time.
   */
  constructor(validate = false) {
    super(tokens.allTokens, { maxLookahead: 1, recoveryEnabled: false, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /**
   * Parses `tokens` (lexed from `text`) into the top-level fields; `sameDocument` when they follow the
   * tokens of the previous call in the same text.
   */
  run(text: string, tokens: IToken[], sameDocument = false): FieldNode[] {
    this.text = text;
    this.problems = [];
    this.unclosed = [];
    this.colon = undefined;
    // The pieces of one document share their strings (a name is kept once, not once per piece).
    if (!sameDocument) {
      this.strings.clear();
    }
    this.input = tokens;
    return this.document();
  }

  readonly document = this.RULE('document', (): FieldNode[] => {
    const fields: FieldNode[] = [];
    this.fields = fields;
    this.MANY(() => this.OR(this.topItems));
    return fields;
  });

  private readonly topItems = [
    { ALT: () => this.SUBRULE(this.field) },
    { ALT: () => this.SUBRULE(this.extensionField) },
    { ALT: () => this.anonymous(this.SUBRULE(this.message)) },
    { ALT: () => this.strayItem(this.CONSUME(Stray), true, this.fields) },
  ];

  /** `{ fields }` or `< fields >`; the fields are collected into a fresh list. */
  private readonly message = this.RULE('message', (): MessageNode | undefined => {
    const outer = this.fields;
    this.fields = [];
    const node = this.OR(this.messageForms);
    this.fields = outer;
    return node;
  });

  private readonly messageForms = [
    {
      ALT: () => {
        const open = this.CONSUME(LCurly);
        this.MANY(this.curlyItem);
        return this.messageNode(open, this.OPTION(this.closeCurly));
      },
    },
    {
      ALT: () => {
        const open = this.CONSUME(LAngle);
        this.MANY2(this.angleItem);
        return this.messageNode(open, this.OPTION2(this.closeAngle));
      },
    },
  ];
  private readonly closeCurly = () => this.CONSUME(RCurly);
  private readonly closeAngle = () => this.CONSUME(RAngle);
  private readonly curlyItem = () => this.OR2(this.curlyItems);
  private readonly angleItem = () => this.OR3(this.angleItems);
  private readonly curlyItems = [
    { ALT: () => this.SUBRULE(this.field) },
    { ALT: () => this.SUBRULE(this.extensionField) },
    { ALT: () => this.anonymous(this.SUBRULE(this.message)) },
    { ALT: () => this.strayItem(this.CONSUME(StrayInCurly), false, this.fields) },
  ];
  private readonly angleItems = [
    { ALT: () => this.SUBRULE2(this.field) },
    { ALT: () => this.SUBRULE2(this.extensionField) },
    { ALT: () => this.anonymous(this.SUBRULE2(this.message)) },
    { ALT: () => this.strayItem(this.CONSUME(StrayInAngle), false, this.fields) },
  ];

  /**
   * `name: value`, `name { }`, `name [ ]`, with an optional `,` or `;` after it. A plain name and an
   * extension name are two rules rather than one rule choosing between them: one decision less on
   * every field.
   */
  private readonly field = this.RULE('field', (): void => this.fieldAfter(this.CONSUME(Identifier)));
  private readonly extensionField = this.RULE('extensionField', (): void =>
    this.fieldAfter(this.SUBRULE(this.extensionName)),
  );

  /** What follows a field's name (the same in both field rules). */
  private fieldAfter(name: NameToken): void {
    const value: ValueNode | undefined = this.OPTION2(this.afterNameForm);
    const colon = this.colon;
    this.colon = undefined;
    this.OPTION(this.separator);
    if (this.RECORDING_PHASE) return;
    this.fields.push(this.fieldNode(name, colon, value));
  }

  /** Names repeat on every layer: each is kept once per parse rather than once per field. */
  private fieldNode(name: NameToken, colon: IToken | undefined, value: ValueNode | undefined): FieldNode {
    const start = name.startOffset;
    const text = this.strings.intern(name.image);
    const colonAt = colon?.startOffset;
    if (value || colon) return new ParsedField(text, start, colonAt, value);
    // A bare word after a value and a comma (`phase: TRAIN, TEST`) was meant as a second value.
    const before = valueBeforeComma(this.text, this.fields[this.fields.length - 1], start);
    const end = before ? repeatTheField(before, name.image, true).end : '.';
    this.reportToken(this.LA(1), `Expected ":" or "{" after field name "${name.image}", got `, end);
    return new ParsedField(text, start, undefined, undefined);
  }

  private readonly internValue = (text: string): string => this.strings.intern(text);

  // Speed: the hot alternatives have no empty alternative and no GATE (an OPTION stands for "none
  // of them"), so Chevrotain picks the alternative from a table indexed by the next token's type.
  private readonly afterNameForm = () => this.OR2(this.afterName);
  private readonly afterName = [
    {
      ALT: () => {
        const colon = this.CONSUME(Colon);
        if (colon.tokenType === Equals && !this.RECORDING_PHASE)
          this.report(colon.startOffset, colon.startOffset + 1, 'Expected ":", found "=".');
        this.valueTaken = false;
        const value = this.OPTION3(this.valueForm);
        if (!this.valueTaken) this.missing('Expected a value, got ');
        this.colon = colon;
        return value;
      },
    },
    { ALT: () => this.SUBRULE2(this.message) },
    { ALT: () => this.SUBRULE3(this.list) },
    {
      // A scalar needs a colon; take it anyway so that the rest of the line parses as intended.
      // (No scalar form starts with an identifier, which would be the next field's name.)
      ALT: () => {
        const scalar = this.SUBRULE4(this.unnamedScalar);
        if (scalar) this.report(scalar.start, scalar.end, 'Expected ":".');
        return scalar;
      },
    },
  ];
  private readonly separator = () => this.CONSUME(Separator);
  private readonly valueJunk = () => this.stray(this.CONSUME(ValueJunk), 'Expected a value, got ');

  /**
   * What may follow `name:` (when none of them does, the value is reported missing). Stray tokens
   * before the value (`a: : 1`) are an alternative of their own rather than a loop tried on every field.
   */
  private readonly valueForm = () => this.OR3(this.valueForms);
  private readonly plainValueForms = [
    { ALT: () => this.taken(this.SUBRULE5(this.message)) },
    { ALT: () => this.taken(this.SUBRULE6(this.list)) },
    { ALT: () => this.taken(this.inlineString()) },
    { ALT: () => this.taken(this.number(this.CONSUME(NumberLiteral), undefined)) },
    { ALT: () => this.taken(this.identifier(this.CONSUME2(Identifier), undefined)) },
    { ALT: () => this.taken(this.SUBRULE8(this.negative)) },
    { ALT: () => this.taken(this.placeholder(this.CONSUME(Placeholder))) },
  ];
  private readonly valueForms = [...this.plainValueForms, { ALT: () => this.SUBRULE9(this.junkThenValue) }];

  /**
   * A string value after `name:`: the `stringValue` rule written out in place, since nearly every
   * other field has one, and a single literal (the common case) skips the loop. The loop is still
   * recorded, for Chevrotain's grammar analysis.
   */
  private inlineString(): ScalarNode | undefined {
    const first = this.CONSUME5(AnyString);
    const next = this.LA(1).tokenType;
    if (
      !this.RECORDING_PHASE &&
      next !== StringLiteral &&
      next !== UnterminatedString &&
      next !== CurlyString
    ) {
      return oneStringNode(first, this.problems, this.internValue);
    }
    const pieces: IToken[] = [first];
    this.pieces = pieces;
    this.MANY5(this.stringPiece);
    return this.RECORDING_PHASE ? undefined : stringNode(pieces, this.problems);
  }

  /** Stray tokens after `:`, reported, then the value if one follows. */
  private readonly junkThenValue = this.RULE('junkThenValue', (): ValueNode | undefined => {
    this.AT_LEAST_ONE(this.valueJunk);
    return this.OPTION(this.plainValueForm);
  });
  private readonly plainValueForm = () => this.OR(this.plainValueForms);

  /** Notes that a value followed `name:`. */
  private taken<T>(value: T): T {
    this.valueTaken = true;
    return value;
  }

  /** `[ext.name]` or `[type.googleapis.com/pkg.Msg]`; the name is the bracketed text as written. */
  private readonly extensionName = this.RULE('extensionName', (): NameToken => {
    const open = this.CONSUME(LBracket);
    let last: IToken = open;
    this.MANY(() => {
      last = this.OR([
        { ALT: () => this.CONSUME(Identifier) },
        { ALT: () => this.CONSUME(Dot) },
        { ALT: () => this.CONSUME(Slash) },
      ]);
    });
    const close = this.OPTION(() => this.CONSUME(RBracket));
    if (this.RECORDING_PHASE) return open;
    if (!close) this.reportToken(this.LA(1), 'Expected "]", got ');
    return { image: this.text.slice(open.startOffset, endOf(close ?? last)), startOffset: open.startOffset };
  });

  /** `[a, b]`: scalars or messages, comma-separated. Rare, so plain closures are fine here. */
  private readonly list = this.RULE('list', (): ListNode | undefined => {
    const open = this.CONSUME(LBracket);
    const items: (ScalarNode | MessageNode)[] = [];
    let expectItem = true;
    let lastComma: IToken | undefined;
    this.MANY({
      GATE: () => (expectItem ? startsListItem(this.LA(1).tokenType) : this.LA(1).tokenType === Comma),
      DEF: () =>
        this.OR([
          {
            GATE: () => expectItem,
            ALT: () => {
              const item = this.SUBRULE(this.listItem);
              if (item) items.push(item);
              expectItem = false;
            },
          },
          {
            ALT: () => {
              lastComma = this.CONSUME(Comma);
              expectItem = true;
            },
          },
        ]),
    });
    const close = this.OPTION(() => this.CONSUME(RBracket));
    if (this.RECORDING_PHASE) return undefined;
    if (!close)
      this.reportToken(this.LA(1), expectItem ? 'Expected a value, got ' : 'Expected "," or "]", got ');
    else if (expectItem && lastComma) this.reportToken(close, 'Expected a value, got ');
    const end = close
      ? endOf(close)
      : items.length > 0
        ? items[items.length - 1].end
        : endOf(lastComma ?? open);
    return { kind: 'list', items, start: open.startOffset, end };
  });

  private readonly listItem = this.RULE('listItem', (): ScalarNode | MessageNode | undefined =>
    this.OR(this.listItemForms),
  );
  private readonly listItemForms = [
    { ALT: () => this.SUBRULE(this.message) },
    { ALT: () => this.SUBRULE(this.stringValue) },
    { ALT: () => this.number(this.CONSUME(NumberLiteral), undefined) },
    { ALT: () => this.identifier(this.CONSUME(Identifier), undefined) },
    { ALT: () => this.SUBRULE(this.negative) },
    { ALT: () => this.placeholder(this.CONSUME2(Placeholder)) },
  ];

  /** A scalar that cannot be taken for the next field's name (used after a name without `:`). */
  private readonly unnamedScalar = this.RULE('unnamedScalar', (): ScalarNode | undefined =>
    this.OR([
      { ALT: () => this.SUBRULE(this.stringValue) },
      { ALT: () => this.number(this.CONSUME(NumberLiteral), undefined) },
      { ALT: () => this.SUBRULE(this.negative) },
    ]),
  );

  /** `-` followed by a number or an identifier (`-inf`). */
  private readonly negative = this.RULE('negative', (): ScalarNode | undefined => {
    const minus = this.CONSUME(Minus);
    return this.OR([
      { ALT: () => this.number(this.CONSUME(NumberLiteral), minus) },
      { ALT: () => this.identifier(this.CONSUME(Identifier), minus) },
      { ALT: () => this.missing('Expected a number after "-", got ') },
    ]);
  });

  /** One or more adjacent string literals, decoded as one value. */
  private readonly stringValue = this.RULE('stringValue', (): ScalarNode | undefined => {
    const pieces: IToken[] = [];
    this.pieces = pieces;
    this.AT_LEAST_ONE(this.stringPiece);
    return this.RECORDING_PHASE ? undefined : stringNode(pieces, this.problems);
  });
  private readonly stringPiece = () => {
    this.pieces.push(this.CONSUME(AnyString));
  };

  private number(token: IToken, minus: IToken | undefined): ScalarNode | undefined {
    if (this.RECORDING_PHASE) return undefined;
    const joined = numberThenName(token, this.LA(1));
    if (joined) this.problems.push(joined);
    return numberNode(token, this.strings.intern(token.image), minus, this.problems);
  }

  private identifier(token: IToken, minus: IToken | undefined): ScalarNode | undefined {
    return this.RECORDING_PHASE ? undefined : identifierNode(token, this.strings.intern(token.image), minus);
  }

  private messageNode(open: IToken, close: IToken | undefined): MessageNode | undefined {
    if (this.RECORDING_PHASE) return undefined;
    const kind = 'message';
    // Copied to an array of its exact length: the one grown by push keeps spare room for good.
    const fields = this.fields.slice();
    const start = open.startOffset;
    const openText = open.tokenType === LCurly ? '{' : '<';
    if (close) return { kind, open: openText, fields, start, end: endOf(close), close: close.startOffset };
    this.unclosed.push(open);
    return { kind, open: openText, fields, start, end: this.text.length };
  }
}

function startsListItem(type: TokenType): boolean {
  return (
    type === NumberLiteral ||
    type === Identifier ||
    type === StringLiteral ||
    type === UnterminatedString ||
    type === CurlyString ||
    type === LCurly ||
    type === LAngle ||
    type === Minus ||
    type === Placeholder
  );
}
