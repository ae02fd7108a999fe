// The `# input-shape:` comment line in the editor: inlay hints follow the shape it states, editing the
// comment changes them, and the data layer's hover says where its shape came from and its top memory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InlayHint, MarkupContent } from 'vscode-languageserver';
import { provideHover } from '../../../../../server/src/features/hover/hover';
import { provideInlayHints } from '../../../../../server/src/features/inlay-hints/inlay-hints';
import { featureInputAt, featureInputFor } from '../../../../helpers/analyzed-document';

const NET = (comment: string) => `${comment}
layer { name: "data" type: "Data" top: "data" data_param { source: "db" batch_size: 8 } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 3 } }
`;

function labelAfter(text: string, top: string): string | undefined {
  const input = featureInputFor(text);
  const range = { start: { line: 0, character: 0 }, end: input.doc.lines.positionAt(text.length) };
  const hints: InlayHint[] = provideInlayHints(input, { textDocument: { uri: input.doc.uri }, range });
  const at = text.indexOf(`top: "${top}"`) + `top: "${top}"`.length;
  const hint = hints.find((h) => input.doc.lines.offsetAt(h.position) === at);
  return typeof hint?.label === 'string' ? hint.label : hint?.label.map((p) => p.value).join('');
}

test('inlay hints use the shape a # input-shape: comment states', () => {
  // Without it, only the batch and num_output are known.
  assert.equal(labelAfter(NET('# a net'), 'conv'), '8×4×?×?');
  assert.match(labelAfter(NET('# input-shape: data=8,3,32,32'), 'conv') ?? '', /8×4×30×30/);
  assert.match(labelAfter(NET('# input-shape: data=8,1,10,10'), 'conv') ?? '', /8×4×8×8/);
});

test("the data layer's hover names the comment as the source of its shape, with the top memory", () => {
  const marked = NET('# input-shape: data=8,3,32,32').replace('name: "data"', 'name: "da<|>ta"');
  const { input, position } = featureInputAt(marked);
  const hover = provideHover(input, { textDocument: { uri: input.doc.uri }, position });
  const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
  assert.match(value, /data from # input-shape: comment/);
  assert.match(value, /top memory 96\.0 KiB/);
});
