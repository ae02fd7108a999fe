// Chevrotain's checks of the two grammars (ambiguous alternatives, left recursion, duplicate rules):
// the parsers a run uses skip them to start faster, so they run here. A grammar that fails them makes
// the constructor throw.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextFormatParser } from '../../../../server/src/parser/grammar';
import { ProtoParser } from '../../../../server/src/schema/proto-parser';

test('the text-format grammar passes Chevrotain’s grammar checks', () => {
  assert.doesNotThrow(() => new TextFormatParser(true));
});

test('the .proto grammar passes Chevrotain’s grammar checks', () => {
  assert.doesNotThrow(() => new ProtoParser(true));
});
