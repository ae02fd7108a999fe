// Reading the value of a number literal: hex, octal and decimal integers exactly (bigint) and floats.

export interface NumberValue {
  value: number;
  /** Set for integer literals (no `.`, exponent or `f` suffix). */
  integer?: bigint;
  /** A problem with the literal itself, e.g. `09` (a leading zero means octal). */
  problem?: string;
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
    if (image.charCodeAt(0) === DIGIT_0 && (second === 120 /* x */ || second === 88) /* X */)
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

/** Digits only: no `.`, exponent or float suffix. */
function isIntegerForm(image: string): boolean {
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_0 + 9) return false;
  }
  return true;
}
