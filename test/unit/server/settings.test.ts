import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, readSettings } from '../../../server/src/settings';

test('missing or malformed settings fall back to the defaults', () => {
  assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(readSettings('nonsense'), DEFAULT_SETTINGS);
  assert.deepEqual(readSettings({ schema: 3, format: { indent: 'four' } }), DEFAULT_SETTINGS);
});

test('valid values are taken, out-of-range numbers clamped, bad list items dropped', () => {
  const s = readSettings({
    schema: { paths: ['a.proto', 7], autoDiscover: false, exclude: ['tests', 3] },
    format: { indent: 99 },
    paramStr: { format: 'yaml' },
    python: { usePycaffe: 'sometimes' },
  });
  assert.deepEqual(s.schema, { paths: ['a.proto'], autoDiscover: false, exclude: ['tests'] });
  assert.equal(s.format.indent, 16);
  assert.equal(s.paramStr.format, 'yaml');
  assert.equal(s.python.usePycaffe, 'auto');
});
