// What the editor and `check` publish of a fork layer under the bundled schema: its type's warning,
// which covers the layer's fork fields; those fields on their own when the type warnings are ignored.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prototxtDiagnostics } from '../../../../../server/src/features/diagnostics/gather';
import { createPythonParser } from '../../../../../server/src/python/parser';
import { DEFAULT_SETTINGS } from '../../../../../server/src/settings';
import { PythonWorkspace } from '../../../../../server/src/workspace/python-workspace';
import { featureInputFor } from '../../../../helpers/analyzed-document';

const NET =
  'layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n' +
  'layer { name: "p" type: "Permute" bottom: "data" top: "p" permute_param { order: 0 order: 2 order: 3 order: 1 } }\n';

function published(ignore: string[]) {
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const input = featureInputFor(NET, {
    settings: { diagnostics: { ...DEFAULT_SETTINGS.diagnostics, ignore } },
  });
  return prototxtDiagnostics(input, python).map((d) => ({
    at: `${d.range.start.line + 1}:${d.range.start.character + 1}`,
    code: d.code,
    related: d.relatedInformation?.map(
      (r) => `${r.location.range.start.line + 1}:${r.location.range.start.character + 1}`,
    ),
  }));
}

test("a fork layer's own block is a related place of its type's warning, not a warning of its own", () => {
  assert.deepEqual(published([]), [{ at: '2:25', code: 'unknown-layer-type', related: ['2:59'] }]);
});

test('with the type warnings ignored, the block is told on its own', () => {
  assert.deepEqual(published(['unknown-layer-type']), [
    { at: '2:59', code: 'fork-field', related: undefined },
  ]);
  // Both ignored: nothing.
  assert.deepEqual(published(['unknown-layer-type', 'fork-field']), []);
});
