// The words of the schemas in use (field names, enum value names), kept as V8's internalized strings:
// the parser gives a document these very string objects for them (string-table.ts), so that comparing
// a field's name with a name written in the code, or looking it up in a schema's maps, compares two
// pointers instead of two runs of characters.

const byText = new Map<string, string>();
const words: string[] = [];

/** The internalized copy of `word`, added to the vocabulary. */
export function internalized(word: string): string {
  let kept = byText.get(word);
  if (kept === undefined) {
    // V8 keeps property names internalized: the key read back is the internalized copy.
    const holder: Record<string, number> = {};
    holder[word] = 0;
    kept = Object.keys(holder)[0] ?? word;
    byText.set(kept, kept);
    words.push(kept);
  }
  return kept;
}

/** Every word added so far. */
export function vocabulary(): readonly string[] {
  return words;
}
