// Did-you-mean: the closest names to a misspelt one, by edit distance (insert, delete, substitute,
// swap of two neighbours), case-insensitive.

/**
 * Up to `limit` candidates within a distance that grows with the word, closest first; only those
 * that differ in case alone when there are such.
 */
export function closestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.min(3, Math.floor(lower.length / 3)));
  const scored: { name: string; distance: number }[] = [];
  for (const name of candidates) {
    if (name === word) continue;
    const other = name.toLowerCase();
    const d = editDistance(lower, other, budget);
    if (d <= budget && d <= differingBudget(lower, other)) scored.push({ name, distance: d });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  // A name written in another case is the one meant: the others near it are not offered beside it.
  const kept = scored[0]?.distance === 0 ? scored.filter((s) => s.distance === 0) : scored;
  return kept.slice(0, limit).map((s) => s.name);
}

/**
 * The edits allowed between the parts of two names that differ, once what they start and end with
 * alike is set aside: fewer than half the longer part (at least one). Names that share a long ending
 * (`bbox_data_param`, `cos_data_param`) are as far apart as their stems, not near because of it; two
 * of three letters changed (`DocData`, `CoSData`) or three of six (`filter`, `interp`) make another
 * word, not a slip.
 */
function differingBudget(a: string, b: string): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  const differing = Math.max(a.length, b.length) - start - end;
  return Math.max(1, Math.floor((differing - 1) / 2));
}

/** Optimal string alignment distance, giving up (returning budget + 1) once it must exceed `budget`. */
export function editDistance(a: string, b: string, budget = Infinity): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prevPrev[j - 2] + 1);
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > budget) return budget + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length];
}

/** ` Did you mean "a" or "b"?` or '' when there is nothing to suggest. */
export function didYouMean(names: readonly string[]): string {
  if (names.length === 0) return '';
  const quoted = names.map((n) => `"${n}"`);
  const list =
    quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${list}?`;
}
