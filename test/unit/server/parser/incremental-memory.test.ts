// Edits all over a large document keep the memory of one version: the blocks re-parsed after an edit
// are read from a string of their own, so the nodes the next versions reuse do not hold on to the
// whole text of the version they were parsed in (a slice of a string keeps all of it alive in V8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DocumentStore } from '../../../../server/src/documents';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function net(layers: number): string {
  const out: string[] = ['name: "wide"', 'input: "data"', 'input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }'];
  for (let i = 0; i < layers; i++) {
    const bottom = i === 0 ? 'data' : `convolution_layer_${i - 1}`;
    out.push(
      `layer {\n  name: "convolution_layer_${i}"\n  type: "Convolution"\n  bottom: "${bottom}"\n` +
        `  top: "convolution_layer_${i}"\n  convolution_param { num_output: 8 kernel_size: 3 pad: 1 }\n}`,
    );
  }
  return out.join('\n') + '\n';
}

test('one-character edits at 300 different layers of a 1 MB net do not keep old versions alive', () => {
  const text = net(6000);
  assert.ok(text.length > 1_000_000);
  const documents = new DocumentStore();
  const uri = 'file:///memory/net.prototxt';
  let doc = documents.open(uri, 'prototxt', 1, text);
  assert.equal(doc.ast.errors.length, 0);
  const spots = [...text.matchAll(/name: "convolution_layer_/g)].map((m) => m.index + m[0].length);
  const heapAfter = (edits: number, from: number) => {
    for (let i = from; i < from + edits; i++) {
      const at = doc.lines.positionAt(spots[(Math.floor(i / 2) * 19) % spots.length]);
      const insert = i % 2 === 0;
      const end = insert ? at : { line: at.line, character: at.character + 1 };
      doc = documents.change(uri, doc.version + 1, [{ range: { start: at, end }, text: insert ? 'x' : '' }])!;
      assert.equal(doc.ast.errors.length, 0);
    }
    gc();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  const warm = heapAfter(100, 0);
  const later = heapAfter(300, 100);
  // Each text kept alive would be 2 MB (UTF-16): 150 of them would add 300 MB.
  assert.ok(later - warm < 40, `heap grew from ${warm.toFixed(0)} to ${later.toFixed(0)} MB`);
});
