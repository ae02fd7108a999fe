// Reading the value of a number literal: hex, octal and decimal integers exactly (bigint) and floats.

export interface NumberValue {
  value: number;
  /** Set for integer literals (no `.`, exponent or `f` suffix). */
  integer?: bigint;
  /** A problem with the literal itself, e.g. `09` (a leading zero means octal). */
  problem?: string;
  /** The literal that fixes `problem`, when there is one. */
  suggestion?: string;
}

const DIGIT_0 = 48;

/** The bigints 0..1023, made once: most integers in a net are small, and a bigint is an allocation. */
const SMALL: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** `image` is an unsigned NumberLiteral token; `negative` when a `-` preceded it. */
export function readNumber(image: string, negative: boolean): NumberValue {
  const result = readUnsigned(image);
  if (negative) {
    result.value = -result.value;
    if (result.integer !== undefined) result.integer = -result.integer;
  }
  return result;
}

/**
 * `readNumber(image, false).value` without the exact integer (a bigint most callers never ask for)
 * for the common forms: decimal integers up to 15 digits without a leading zero, and floats. Undefined
 * for the others (hex, octal, longer integers), which `readNumber` reads; none of these forms has a
 * problem.
 */
export function quickValue(image: string): number | undefined {
  if (!isIntegerForm(image)) {
    const second = image.charCodeAt(1);
    if (
      image.charCodeAt(0) === DIGIT_0 &&
      (second === 120 /* x */ || second === 88 /* X */ || isDigit(second))
    )
      return undefined;
    const last = image.charCodeAt(image.length - 1);
    return Number(last === 102 /* f */ || last === 70 /* F */ ? image.slice(0, -1) : image);
  }
  if (image.length > 15 || (image.length > 1 && image.charCodeAt(0) === DIGIT_0)) return undefined;
  return Number(image);
}

function readUnsigned(image: string): NumberValue {
  const second = image.charCodeAt(1);
  if (image.charCodeAt(0) === DIGIT_0 && (second === 120 /* x */ || second === 88) /* X */) {
    const integer = BigInt(image);
    return { value: Number(integer), integer };
  }
  if (!isIntegerForm(image)) {
    const last = image.charCodeAt(image.length - 1);
    const body = last === 102 /* f */ || last === 70 /* F */ ? image.slice(0, -1) : image;
    if (image.charCodeAt(0) === DIGIT_0 && isDigit(image.charCodeAt(1))) {
      // protobuf reads `01.5` as the octal integer 01 and stops at the `.` (`01e5`, `00f`: at the name
      // after it); the value a reader meant is the decimal one.
      const decimal = image.replace(/^0+(?=\d)/, '');
      const stop = image.charAt(image.search(/\D/));
      const said =
        stop === '.'
          ? 'Hex and octal numbers must be integers.'
          : 'Need space between number and identifier.';
      return {
        value: Number(body),
        problem: `A number with a leading zero is octal to protobuf, and an octal number takes no fraction, exponent or f: Caffe stops at the "${stop}" of ${image} ("${said}"). Write ${decimal}.`,
        suggestion: decimal,
      };
    }
    return { value: Number(body) };
  }
  if (image.length > 1 && image.charCodeAt(0) === DIGIT_0) {
    if (/[89]/.test(image)) {
      const integer = BigInt(image);
      return {
        value: Number(integer),
        integer,
        problem: 'Numbers starting with leading zero must be in octal.',
      };
    }
    const integer = BigInt('0o' + image.slice(1));
    return { value: Number(integer), integer };
  }
  if (image.length <= 15) {
    const value = Number(image);
    return { value, integer: value < SMALL.length ? SMALL[value] : BigInt(value) };
  }
  const integer = BigInt(image);
  return { value: Number(integer), integer };
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_0 + 9;
}

/** Digits only: no `.`, exponent or float suffix. */
function isIntegerForm(image: string): boolean {
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_0 + 9) return false;
  }
  return true;
}
