import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutGraph } from '../../../../server/src/features/graph/layout';
import { renderSvg, totalsCaption } from '../../../../common/graph/svg';
import { escapeMarkup } from '../../../../common/markup';
import { CONV_BLOCK, graphOf } from '../../server/features/graph/graph-fixtures';

/** A small XML well-formedness check: balanced tags, quoted attributes, only known entities. */
function checkXml(xml: string): { elements: number; names: Map<string, number> } {
  const stack: string[] = [];
  const names = new Map<string, number>();
  let elements = 0;
  const token =
    /<!--[\s\S]*?-->|<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#39);)/g;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    if (m[0].startsWith('<!--')) continue;
    if (m[1]) {
      assert.equal(stack.pop(), m[1], `closing </${m[1]}> at ${m.index}`);
    } else if (m[2]) {
      elements++;
      names.set(m[2], (names.get(m[2]) ?? 0) + 1);
      for (const a of m[3].matchAll(/&(?!(?:amp|lt|gt|quot|apos|#39);)/g))
        assert.fail(`raw & in attribute ${a}`);
      if (!m[4]) stack.push(m[2]);
    } else {
      assert.fail(`stray ${m[0]} at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    }
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  return { elements, names };
}

test('the SVG is well-formed with one group per node and one polyline per edge', async () => {
  const laid = await layoutGraph(graphOf(CONV_BLOCK));
  const svg = renderSvg(laid, { background: true, caption: totalsCaption(laid, 'block') });
  const { names } = checkXml(svg);
  assert.equal(names.get('svg'), 1);
  assert.equal(names.get('polyline'), laid.edges.length);
  assert.equal((svg.match(/<g class="node /g) ?? []).length, laid.nodes.length);
  assert.match(svg, /data-name="conv1"/);
  assert.match(svg, />\+ BatchNorm, Scale, ReLU</);
  assert.match(svg, />1×8×32×32</);
  // Data memory as Caffe counts it: the input, four 8×32×32 writes of conv1 (in place) and pool1.
  assert.match(svg, /block · TEST · 232 params · [\d,.]+[KM]? MACs · 148\.0 KiB data/);
  assert.doesNotMatch(svg, / style="/, 'no inline styles (the webview CSP forbids them)');
});

test('user text is escaped everywhere: names, blobs, types, python classes', async () => {
  const evil = `a<b>&"c'`;
  const text = `layer { name: ${JSON.stringify(evil)} type: "Python" top: "x<y" python_param { module: "m&n" layer: "<L>" } }
layer { name: "t" type: "<script>" bottom: "x<y" top: "t" }
`;
  const laid = await layoutGraph(graphOf(text));
  const svg = renderSvg(laid);
  checkXml(svg);
  assert.ok(!svg.includes(evil));
  assert.ok(!svg.includes('<script>'));
  assert.ok(svg.includes('a&lt;b&gt;&amp;&quot;c&#39;'));
  assert.ok(svg.includes('m&amp;n.&lt;L&gt;'));
  assert.match(svg, /class="node family-python kind-layer python"/);
  assert.match(svg, /class="python-badge"/);
  assert.match(svg, /unknown-type/);
});

test('escapeMarkup replaces characters XML cannot hold and keeps surrogate pairs', () => {
  assert.equal(escapeMarkup('a\u0001b\ud83d\ude00c\ud800'), 'a\ufffdb\ud83d\ude00c\ufffd');
  assert.equal(escapeMarkup(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});

test('the caption says "?" for a count no layer tells, and when nothing is known, that it is unknown', async () => {
  const python = `layer { name: "in" type: "Python" top: "data" python_param { module: "m" layer: "L" } }
layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "r" type: "ReLU" bottom: "c" top: "r" }
`;
  const unknown = await layoutGraph(graphOf(python));
  assert.equal(
    totalsCaption(unknown, 'train.prototxt'),
    'train.prototxt · TEST · params unknown: 3 layers without shapes',
  );
  // The CLI's SVG carries the same caption.
  assert.match(
    renderSvg(unknown, { caption: totalsCaption(unknown) }),
    />TEST · params unknown: 3 layers without shapes</,
  );
  // LeNet-like: a data layer that says only its batch. conv2's weights are known (it reads conv1's 20
  // channels), no MACs are.
  const lenet = `layer { name: "d" type: "Data" top: "data" top: "label" data_param { batch_size: 64 } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 20 kernel_size: 5 } }
layer { name: "conv2" type: "Convolution" bottom: "conv1" top: "conv2" convolution_param { num_output: 50 kernel_size: 5 } }
`;
  const partial = await layoutGraph(graphOf(lenet));
  assert.equal(totalsCaption(partial), 'TEST · 25K params · ? MACs · 2 layers not counted');
  assert.deepEqual(
    partial.nodes.map((n) => n.tops.map((t) => t.shape)),
    [['64×?×?×?', '64'], ['64×20×?×?'], ['64×50×?×?']],
  );
  // Everything known: the sums only.
  assert.equal(
    totalsCaption(await layoutGraph(graphOf(CONV_BLOCK))),
    'TEST · 232 params · 229K MACs · 148.0 KiB data',
  );
});
