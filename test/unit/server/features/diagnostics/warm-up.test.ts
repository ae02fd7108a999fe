// The warm-up a first start runs before V8's code cache is saved (bin/load-cached.js) goes through the
// whole analysis of its net, which is written without mistakes: a change that made it fail or report
// would leave the cache without the functions it is there for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warmUp } from '../../../../../server/src/features/diagnostics/warm-up';

test('the warm-up net is analysed through to its diagnostics, and has none', () => {
  assert.deepEqual(warmUp(), []);
});
