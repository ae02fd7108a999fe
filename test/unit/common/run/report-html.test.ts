import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkup } from '../../../../common/markup';
import { runPageCsp, runResultHtml, runVerdict } from '../../../../common/run/report-html';
import type { RunResult } from '../../../../common/run/types';
import { blobStats, failedGradcheck } from './results';

const stats = blobStats;

const base: RunResult = {
  ok: true,
  interpreter: '/usr/bin/python3',
  pythonVersion: '3.11.2',
  numpyVersion: '1.24.2',
  usedPycaffe: false,
  pycaffeProblem: 'No module named caffe',
  tops: [stats([2, 3, 32, 32])],
  bottoms: [stats([2, 3, 32, 32])],
  bottomDiffs: [null],
  params: [stats([3])],
  paramDiffs: [stats([3])],
  timings: { setup: 1.5, reshape: 0.01234, forward: 250.4, backward: 2 },
  output: '',
  exitCode: 0,
  signal: null,
};
const label = {
  layerName: 'scale',
  module: 'm',
  layerClass: 'L',
  phase: 'TEST',
  bottomNames: ['x'],
  topNames: ['y'],
};
const page = (r: RunResult, fill?: string): string =>
  runResultHtml(r, label, { title: 'Layer run: scale', nonce: 'N0nce', fill });

/** The text of the body with the tags dropped, for reading rows. */
const rows = (html: string): string[] =>
  [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((m) => m[1].replace(/<[^>]+>/g, '|').replace(/\|+/g, '|'));

test('header, blob tables with shapes as 2×3×32×32, timings, no script or style without the nonce', () => {
  const html = page(base, 'zeros');
  assert.match(html, /<title>Layer run: scale<\/title>/);
  assert.match(html, /layer &quot;scale&quot; \(m\.L\), phase TEST/);
  assert.match(
    html,
    /<dt>Interpreter<\/dt><dd>\/usr\/bin\/python3 \(Python 3\.11\.2, numpy 1\.24\.2\)<\/dd>/,
  );
  assert.match(html, /<dd>bundled stand-in — pycaffe not used: No module named caffe<\/dd>/);
  assert.match(html, /<dt>Bottom data<\/dt><dd>zeros<\/dd>/);
  assert.match(html, /class="verdict pass">✓ passed</);
  const r = rows(html);
  assert.ok(r.includes('|y|2×3×32×32|float32|-1|2|0.5|0.25|0|0|'), r.join('\n'));
  assert.ok(r.includes('|x|no propagate_down|'), r.join('\n'));
  assert.ok(r.includes('|param[0]|3|float32|-1|2|0.5|0.25|0|0|'));
  assert.ok(r.includes('|forward|250 ms|') && r.includes('|reshape|0.0123 ms|'), r.join('\n'));
  for (const h of ['Tops', 'Bottoms', 'Timings', 'Bottom diffs', 'Params', 'Param diffs'])
    assert.match(html, new RegExp(`<h2>${h}</h2>`));
  assert.doesNotMatch(html, /Gradient check|<h2>Error/);
  // Every <script> and <style> carries the nonce; the policy allows nothing else.
  assert.equal(runPageCsp('N0nce'), "default-src 'none'; style-src 'nonce-N0nce'; script-src 'nonce-N0nce'");
  assert.match(
    html,
    /content="default-src &#39;none&#39;; style-src &#39;nonce-N0nce&#39;; script-src &#39;nonce-N0nce&#39;"/,
  );
  for (const tag of html.matchAll(/<(script|style)\b[^>]*>/g)) assert.match(tag[0], /nonce="N0nce"/);
  assert.doesNotMatch(html, /\sstyle="|\son\w+="/);
});

test('NaN and Inf counts are highlighted only when non-zero', () => {
  const html = page({ ...base, tops: [stats([4], { nan: 3, inf: 0, min: null, max: null })] });
  assert.match(html, /<tr class="bad-row"><th scope="row">y<\/th>/);
  assert.match(html, /<td class="num bad" title="3 NaN value\(s\)">3<\/td><td class="num">0<\/td>/);
  assert.ok(rows(html).includes('|y|4|float32|-|-|0.5|0.25|3|0|'));
  assert.equal((page(base).match(/class="num bad"/g) ?? []).length, 0);
});

test('a failed gradient check: verdict, the worst element, the failing row', () => {
  const failed: RunResult = {
    ...base,
    gradcheck: failedGradcheck(
      { total: 800, checked: 500, sampled: true, failures: 7 },
      'sum of top * random diffs',
    ),
  };
  assert.deepEqual(runVerdict(failed), { passed: false, text: 'gradient check failed' });
  const html = page(failed);
  assert.match(html, /class="verdict fail">✗ gradient check failed</);
  assert.match(html, /<h2>Gradient check <span class="verdict fail">FAILED<\/span><\/h2>/);
  assert.match(html, /Largest error: bottom\[0\] \(x\) at \[1, 2\]: error 0\.5 \(analytic 1, numeric 2\)/);
  const r = rows(html);
  assert.ok(r.includes('|bottom[0] (x)|2×4|500 / 800|yes|7|0.5|[1, 2]|1|2|FAILED|'), r.join('\n'));
  assert.ok(r.includes('|param[0]|3|3 / 3|no|0|1.000e-5|-|-|-|ok|'), r.join('\n'));
  assert.match(html, /<tr class="bad-row"><th scope="row">bottom\[0\] \(x\)/);
  assert.deepEqual(runVerdict({ ...failed, gradcheck: { ...failed.gradcheck!, passed: true } }), {
    passed: true,
    text: 'gradient check passed',
  });
});

test('an error: type, phase, message, a link to the raising line and to each traceback frame', () => {
  const raised: RunResult = {
    ...base,
    ok: false,
    tops: [],
    error: {
      type: 'ValueError',
      message: 'bad value',
      phase: 'setup',
      traceback: [
        { file: '/h/run_layer.py', line: 10, function: 'main' },
        { file: '/w/layer.py', line: 7, function: 'setup' },
      ],
      location: { file: '/w/layer.py', line: 7, function: 'setup', column: 8 },
    },
    output: 'about to fail\n',
  };
  const html = page(raised);
  assert.match(html, /class="verdict fail">✗ ValueError in setup</);
  assert.match(html, /<strong>ValueError<\/strong> in <em>setup<\/em>/);
  assert.match(
    html,
    /Raised at <a href="#" class="loc" data-frame="-1" title="Open \/w\/layer\.py:7:9">\/w\/layer\.py:7:9<\/a> in setup/,
  );
  assert.match(html, /data-frame="0"[^>]*>\/h\/run_layer\.py:10<\/a>/);
  assert.match(html, /data-frame="1"[^>]*>\/w\/layer\.py:7<\/a>/);
  assert.match(
    html,
    /<details open><summary>Output of the layer \(1 line\)<\/summary>\n<pre class="output">about to fail<\/pre>/,
  );
  // The page posts indexes, never paths.
  assert.match(html, /postMessage\(\{ type: 'open', frame: Number\(a\.dataset\.frame\) \}\)/);
});

test('every string from the layer is escaped: messages, output, names, paths', () => {
  const evil = '<script>alert("x")</script>';
  const html = runResultHtml(
    {
      ...base,
      interpreter: `/tmp/${evil}/python`,
      error: {
        type: `Err${evil}`,
        message: `boom ${evil} & 'quotes'`,
        phase: 'forward',
        traceback: [{ file: `/w/"${evil}.py`, line: 3, function: evil }],
        location: { file: `/w/"${evil}.py`, line: 3, function: evil },
      },
      output: `printed ${evil}\n<img src=x onerror=alert(1)>`,
    },
    { ...label, layerName: evil, topNames: [evil], module: evil },
    { title: `Layer run: ${evil}`, nonce: 'N0nce', fill: evil },
  );
  // Only the page's own script element remains.
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.equal((html.match(/<img/g) ?? []).length, 0);
  assert.match(html, /boom &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;quotes&#39;/);
  assert.match(
    html,
    /printed &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;\n&lt;img src=x onerror=alert\(1\)&gt;/,
  );
  assert.match(html, /title="Open \/w\/&quot;&lt;script&gt;/);
  assert.equal(escapeMarkup(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
