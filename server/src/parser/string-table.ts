// The strings of one parsed document, each kept once: field names, identifiers and numbers repeat on
// every layer, and a shared copy is less for the collector to keep and quicker for maps to compare.
//
// An open-addressing table keyed by a hash of the characters, which the reader computes while it
// scans a word: a word seen before is found from its place in the text, without cutting it out of
// the text first (most words are: a blob's name comes back as the next layer's bottom).

import { vocabulary } from './vocabulary';

/** Slots of a new table (a power of two); it doubles when half full. */
const INITIAL_SLOTS = 1024;

/** The hash of `text[start, end)` as `internRange` expects it: `hashStep` over its character codes. */
export function hashRange(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = hashStep(h, text.charCodeAt(i));
  return h;
}

/** One character more of a hash (callers that scan a word inline this). */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/** Characters of text per slot that a table made for a text starts with (see `forText`). */
const CHARS_PER_SLOT = 64;
/** The most slots a table starts with, however long the text. */
const MAX_INITIAL_SLOTS = 1 << 20;

export class StringTable {
  private hashes: Int32Array;
  /** '' marks a free slot (the empty string is never kept: it is always the same string anyway). */
  private strings: string[];
  private count = 0;

  /** `slots`: a power of two. */
  constructor(slots = INITIAL_SLOTS) {
    this.hashes = new Int32Array(slots);
    this.strings = new Array<string>(slots).fill('');
  }

  /**
   * A table sized for the words of `text`: a large net names every layer and blob, one new name every
   * hundred characters or so, and a table grown from the smallest size would be copied at each doubling.
   */
  static forText(text: string): StringTable {
    const words = vocabulary();
    const hashes = vocabularyHashes(words);
    let slots = INITIAL_SLOTS;
    // Room for the words too, so that the table does not grow while they go in.
    const wanted = Math.min(MAX_INITIAL_SLOTS, text.length / CHARS_PER_SLOT + 2 * words.length);
    while (slots < wanted) slots *= 2;
    const table = new StringTable(slots);
    // The schemas' words first: a document's field names are then the schemas' own strings.
    for (let i = 0; i < words.length; i++) table.internRange(words[i], 0, words[i].length, hashes[i]);
    return table;
  }

  /** Forgets every string (a new document). */
  clear(): void {
    this.hashes = new Int32Array(INITIAL_SLOTS);
    this.strings = new Array<string>(INITIAL_SLOTS).fill('');
    this.count = 0;
  }

  /** The one copy of `text` kept in this table. */
  intern(text: string): string {
    return this.internRange(text, 0, text.length, hashRange(text, 0, text.length));
  }

  /** The one copy of `text.slice(start, end)` kept in this table; `hash` is `hashRange(text, start, end)`. */
  internRange(text: string, start: number, end: number, hash: number): string {
    const length = end - start;
    if (length <= 0) return '';
    const mixed = hash ^ (hash >>> 15);
    const strings = this.strings;
    const hashes = this.hashes;
    const mask = hashes.length - 1;
    let slot = mixed & mask;
    for (;;) {
      const kept = strings[slot];
      if (kept === '') break;
      if (hashes[slot] === mixed && kept.length === length && sameChars(kept, text, start)) return kept;
      slot = (slot + 1) & mask;
    }
    const made = start === 0 && end === text.length ? text : text.slice(start, end);
    strings[slot] = made;
    hashes[slot] = mixed;
    if (++this.count * 2 > hashes.length) this.grow();
    return made;
  }

  private grow(): void {
    const oldStrings = this.strings;
    const oldHashes = this.hashes;
    const size = oldHashes.length * 2;
    const mask = size - 1;
    const strings = new Array<string>(size).fill('');
    const hashes = new Int32Array(size);
    for (let i = 0; i < oldStrings.length; i++) {
      const kept = oldStrings[i];
      if (kept === '') continue;
      let slot = oldHashes[i] & mask;
      while (strings[slot] !== '') slot = (slot + 1) & mask;
      strings[slot] = kept;
      hashes[slot] = oldHashes[i];
    }
    this.strings = strings;
    this.hashes = hashes;
  }
}

/** The hashes of the vocabulary's words, worked out as words are added (the list only grows). */
const wordHashes: number[] = [];

function vocabularyHashes(words: readonly string[]): readonly number[] {
  for (let i = wordHashes.length; i < words.length; i++)
    wordHashes.push(hashRange(words[i], 0, words[i].length));
  return wordHashes;
}

/** Whether `kept` (of the right length) has the characters of `text` from `start`. */
function sameChars(kept: string, text: string, start: number): boolean {
  for (let i = 0; i < kept.length; i++) if (kept.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
