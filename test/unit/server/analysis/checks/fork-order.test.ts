// The fork a multi-fork warning names first follows the document's other fork warnings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisDiagnostic } from '../../../../../server/src/analysis/diagnostic';
import { forkFixFor } from '../../../../../server/src/analysis/checks/context';
import { preferDocumentForks } from '../../../../../server/src/analysis/checks/fork-order';
import type { ForkSchema } from '../../../../../server/src/analysis/model/resolve';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';

const schema = loadBundledSchema();
const FORKS: ForkSchema[] = [
  { name: 'a', label: 'Alpha (x/a)', protoPath: 'a.proto', schema },
  { name: 'b', label: 'Beta (x/b)', protoPath: 'b.proto', schema },
  { name: 'c', label: 'Gamma (x/c)', protoPath: 'c.proto', schema },
];

function warning(forks: string[], what: string, start: number): AnalysisDiagnostic {
  const labels = forks.map((f) => FORKS.find((k) => k.name === f)?.label ?? f);
  return {
    severity: 'warning',
    code: 'fork-field',
    message: `${forkFixFor(labels)}: ${what} is not in BVLC Caffe.`,
    start,
    end: start + 1,
    forks,
  };
}

test('the forks the other warnings name most come first; ties keep the order given', () => {
  const shared = warning(['a', 'b', 'c'], '"x"', 0);
  const list = [shared, warning(['c'], '"y"', 5), warning(['b', 'c'], '"z"', 9)];
  preferDocumentForks(list, FORKS);
  assert.deepEqual(list[0].forks, ['c', 'b', 'a']);
  assert.equal(
    list[0].message,
    'Choose the Gamma schema or another fork\'s (prototxt.schema.paths or --schema): "x" is not in BVLC Caffe.',
  );
  assert.deepEqual(list[2].forks, ['c', 'b']);
  assert.match(list[2].message, /^Choose the Gamma or Beta schema \(/);
  // The diagnostics given are not changed (an earlier version's results may hold them).
  assert.deepEqual(shared.forks, ['a', 'b', 'c']);
  assert.match(shared.message, /^Choose the Alpha schema or another fork's/);
  assert.notEqual(list[0], shared);
});

test('nothing changes without evidence for one fork over another', () => {
  const list = [warning(['a', 'b'], '"x"', 0), warning(['a', 'b'], '"y"', 4), warning(['c'], '"z"', 8)];
  const before = [...list];
  preferDocumentForks(list, FORKS);
  assert.deepEqual(list, before);
  for (let i = 0; i < list.length; i++) assert.equal(list[i], before[i]);
});
