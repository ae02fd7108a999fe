// Bundled forks that carry other forks' and plugins' layers besides their own: Synopsys Caffe has
// SSD's, YOLO's, ICNet's, ShuffleNet's and many more. A message names such a fork beside the others
// only when the document prefers it (forkFixFor), its layer table counts only for types nothing else
// accounts for (ALL_LAYER_TYPES), and a user's proto knows its types only when it is that fork's own.

/** By bundled name (BUNDLED_FORKS). */
export const MERGING_FORKS: ReadonlySet<string> = new Set(['synopsys']);

/**
 * The forks of a list (those that define a field or register a type) that a document's choice of
 * fork counts it for: the others than merging forks when there are any, else all. A merging fork
 * carries the others' layers, so it counts only for what no other fork explains; else every type of
 * an R-CNN or SSD net would count for it as much as for the fork it came from.
 */
export function forksCredited(forks: readonly string[]): readonly string[] {
  let merging = 0;
  for (const f of forks) if (MERGING_FORKS.has(f)) merging++;
  return merging === 0 || merging === forks.length ? forks : forks.filter((f) => !MERGING_FORKS.has(f));
}
