// Where the tests find the repository and the shared real-world corpus beside it.

import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');

/** Real nets with protobuf's verdicts (`ORACLE.tsv`), kept beside the repository. */
export const corpusRoot = path.resolve(repoRoot, '../shared/corpus');
