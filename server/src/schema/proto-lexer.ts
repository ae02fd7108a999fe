// Tokens of the .proto language (proto2 as caffe.proto uses it). Keywords are also names, so a field
// may be called `message` or `option`; comments go to their own group for doc extraction.

import { createToken, Lexer, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v]+/,
  group: Lexer.SKIPPED,
});
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: 'comments',
  line_breaks: true,
});

/** Category matched by every identifier-like token, keywords included. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** A plain or dotted identifier: `LayerParameter`, `caffe.BlobShape`, `.caffe.Phase`. */
export const Ident = createToken({
  name: 'Ident',
  pattern: /\.?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/,
  categories: [Name],
});

function keyword(word: string): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    longer_alt: Ident,
    categories: [Name],
  });
}

export const Syntax = keyword('syntax');
export const Edition = keyword('edition');
export const Package = keyword('package');
export const Import = keyword('import');
export const Option = keyword('option');
export const Message = keyword('message');
export const Enum = keyword('enum');
export const Oneof = keyword('oneof');
export const MapKw = keyword('map');
export const Optional = keyword('optional');
export const Required = keyword('required');
export const Repeated = keyword('repeated');
export const Extensions = keyword('extensions');
export const Reserved = keyword('reserved');
export const Extend = keyword('extend');
export const Service = keyword('service');

export const StringLit = createToken({
  name: 'StringLit',
  pattern: /"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'/,
});
export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /0[xX][0-9A-Fa-f]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/,
});

export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LAngle = createToken({ name: 'LAngle', pattern: /</ });
export const RAngle = createToken({ name: 'RAngle', pattern: />/ });
export const Semi = createToken({ name: 'Semi', pattern: /;/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Sign = createToken({ name: 'Sign', pattern: /[-+]/ });
/** A lone dot, e.g. in `(my.option).field` after the parenthesis. */
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

export const keywordTokens = [
  Syntax,
  Edition,
  Package,
  Import,
  // `optional` before `option`: a keyword that is a prefix of another must come later.
  Optional,
  Option,
  Message,
  Enum,
  Oneof,
  MapKw,
  Required,
  Repeated,
  Extensions,
  Reserved,
  Extend,
  Service,
];

/** Tokens that may appear inside a skipped statement or block (everything but braces and `;`). */
export const plainTokens = [
  Name,
  StringLit,
  NumberLit,
  LBracket,
  RBracket,
  LParen,
  RParen,
  LAngle,
  RAngle,
  Equals,
  Comma,
  Colon,
  Sign,
  Dot,
];

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLit,
  // A number before the identifier so `.5` is a number; the identifier needs a letter after the dot.
  NumberLit,
  ...keywordTokens,
  Ident,
  Name,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  LAngle,
  RAngle,
  Semi,
  Equals,
  Comma,
  Colon,
  Sign,
  Dot,
];

let lexer: Lexer | undefined;

/** The .proto lexer, made on first use (not at start-up). */
export function protoLexer(): Lexer {
  return (lexer ??= new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'full' }));
}
