import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectionRange } from 'vscode-languageserver';
import { provideSelectionRanges } from '../../../../../server/src/features/selection-ranges/selection-ranges';
import { featureInputAt } from '../../../../helpers/analyzed-document';

const uri = 'file:///work/test/net.prototxt';

/** The texts of the selection chain at the cursor, innermost first. */
function chain(marked: string): string[] {
  const { input, position } = featureInputAt(marked);
  const [range] = provideSelectionRanges(input, { textDocument: { uri }, positions: [position] });
  const out: string[] = [];
  for (let r: SelectionRange | undefined = range; r; r = r.parent) {
    const start = input.doc.lines.offsetAt(r.range.start);
    const end = input.doc.lines.offsetAt(r.range.end);
    out.push(input.doc.text.slice(start, end));
  }
  return out;
}

const NET = `name: "n"
layer {
  name: "conv"
  convolution_param { num_output: 8 kernel_size: [3, 5] }
}
`;

test('from a string value out to the document', () => {
  assert.deepEqual(chain(NET.replace('"conv"', '"co<|>nv"')), [
    'conv',
    '"conv"',
    'name: "conv"',
    'name: "conv"\n  convolution_param { num_output: 8 kernel_size: [3, 5] }',
    '{\n  name: "conv"\n  convolution_param { num_output: 8 kernel_size: [3, 5] }\n}',
    'layer {\n  name: "conv"\n  convolution_param { num_output: 8 kernel_size: [3, 5] }\n}',
    NET,
  ]);
});

test('a field name, a list item and nested blocks', () => {
  const fromName = chain(NET.replace('num_output', 'num_<|>output'));
  assert.deepEqual(fromName.slice(0, 4), [
    'num_output',
    'num_output: 8',
    'num_output: 8 kernel_size: [3, 5]',
    '{ num_output: 8 kernel_size: [3, 5] }',
  ]);
  assert.deepEqual(chain(NET.replace('[3, 5]', '[3, <|>5]')).slice(0, 3), [
    '5',
    '[3, 5]',
    'kernel_size: [3, 5]',
  ]);
});

test('every range strictly contains the one before it, wherever the cursor is', () => {
  const text = NET + '# comment\nlayer { name: "x" top: \'y\' } bad {\n';
  for (let offset = 0; offset <= text.length; offset++) {
    const marked = text.slice(0, offset) + '<|>' + text.slice(offset);
    const list = chain(marked);
    assert.equal(list[list.length - 1], text);
    for (let i = 1; i < list.length; i++) {
      assert.ok(
        list[i].length > list[i - 1].length && list[i].includes(list[i - 1]),
        `${offset}: ${JSON.stringify(list)}`,
      );
    }
  }
});

test('comments, CRLF and several positions at once', () => {
  const text = 'a: 1 # note\r\nb { c: "d" }\r\n';
  assert.deepEqual(chain(text.replace('note', 'no<|>te')), ['# note', text]);
  const { input } = featureInputAt(text.replace('"d"', '"<|>d"'));
  const ranges = provideSelectionRanges(input, {
    textDocument: { uri },
    positions: [
      { line: 1, character: 8 },
      { line: 0, character: 0 },
    ],
  });
  assert.equal(ranges.length, 2);
  assert.deepEqual(ranges[0].range, { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
  assert.deepEqual(ranges[1].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
});
