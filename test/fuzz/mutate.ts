// Seeded text mutations for the fuzzer: real nets bent the ways broken files and typing bend them
// (byte flips, duplicated or deleted regions, stray brackets and quotes), and inputs built to stress
// one reader (deep nesting, huge strings and numbers, wide fan-in, long param_str).

export type Random = () => number;

/** A small fast PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (random: Random, n: number): number => Math.floor(random() * n);
export const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)];

const STRAY = [
  ...['{', '}', '"', "'", '<', '>', '[', ']', ':', ',', '#', '\n', '\\', '\0', '\u00e9', '\ud83d'],
  // Hand-written mistakes the lexer reads as one token: typographic quotes, C comments, `=`.
  ...['\u201c', '\u201d', '\u2018', '//', '/*', '*/', '='],
];

/** One edit of `text`: where and what, as an LSP-like replacement of [start, end) by `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/** One random edit of `text` (never empty output for an empty text). */
export function randomEdit(text: string, random: Random): TextEdit {
  const at = int(random, text.length + 1);
  const kind = random();
  if (kind < 0.25) {
    const ch = random() < 0.6 ? pick(random, STRAY) : String.fromCharCode(32 + int(random, 95));
    return { start: at, end: Math.min(text.length, at + (random() < 0.5 ? 1 : 0)), insert: ch };
  }
  if (kind < 0.45) {
    const length = 1 + int(random, Math.min(4000, text.length + 1));
    return { start: at, end: at, insert: text.slice(at, at + length) };
  }
  if (kind < 0.6) return { start: at, end: Math.min(text.length, at + 1 + int(random, 400)), insert: '' };
  if (kind < 0.8) {
    // Typing: a few characters of a field or a word.
    const words = [
      'layer ',
      'bottom: "',
      'top: "x"',
      'name: ',
      'type: "Python"',
      'python_param {',
      '1',
      'TRAIN',
      'net: a/b.prototxt',
    ];
    return { start: at, end: at, insert: pick(random, words) };
  }
  return { start: at, end: at, insert: pathologicalSnippet(random) };
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.insert + text.slice(edit.end);
}

/** `text` with one random edit applied. */
export function mutateNet(text: string, random: Random): string {
  return applyEdit(text, randomEdit(text, random));
}

/** A short piece that stresses one reader, inserted into a net. */
export function pathologicalSnippet(random: Random): string {
  const n = 50 + int(random, 2000);
  switch (int(random, 9)) {
    case 0:
      return 'a { '.repeat(n);
    case 1:
      return '['.repeat(n);
    case 2:
      return `name: "${'x'.repeat(n * 20)}`;
    case 3:
      return `dim: ${'9'.repeat(n)}`;
    case 4:
      return ` bottom: "data"`.repeat(n);
    case 5:
      return (
        `python_param { module: "m" layer: "L" param_str: "${pick(random, ['[', '{', '- ', '(', '{"a":'])}`.repeat(
          1,
        ) +
        pick(random, ['[', '{', '- ', '(', '{"a":']).repeat(n) +
        '" }'
      );
    case 6:
      return `layer { name: "s${n}" type: "ReLU" bottom: "data" top: "data" include { stage: "s${n}" } }\n`;
    case 7:
      return '}'.repeat(n);
    default:
      return `"${'\\'.repeat(n)}`;
  }
}

/** Whole documents built to stress one reader, of roughly `size` characters. */
export function pathologicalDocument(random: Random, size: number): { name: string; text: string } {
  const input =
    'layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';
  const builders: [string, () => string][] = [
    ['unknown fields', () => 'zz: 1\n'.repeat(Math.ceil(size / 6))],
    ['stray braces', () => '}\n'.repeat(Math.ceil(size / 2))],
    ['deep nesting', () => 'a { '.repeat(Math.ceil(size / 4))],
    ['deep list', () => `name: ${'['.repeat(size)}`],
    ['huge string', () => `name: "${'x'.repeat(size)}"`],
    ['unterminated string', () => `name: "${'y'.repeat(size)}`],
    ['huge number', () => `force_backward: ${'7'.repeat(size)}`],
    [
      'undefined bottoms',
      () => {
        const one = (i: number) => `layer { name: "l${i}" type: "ReLU" bottom: "x${i}" top: "y${i}" }\n`;
        return input + Array.from({ length: Math.ceil(size / one(0).length) }, (_, i) => one(i)).join('');
      },
    ],
    [
      'wide concat',
      () => {
        const count = Math.ceil(size / 60);
        let t = input;
        for (let i = 0; i < count; i++)
          t += `layer { name: "r${i}" type: "ReLU" bottom: "data" top: "r${i}" }\n`;
        return `${t}layer { name: "cat" type: "Concat"${Array.from({ length: count }, (_, i) => ` bottom: "r${i}"`).join('')} top: "out" }\n`;
      },
    ],
    [
      'nested param_str',
      () =>
        `${input}layer { name: "py" type: "Python" bottom: "data" top: "p" python_param { module: "m" layer: "L" param_str: "${'{'.repeat(size)}" } }\n`,
    ],
  ];
  const [name, build] = pick(random, builders);
  return { name, text: build() };
}
