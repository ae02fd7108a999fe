import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outermost, provideFoldingRanges } from '../../../../../server/src/features/folding/folding';
import { BASIC_CLIENT } from '../../../../../server/src/workspace/analyses';
import { featureInputFor } from '../../../../helpers/analyzed-document';

function folds(text: string): string[] {
  return provideFoldingRanges(featureInputFor(text)).map(
    (r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`,
  );
}

const NET = `# A small net
# with a header comment
name: "n"
layer {
  name: "conv"   # trailing
  convolution_param {
    num_output: 8
    kernel_size: 3 }
  param < lr_mult: 1 >
}
layer { name: "one-line" }
# lone comment
layer { name: "relu"
  bottom: ["a",
    "b"] }
`;

test('blocks, angle blocks and lists that span lines, and comment runs', () => {
  assert.deepEqual(folds(NET), ['0-1 comment', '3-8', '5-7', '12-14', '13-14']);
});

test('a closing bracket alone on its line stays visible; two-line blocks still fold when it does not', () => {
  assert.deepEqual(folds('a {\n  b: 1\n}\n'), ['0-1']);
  assert.deepEqual(folds('a {\n}\n'), []);
  assert.deepEqual(folds('a { b: 1\n  c: 2 }\n'), ['0-1']);
});

test('comment runs need whole-line comments on consecutive lines', () => {
  assert.deepEqual(folds('# a\n\n# b\nx: 1 # c\n# d\n'), []);
  assert.deepEqual(folds('  # a\n  # b\n  # c\nx: 1\n'), ['0-2 comment']);
});

test('CRLF gives the same lines', () => {
  assert.deepEqual(folds(NET.replace(/\n/g, '\r\n')), folds(NET));
});

test('an unclosed block folds to its last content, never past the end', () => {
  assert.deepEqual(folds('layer {\n  name: "a"\n  top: "b"\n'), ['0-2']);
  assert.deepEqual(folds('layer {\n'), []);
  for (const text of ['{{{', ']]]', 'a [\n1,\n', 'a <\n b { c: 1\n']) {
    for (const r of provideFoldingRanges(featureInputFor(text))) assert.ok(r.endLine > r.startLine, text);
  }
});

test('the folding ranges of a version are made once', () => {
  const input = featureInputFor(NET);
  assert.equal(provideFoldingRanges(input), provideFoldingRanges(input));
});

test('a client that keeps at most N ranges gets whole outer levels first, then the next level in order', () => {
  const limited = (limit: number) =>
    provideFoldingRanges(featureInputFor(NET, { client: { ...BASIC_CLIENT, foldingRangeLimit: limit } })).map(
      (r) => `${r.startLine}-${r.endLine}`,
    );
  // Levels: 0-1, 3-8, 12-14 outermost; 5-7 and 13-14 inside them.
  assert.deepEqual(limited(5), ['0-1', '3-8', '5-7', '12-14', '13-14']);
  assert.deepEqual(limited(4), ['0-1', '3-8', '5-7', '12-14']);
  assert.deepEqual(limited(3), ['0-1', '3-8', '12-14']);
  assert.deepEqual(limited(2), ['0-1', '3-8']);
});

test('the outermost ranges of nested and sibling ranges, siblings sharing a line included', () => {
  const r = (startLine: number, endLine: number) => ({ startLine, endLine });
  const ranges = [r(0, 9), r(1, 3), r(2, 3), r(3, 5), r(10, 12), r(11, 12)];
  assert.deepEqual(outermost(ranges, 2), [r(0, 9), r(10, 12)]);
  assert.deepEqual(outermost(ranges, 4), [r(0, 9), r(1, 3), r(3, 5), r(10, 12)]);
  assert.deepEqual(outermost(ranges, 5), [r(0, 9), r(1, 3), r(3, 5), r(10, 12), r(11, 12)]);
  assert.deepEqual(outermost(ranges, 1), [r(0, 9)]);
});
