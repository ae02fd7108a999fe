// The .proto grammar: collects the tokens of every definition into a raw tree; naming, scoping and
// comments are resolved afterwards (proto-reader.ts). One stateless parser instance is reused.

import { pushAll } from '../../../common/arrays';
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import * as T from './proto-lexer';

export interface RawOption {
  name: string;
  /** The value tokens as written (a sign and a number, a name, or one or more strings). */
  value: IToken[];
}

export interface RawField {
  start: IToken;
  label?: IToken;
  type: IToken;
  name: IToken;
  sign?: IToken;
  number: IToken;
  options: RawOption[];
  end?: IToken;
  oneof?: string;
}

export interface RawEnumValue {
  start: IToken;
  name: IToken;
  sign?: IToken;
  number: IToken;
  options: RawOption[];
  end?: IToken;
}

export interface RawEnum {
  start: IToken;
  name: IToken;
  open?: IToken;
  values: RawEnumValue[];
}

export interface RawMessage {
  start: IToken;
  name: IToken;
  open?: IToken;
  fields: RawField[];
  messages: RawMessage[];
  enums: RawEnum[];
}

export interface RawFile {
  package?: IToken;
  messages: RawMessage[];
  enums: RawEnum[];
}

export class ProtoParser extends EmbeddedActionsParser {
  /**
   * `validate`: run Chevrotain's checks of the grammar itself (ambiguous alternatives, left recursion,
   * duplicate rules). The tests make one that does; the parser every run uses skips them, a third of
   * its start-up cost, since they find the same nothing in the same grammar each time.
   */
  constructor(validate = false) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', (): RawFile => {
    const out: RawFile = { messages: [], enums: [] };
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Syntax);
            this.CONSUME(T.Equals);
            this.CONSUME(T.StringLit);
            this.CONSUME(T.Semi);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Edition);
            this.CONSUME1(T.Equals);
            this.CONSUME1(T.StringLit);
            this.CONSUME1(T.Semi);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Package);
            out.package = this.CONSUME(T.Name);
            this.CONSUME2(T.Semi);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Import);
            this.OPTION(() => this.CONSUME1(T.Ident));
            this.CONSUME2(T.StringLit);
            this.CONSUME3(T.Semi);
          },
        },
        { ALT: () => void this.SUBRULE(this.optionStatement) },
        { ALT: () => void out.messages.push(this.SUBRULE(this.message)) },
        { ALT: () => void out.enums.push(this.SUBRULE(this.enumDef)) },
        { ALT: () => this.SUBRULE(this.skippedBlock) },
        { ALT: () => void this.CONSUME4(T.Semi) },
      ]);
    });
    return out;
  });

  optionStatement = this.RULE('optionStatement', (): RawOption => {
    this.CONSUME(T.Option);
    const option = this.SUBRULE(this.optionAssignment);
    this.CONSUME(T.Semi);
    return option;
  });

  optionAssignment = this.RULE('optionAssignment', (): RawOption => {
    let name = '';
    this.OR([
      { ALT: () => (name = this.CONSUME(T.Name).image) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          name = `(${this.CONSUME1(T.Name).image})`;
          this.CONSUME(T.RParen);
          this.OPTION(() => (name += this.CONSUME2(T.Name).image));
        },
      },
    ]);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.constant);
    return { name, value };
  });

  constant = this.RULE('constant', (): IToken[] => {
    const tokens: IToken[] = [];
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => tokens.push(this.CONSUME(T.Sign)));
          this.OR1([
            { ALT: () => tokens.push(this.CONSUME(T.NumberLit)) },
            { ALT: () => tokens.push(this.CONSUME(T.Name)) },
          ]);
        },
      },
      { ALT: () => this.AT_LEAST_ONE(() => tokens.push(this.CONSUME(T.StringLit))) },
      { ALT: () => this.SUBRULE(this.braceBlock) },
    ]);
    return tokens;
  });

  fieldOptions = this.RULE('fieldOptions', (): RawOption[] => {
    const options: RawOption[] = [];
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => options.push(this.SUBRULE(this.optionAssignment)) });
    this.CONSUME(T.RBracket);
    return options;
  });

  message = this.RULE('message', (): RawMessage => {
    const start = this.CONSUME(T.Message);
    const name = this.CONSUME(T.Name);
    const out: RawMessage = { start, name, fields: [], messages: [], enums: [] };
    out.open = this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        { ALT: () => void out.fields.push(this.SUBRULE(this.field)) },
        { ALT: () => void out.messages.push(this.SUBRULE(this.message)) },
        { ALT: () => void out.enums.push(this.SUBRULE(this.enumDef)) },
        {
          ALT: () => {
            const fields = this.SUBRULE(this.oneof);
            this.ACTION(() => pushAll(out.fields, fields));
          },
        },
        { ALT: () => void this.SUBRULE(this.mapField) },
        { ALT: () => void this.SUBRULE(this.optionStatement) },
        { ALT: () => this.SUBRULE(this.skippedStatement) },
        { ALT: () => this.SUBRULE(this.skippedBlock) },
        { ALT: () => void this.CONSUME(T.Semi) },
      ]);
    });
    this.CONSUME(T.RBrace);
    return out;
  });

  field = this.RULE('field', (): RawField => {
    const label = this.OR([
      { ALT: () => this.CONSUME(T.Optional) },
      { ALT: () => this.CONSUME(T.Required) },
      { ALT: () => this.CONSUME(T.Repeated) },
    ]);
    return this.SUBRULE(this.fieldRest, { ARGS: [label] });
  });

  /** Type, name, number, options and `;` of a field; the label (if any) is passed in. */
  fieldRest = this.RULE('fieldRest', (label: IToken | undefined): RawField => {
    const type = this.CONSUME(T.Name);
    const name = this.CONSUME1(T.Name);
    this.CONSUME(T.Equals);
    const sign = this.OPTION(() => this.CONSUME(T.Sign));
    const number = this.CONSUME(T.NumberLit);
    const options = this.OPTION1(() => this.SUBRULE(this.fieldOptions)) ?? [];
    const end = this.CONSUME(T.Semi);
    return { start: label ?? type, label, type, name, sign, number, options, end };
  });

  oneof = this.RULE('oneof', (): RawField[] => {
    const fields: RawField[] = [];
    this.CONSUME(T.Oneof);
    const name = this.CONSUME(T.Name).image;
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        { ALT: () => void this.SUBRULE(this.optionStatement), IGNORE_AMBIGUITIES: true },
        {
          ALT: () =>
            void fields.push({ ...this.SUBRULE(this.fieldRest, { ARGS: [undefined] }), oneof: name }),
        },
        { ALT: () => void this.CONSUME(T.Semi) },
      ]);
    });
    this.CONSUME(T.RBrace);
    return fields;
  });

  /** `map<K, V> name = N;` is read and dropped: caffe.proto has none. */
  mapField = this.RULE('mapField', () => {
    this.CONSUME(T.MapKw);
    this.CONSUME(T.LAngle);
    this.CONSUME(T.Name);
    this.CONSUME(T.Comma);
    this.CONSUME1(T.Name);
    this.CONSUME(T.RAngle);
    this.CONSUME2(T.Name);
    this.CONSUME(T.Equals);
    this.CONSUME(T.NumberLit);
    this.OPTION(() => this.SUBRULE(this.fieldOptions));
    this.CONSUME(T.Semi);
  });

  enumDef = this.RULE('enumDef', (): RawEnum => {
    const start = this.CONSUME(T.Enum);
    const name = this.CONSUME(T.Name);
    const out: RawEnum = { start, name, values: [] };
    out.open = this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        { ALT: () => void this.SUBRULE(this.optionStatement), IGNORE_AMBIGUITIES: true },
        { ALT: () => this.SUBRULE(this.skippedStatement), IGNORE_AMBIGUITIES: true },
        { ALT: () => void out.values.push(this.SUBRULE(this.enumValue)) },
        { ALT: () => void this.CONSUME(T.Semi) },
      ]);
    });
    this.CONSUME(T.RBrace);
    return out;
  });

  enumValue = this.RULE('enumValue', (): RawEnumValue => {
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    const sign = this.OPTION(() => this.CONSUME(T.Sign));
    const number = this.CONSUME(T.NumberLit);
    const options = this.OPTION1(() => this.SUBRULE(this.fieldOptions)) ?? [];
    const end = this.CONSUME(T.Semi);
    return { start: name, name, sign, number, options, end };
  });

  /** `extensions ...;` and `reserved ...;`: tolerated and skipped. */
  skippedStatement = this.RULE('skippedStatement', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Extensions) }, { ALT: () => this.CONSUME(T.Reserved) }]);
    this.MANY(() => this.SUBRULE(this.plainToken));
    this.CONSUME(T.Semi);
  });

  /** `extend X { ... }` and `service X { ... }`: tolerated and skipped. */
  skippedBlock = this.RULE('skippedBlock', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Extend) }, { ALT: () => this.CONSUME(T.Service) }]);
    this.CONSUME(T.Name);
    this.SUBRULE(this.braceBlock);
  });

  braceBlock = this.RULE('braceBlock', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.braceBlock) },
        { ALT: () => this.SUBRULE(this.plainToken) },
        { ALT: () => this.CONSUME(T.Semi) },
      ]),
    );
    this.CONSUME(T.RBrace);
  });

  plainToken = this.RULE('plainToken', () => {
    this.OR(T.plainTokens.map((tokenType) => ({ ALT: () => this.CONSUME(tokenType) })));
  });
}

/** The one parser instance, made on first use: it holds no state between calls beyond its input. */
let parser: ProtoParser | undefined;

export interface ProtoSyntaxError {
  message: string;
  token: IToken;
  /** The token before the error, for errors at end of input. */
  previous?: IToken;
}

export function parseProtoTokens(tokens: IToken[]): { file: RawFile; errors: ProtoSyntaxError[] } {
  parser ??= new ProtoParser();
  parser.input = tokens;
  const file = parser.file() ?? { messages: [], enums: [] };
  const errors = parser.errors.map((e) => ({
    message: e.message,
    token: e.token,
    previous: 'previousToken' in e ? (e.previousToken as IToken) : undefined,
  }));
  return { file, errors };
}
