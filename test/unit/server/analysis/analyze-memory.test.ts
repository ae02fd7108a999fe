// An analysis made from the previous version's keeps nothing of the versions before that one: an
// editor analyses every keystroke's version from the one before, so anything that held on to the
// previous analysis would keep every version of the session alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { analyze, type Analysis } from '../../../../server/src/analysis/analyze';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../server/src/schema/bundled';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function net(version: number): string {
  const layers = ['name: "n"', 'input: "data"', 'input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }'];
  for (let i = 0; i < 20; i++) {
    const bottom = i === 0 ? 'data' : `c${i - 1}`;
    const outputs = i === 10 ? 4 + version : 4;
    layers.push(
      `layer { name: "c${i}" type: "Convolution" bottom: "${bottom}" top: "c${i}" convolution_param { num_output: ${outputs} kernel_size: 3 pad: 1 } }`,
    );
  }
  return layers.join('\n') + '\n';
}

for (const keepForNextVersion of [true, false]) {
  test(`versions analysed one from another are let go (${keepForNextVersion ? 'editor' : 'one version'})`, async () => {
    const schema = loadBundledSchema();
    const made = (text: string, previous?: Analysis) =>
      analyze(text, parse(text), {
        schema,
        schemaKind: 'bundled',
        ...(previous && keepForNextVersion ? { previous } : {}),
        keepForNextVersion,
      });
    let latest = made(net(0));
    const first = new WeakRef(latest);
    for (let v = 1; v <= 5; v++) {
      latest = made(net(v), latest);
      // Every part an editor reads, the resolved tree among them.
      assert.ok(latest.resolved.blocks.length > 20);
      assert.ok(latest.shapes.TRAIN);
    }
    // A weak reference holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(first.deref(), undefined, 'the first version is still kept');
    assert.equal(latest.diagnostics.length, 0);
  });
}
