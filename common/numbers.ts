// Numbers written for people: integers with their thousands grouped, as in "12,831 symbols".
// `toLocaleString` gives the same text, but its first call loads the runtime's number formatting,
// which costs more than a whole check of a small file; a command-line run that only counts its
// problems pays that for one summary line.

/** `n` with a comma between each group of three digits (en-US), e.g. 1234567 -> "1,234,567". */
export function grouped(n: number): string {
  // Fractions, huge and odd values keep the runtime's rounding and spelling.
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}
