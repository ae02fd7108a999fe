// Value checks against a field's type, with protobuf text format's rules: the kind of value
// (string, number, identifier, message), integer ranges, floats, bools and enum names/numbers.

import type { FieldNode, MessageNode, NumberNode, ScalarNode } from '../../parser/ast';
import type { FieldDef } from '../../schema/model';
import type { Schema } from '../../schema/schema';
import type { AnalysisDiagnostic } from '../diagnostic';
import { forksRepeating, repeatedInForks, type Check, type CheckContext } from './context';
import { namedTemplateWord } from './syntax';
import { checkEnum } from './enum-values';
import { error, shown } from './value-words';

export const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

/**
 * INT_RANGES as numbers, for the literals `shortInteger` reads (far inside 2^53, so compared exactly)
 * and the values shape rules read (numbers already).
 */
export const INT_BOUNDS: Readonly<Record<string, readonly [number, number]>> = Object.fromEntries(
  Object.entries(INT_RANGES).map(([type, [low, high]]) => [type, [Number(low), Number(high)]]),
);

const FLOAT_MAX = 3.4028234663852886e38;

/** "a uint32" (you-int), "an int64", "an enum ...". */
function aOrAn(word: string): string {
  return `${/^[aeio]/.test(word) ? 'an' : 'a'} ${word}`;
}
const FLOAT_WORDS = new Set(['inf', 'infinity', 'nan']);
const BOOL_WORDS = new Set(['true', 'false', 'True', 'False', 't', 'f']);

export const checkValues: Check = (ctx) => {
  // Fields found in another schema than the main one are rare (none in a plain BVLC net).
  const otherSchemas = ctx.resolved.fieldSchemas;
  const anyOther = otherSchemas.size > 0;
  for (let b = 0; b < ctx.blocks.length; b++) {
    const block = ctx.blocks[b];
    const fields = block.node.fields;
    for (let i = 0; i < fields.length; i++) {
      const def = block.fieldDef(i);
      const field = fields[i];
      const value = field.value;
      if (def === undefined || value === undefined) continue;
      const schema = (anyOther && otherSchemas.get(field)) || ctx.schema;
      if (value.kind === 'list') {
        if (def.label !== 'repeated') {
          const forks = forksRepeating(ctx, block.def.fullName, field.name);
          ctx.report(
            forks.length > 0
              ? {
                  ...error(
                    'unexpected-list',
                    repeatedInForks(ctx, forks, block.def.fullName, field.name),
                    value,
                  ),
                  severity: 'warning',
                  forks,
                }
              : error(
                  'unexpected-list',
                  `Field "${field.name}" is not repeated: give one value, not a list.`,
                  value,
                ),
          );
        }
        // protobuf lets only a list of messages go without the colon (`layer [{...}]`).
        if (field.colon === undefined && def.kind !== 'message') {
          ctx.report({
            ...error(
              'expected-colon',
              `Expected ":" after "${field.name}", found "[": a list of values needs it (${field.name}: [...]); only a list of messages may go without.`,
              field.nameSpan,
            ),
            suggestions: [`${field.name}:`],
          });
        }
        for (const item of value.items) checkOne(ctx, field, def, item, schema);
      } else checkOne(ctx, field, def, value, schema);
    }
  }
};

function checkOne(
  ctx: CheckContext,
  field: FieldNode,
  def: FieldDef,
  value: ScalarNode | MessageNode,
  schema: Schema,
): void {
  if (def.kind === 'message') {
    if (value.kind !== 'message') {
      ctx.report(
        error(
          'expected-message',
          `Expected "{": "${field.name}" is a message (${def.type}); write ${field.name} { ... }.`,
          value,
        ),
      );
    }
    return;
  }
  if (value.kind === 'message') {
    const typeName = def.kind === 'enum' ? `enum ${def.type}` : def.type;
    // `power: {}`: maybe a file written as a Python str.format template, its field left unfilled.
    const template = value.fields.length === 0 && ctx.text.slice(value.start, value.end) === '{}';
    ctx.report(
      error(
        'expected-scalar',
        template
          ? `"${field.name}" takes ${aOrAn(typeName)} value, not {}: if the file is a str.format template, Caffe ` +
              `reads it only after it is filled in; else write ${field.name}: <value>.`
          : `"${field.name}" takes ${aOrAn(typeName)} value, not a message block: write ${field.name}: <value>.`,
        { start: value.start, end: value.start + 1 },
      ),
    );
    return;
  }
  if (def.kind === 'enum') checkEnum(ctx, field, def, value, schema);
  else if (def.type === 'string' || def.type === 'bytes') {
    if (value.kind !== 'string') {
      const text = ctx.text.slice(value.start, value.end);
      // In quotes a backslash starts an escape: a Windows path's are doubled.
      const quoted = `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
      ctx.report({
        ...error(
          'expected-string',
          `Expected string but found: ${text}. "${field.name}" is a string: write ${quoted}.`,
          value,
        ),
        suggestions: [quoted],
      });
    }
  } else if (def.type === 'bool') checkBool(ctx, field, value);
  else if (def.type === 'float' || def.type === 'double') checkFloat(ctx, field, def.type, value);
  else checkInteger(ctx, field, def.type, value);
}

/**
 * A word where a number goes that a workspace script's sed substitution replaces (MobileNet-SSD's
 * template nets: `num_output: cls1x`, filled in by gen_model.sh): the file is a template, so the
 * problem is a warning that says so.
 */
function filledIn(ctx: CheckContext, value: ScalarNode, found: AnalysisDiagnostic): AnalysisDiagnostic {
  if (value.kind !== 'identifier') return found;
  const word = value.name;
  const filler = ctx.templateWord?.(word);
  if (filler === undefined) {
    const named = namedTemplateWord(ctx, word);
    return named === undefined
      ? found
      : { ...found, severity: 'warning', message: `${found.message} ${named}` };
  }
  return {
    ...found,
    severity: 'warning',
    message: `${found.message} ${filler}: this file is a template, which Caffe reads only once that script has filled it in.`,
  };
}

function checkBool(ctx: CheckContext, field: FieldNode, value: ScalarNode): void {
  if (value.kind === 'identifier' && !value.negative && BOOL_WORDS.has(value.name)) return;
  // protobuf takes the integers 0 and 1 in any base (`0x1`, `01`), not negated.
  if (value.kind === 'number' && value.text.charCodeAt(0) !== 45 /* - */) {
    const integer = value.integer;
    if (integer === 0n || integer === 1n) return;
  }
  ctx.report(
    error(
      'expected-bool',
      `Expected "true" or "false" for bool field "${field.name}", found ${shown(ctx, value)}.`,
      value,
    ),
  );
}

function checkFloat(ctx: CheckContext, field: FieldNode, type: string, value: ScalarNode): void {
  if (value.kind === 'identifier') {
    if (FLOAT_WORDS.has(value.name.toLowerCase())) return;
  } else if (value.kind === 'number') {
    if (HEX_OR_OCTAL.test(value.text)) {
      const written = value.text.replace(/^-/, '');
      ctx.report(
        error(
          'expected-number',
          `Couldn't parse float: ${value.text}. "${field.name}" takes a decimal number: protobuf reads hex and octal (a leading 0) only for integer fields ("Expect a decimal number, got: ${written}").`,
          value,
        ),
      );
      return;
    }
    // protobuf reads it (as infinity): a warning, not an error.
    if (type === 'float' && Number.isFinite(value.value) && Math.abs(value.value) > FLOAT_MAX) {
      ctx.report({
        ...error(
          'out-of-range',
          `Value out of range for float field "${field.name}": ${value.text} is beyond the largest float (about 3.4e38), so Caffe reads ${value.value < 0 ? '-inf' : 'inf'}.`,
          value,
        ),
        severity: 'warning',
      });
    }
    return;
  }
  ctx.report(
    filledIn(ctx, value, {
      ...error(
        'expected-number',
        `Couldn't parse float: ${shown(ctx, value)}. "${field.name}" takes a number.`,
        value,
      ),
      ...unquotedNumber(value, FLOAT_TEXT),
    }),
  );
}

/** An integer literal in hex (`0x1f`) or octal (`017`, `00`), with its sign. */
const HEX_OR_OCTAL = /^-?0(?:[xX]|\d)/;

/** A decimal number as text format writes it (a float field's; an integer field takes INTEGER_TEXT). */
const FLOAT_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^-?\d+$/;

/** For a number written in quotes (`kernel_size: "3"`): the fix that writes it bare. */
function unquotedNumber(value: ScalarNode, form: RegExp): { suggestions?: string[] } {
  if (value.kind !== 'string') return {};
  const text = value.value.trim();
  return form.test(text) ? { suggestions: [text] } : {};
}

function checkInteger(ctx: CheckContext, field: FieldNode, type: string, value: ScalarNode): void {
  if (value.kind !== 'number') {
    ctx.report(
      filledIn(ctx, value, {
        ...error(
          'expected-number',
          `Couldn't parse integer: ${shown(ctx, value)}. "${field.name}" takes ${aOrAn(type)}.`,
          value,
        ),
        ...unquotedNumber(value, INTEGER_TEXT),
      }),
    );
    return;
  }
  const range = INT_RANGES[type];
  // protobuf reads no sign for an unsigned field, not even `-0` (a negative one is out of range).
  if (range && range[0] === 0n && /^-0+$/.test(value.text)) {
    const plain = value.text.slice(1);
    ctx.report({
      ...error(
        'out-of-range',
        `Value out of range: ${value.text}. "${field.name}" is ${aOrAn(type)}, which takes no sign ("Expected integer, got: -"): write ${plain}.`,
        value,
      ),
      suggestions: [plain],
    });
    return;
  }
  // Most integers are short decimal literals: their value is exact, no bigint is needed.
  const short = shortInteger(value.text, value.value);
  if (short !== undefined) {
    const bounds = INT_BOUNDS[type];
    if (bounds && (short < bounds[0] || short > bounds[1])) reportOutOfRange(ctx, field, type, value, range);
    return;
  }
  // Read once: a parsed number works out its exact integer from its text on each read.
  const integer = value.integer;
  if (integer === undefined) {
    ctx.report(
      error(
        'expected-integer',
        `Couldn't parse integer: ${value.text}. "${field.name}" is ${aOrAn(type)}: write a whole number.`,
        value,
      ),
    );
    return;
  }
  if (range && (integer < range[0] || integer > range[1])) reportOutOfRange(ctx, field, type, value, range);
}

function reportOutOfRange(
  ctx: CheckContext,
  field: FieldNode,
  type: string,
  value: NumberNode,
  range: readonly [bigint, bigint],
): void {
  ctx.report(
    error(
      'out-of-range',
      `Value out of range: ${value.text}. "${field.name}" is ${aOrAn(type)} (${range[0]} to ${range[1]}).`,
      value,
    ),
  );
}

/**
 * The value of a decimal integer literal of at most 15 digits (with its sign), exact as a number
 * (`value`, which the parser read from the same text, octal included); undefined for any other
 * literal (a float, hex, a longer integer), whose exact integer is read from its text.
 */
function shortInteger(text: string, value: number): number | undefined {
  const from = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (text.length - from > 15) return undefined;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return value;
}
