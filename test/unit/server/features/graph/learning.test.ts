// What the graph says about learning: each node's lr_mults (folded layers included, BatchNorm's
// statistics left out), frozen nodes marked with a class, a badge and their tooltip, and fills by rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg } from '../../../../../common/graph/svg';
import { graphOfText } from '../../../../../server/src/features/graph/graph';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';

const NET = `name: "n"
layer { name: "data" type: "Input" top: "x" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv1" type: "Convolution" bottom: "x" top: "c1"
  param { lr_mult: 0 decay_mult: 0 } param { lr_mult: 0 decay_mult: 0 }
  convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "bn1" type: "BatchNorm" bottom: "c1" top: "c1" }
layer { name: "scale1" type: "Scale" bottom: "c1" top: "c1" param { lr_mult: 0 } param { lr_mult: 0 }
  scale_param { bias_term: true } }
layer { name: "relu1" type: "ReLU" bottom: "c1" top: "c1" }
layer { name: "conv2" type: "Convolution" bottom: "c1" top: "c2" param { lr_mult: 1 } param { lr_mult: 2 }
  convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "fc" type: "InnerProduct" bottom: "c2" top: "fc" param { lr_mult: 10 } param { lr_mult: 20 }
  inner_product_param { num_output: 2 } }
`;

test('nodes carry the lr_mult of their learnable blobs; a node whose all are 0 is frozen', async () => {
  const graph = await graphOfText(NET, 'TEST', loadBundledSchema());
  const learning = Object.fromEntries(graph.nodes.map((n) => [n.name, n.learning]));
  // conv1 with its folded BatchNorm (not learnable), Scale and ReLU.
  assert.deepEqual(learning.conv1, { lrMults: [0, 0, 0, 0], frozen: true });
  assert.deepEqual(learning.conv2, { lrMults: [1, 2], frozen: false });
  assert.deepEqual(learning.fc, { lrMults: [10, 20], frozen: false });
  assert.equal(learning.data, undefined);

  const svg = renderSvg(graph);
  const frozen = [
    ...svg.matchAll(/<g class="([^"]*\bfrozen\b[^"]*)" data-id="[^"]*" data-name="([^"]*)"/g),
  ].map((m) => m[2]);
  assert.deepEqual(frozen, ['conv1']);
  assert.equal((svg.match(/class="frozen-badge"/g) ?? []).length, 1);
  assert.match(svg, /frozen: every lr_mult is 0/);
  assert.match(svg, /lr_mult 10, 20/);
});

test('coloured by rate: grey when frozen, white without parameters, darker for faster layers', async () => {
  const graph = await graphOfText(NET, 'TEST', loadBundledSchema());
  const svg = renderSvg(graph, { colourBy: 'rate' });
  const fill = (name: string) =>
    new RegExp(
      `data-name="${name}"[^>]*>(?:<title>[^<]*</title>)?<rect class="box"[^>]* fill="(#[0-9a-f]{6})"`,
    ).exec(svg)?.[1];
  assert.equal(fill('conv1'), '#e0e3e7');
  assert.equal(fill('data'), '#ffffff');
  assert.equal(fill('fc'), '#7fb4ec');
  const lightness = (hex: string | undefined) => parseInt((hex ?? '#000000').slice(1, 3), 16);
  assert.ok(lightness(fill('conv2')) > lightness(fill('fc')), `${fill('conv2')} lighter than ${fill('fc')}`);
  // By family, as before.
  assert.notEqual(
    /data-name="fc"[^>]*>(?:<title>[^<]*<\/title>)?<rect class="box"[^>]* fill="(#[0-9a-f]{6})"/.exec(
      renderSvg(graph),
    )?.[1],
    '#7fb4ec',
  );
});
