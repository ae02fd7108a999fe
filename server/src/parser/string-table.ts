// The strings of one parsed document, each kept once: field names, identifiers and numbers repeat on
// every layer, and a shared copy is less for the collector to keep and quicker for maps to compare.

/** Size of the direct-mapped table in front of the map (a power of two). */
const RECENT_SLOTS = 256;

export class StringTable {
  private known = new Map<string, string>();
  /** The last string returned per slot (see `intern`). */
  private readonly recent: string[] = new Array<string>(RECENT_SLOTS).fill('');

  /** Forgets every string (a new document). */
  clear(): void {
    this.known = new Map();
    this.recent.fill('');
  }

  /** The one copy of `text` kept in this table. */
  intern(text: string): string {
    // A small direct-mapped table first: the same few names follow each other on every layer, and
    // comparing with one candidate is cheaper than hashing the string for the map.
    const n = text.length;
    const slot = (text.charCodeAt(0) * 31 + text.charCodeAt(n - 1) * 7 + n) & (RECENT_SLOTS - 1);
    const recent = this.recent[slot];
    if (recent === text) return recent;
    let kept = this.known.get(text);
    if (kept === undefined) {
      kept = text;
      this.known.set(text, text);
    }
    this.recent[slot] = kept;
    return kept;
  }
}
