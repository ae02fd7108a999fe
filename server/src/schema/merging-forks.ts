// Bundled forks that carry other forks' and plugins' layers besides their own: Synopsys Caffe has
// SSD's, YOLO's, ICNet's, ShuffleNet's and many more. A message names such a fork beside the others
// only when the document prefers it (forkFixFor), its layer table counts only for types nothing else
// accounts for (ALL_LAYER_TYPES), and a user's proto knows its types only when it is that fork's own.

/** By bundled name (BUNDLED_FORKS). */
export const MERGING_FORKS: ReadonlySet<string> = new Set(['synopsys']);
