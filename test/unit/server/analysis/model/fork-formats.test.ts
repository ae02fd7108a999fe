// Which bundled forks can read a document as written: DeepLab v1's and DeconvNet's Caffe read only
// nets of layers { } (V1, and V0's layers { layer { } }): no candidates for a net of layer { }.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forksReading } from '../../../../../server/src/analysis/model/fork-formats';
import { parse } from '../../../../../server/src/parser/parse';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';

const forks = bundledForkSchemas();

function names(text: string): string[] {
  return forksReading(parse(text), forks).map((f) => f.name);
}

test('a fork from before layer { } is left out for nets, and solvers, written with layer { }', () => {
  const all = forks.map((f) => f.name);
  assert.ok(all.includes('deeplab') && all.includes('deconvnet'));
  const modern = all.filter((n) => n !== 'deeplab' && n !== 'deconvnet');
  assert.deepEqual(names('layer { name: "a" type: "ReLU" }\n'), modern);
  assert.deepEqual(names('base_lr: 0.1\nnet_param { layer { name: "a" type: "ReLU" } }\n'), modern);
  // Read as it is: V1, V0, a solver of V1 nets, a solver naming its net's file, a label map.
  for (const text of [
    'layers { name: "a" type: RELU }\n',
    'layers { layer { name: "a" type: "relu" } bottom: "x" top: "y" }\n',
    'base_lr: 0.1\ntrain_net_param { layers { name: "a" type: RELU } }\n',
    'net: "train_val.prototxt"\nbase_lr: 0.1\n',
    'item { name: "cat" label: 1 }\n',
  ])
    assert.deepEqual(names(text), all, text);
  // The same array when nothing is left out.
  const kept = forksReading(parse('layers { name: "a" type: RELU }\n'), forks);
  assert.equal(kept, forks);
});
