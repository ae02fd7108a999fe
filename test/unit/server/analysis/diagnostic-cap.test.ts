import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AnalysisDiagnostic, Severity } from '../../../../server/src/analysis/diagnostic';
import {
  capDiagnostics,
  DEFAULT_MAX_DIAGNOSTICS,
  shortenMessage,
} from '../../../../server/src/analysis/diagnostic-cap';

const at = (start: number, severity: Severity = 'warning'): AnalysisDiagnostic => ({
  severity,
  code: 'x',
  message: `at ${start}`,
  start,
  end: start + 1,
});

test('a list within the cap is returned as it is', () => {
  const list = [at(3), at(1)];
  assert.deepEqual(capDiagnostics(list, 2), list);
  assert.deepEqual(capDiagnostics(list, 0), list);
});

test('the first N in text order, then one that counts the rest and is as severe as the worst of them', () => {
  const list = [at(50, 'hint'), at(10), at(40, 'error'), at(20), at(30, 'information')];
  const capped = capDiagnostics(list, 2);
  assert.deepEqual(
    capped.map((d) => d.start),
    [10, 20, 30],
  );
  const summary = capped[2];
  assert.equal(summary.code, 'too-many-problems');
  assert.equal(summary.severity, 'error');
  assert.equal(summary.end, 30);
  assert.equal(
    summary.message,
    '5 problems in all; only the first 2 are listed. The 3 left out (1 error, 1 note, 1 hint) start here.',
  );
});

test('0 keeps everything; the default keeps 1,000 and counts a problem that stands for others', () => {
  const list = Array.from({ length: 1500 }, (_, i) => at(i));
  assert.equal(capDiagnostics(list, 0).length, 1500);
  const capped = capDiagnostics(list);
  assert.equal(capped.length, DEFAULT_MAX_DIAGNOSTICS + 1);
  assert.match(
    capped[DEFAULT_MAX_DIAGNOSTICS].message,
    /^1,500 problems in all.*The 500 left out \(500 warnings\)/,
  );
  const withParserSummary = [...list, { ...at(2000, 'error'), omitted: 7000 }];
  assert.match(
    capDiagnostics(withParserSummary)[DEFAULT_MAX_DIAGNOSTICS].message,
    /^8,500 problems in all.*The 7,500 left out \(7,000 errors, 500 warnings\)/,
  );
});

test('a message quotes at most 100 characters of a word and is at most 2,000 long', () => {
  const quote = `String missing ending quote: "${'x'.repeat(1_000_000)}`;
  assert.equal(
    shortenMessage(quote),
    `String missing ending quote: "${'x'.repeat(99)}… (1,000,001 characters)`,
  );
  const words = Array.from({ length: 1000 }, () => 'word').join(' ');
  assert.match(shortenMessage(words), /^word word .*… \(4,999 characters\)$/);
  assert.equal(shortenMessage(words).length, 2000 + '… (4,999 characters)'.length);
  const short = 'Value out of range: 12. "dim" is a uint32.';
  assert.equal(shortenMessage(short), short);
  const capped = capDiagnostics([{ ...at(0), message: `Value out of range: ${'9'.repeat(5000)}.` }], 0);
  assert.equal(capped[0].message, `Value out of range: ${'9'.repeat(100)}… (5,001 characters)`);
});

test('the list cuts a message exactly where shortenMessage does, whatever the white space', () => {
  const word = (n: number) => 'w'.repeat(n);
  const messages = [
    `layer type "${word(100)}" is unknown, and so is "${word(100)}"`,
    `layer type "${word(99)}" is unknown`,
    `a${word(100)}`,
    // Separated by a no-break space and a line separator (white space to \s), then by a
    // zero-width space (not white space: one word of 201 characters).
    `${word(100)}\u00a0${word(100)}\u2028${word(50)}`,
    `${word(100)}\u200b${word(100)}`,
    `tab\t${word(101)}\nnext line`,
    word(3000),
  ];
  for (const message of messages) {
    const [d] = capDiagnostics([{ ...at(0), message }], 0);
    assert.equal(d.message, shortenMessage(message), JSON.stringify(message.slice(0, 20)));
  }
  assert.notEqual(shortenMessage(messages[2]), messages[2]);
  assert.equal(shortenMessage(messages[3]), messages[3]);
  assert.notEqual(shortenMessage(messages[4]), messages[4]);
});

test('the list cuts any message of words and white space where shortenMessage does', () => {
  const separator = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u2028', '\u200b', '', 'x');
  const piece = fc.tuple(fc.integer({ min: 0, max: 160 }), separator).map(([n, s]) => 'w'.repeat(n) + s);
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const message = pieces.join('');
      const [d] = capDiagnostics([{ ...at(0), message }], 0);
      assert.equal(d.message, shortenMessage(message));
    }),
    { numRuns: 500 },
  );
});
