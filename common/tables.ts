// Constant tables are plain objects, and a plain object also answers for Object.prototype's members:
// `table['constructor']` is a function, not "no entry". Names that come from a document, a command
// line or a Python file are looked up with ownEntry.

/** The table's own entry for `key`; undefined for any other key (`constructor`, `__proto__`...). */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
