// A run's result as one static HTML page (the VS Code client's results view): the header, a table per
// blob group, timings, the gradient check, the error with its raising location, and the captured
// output. Every string from the layer, the user or the file system is escaped; the only script (by
// nonce) turns a click on a location into a message to the editor. Editor-neutral and pure.

import { describeWorst, formatDims, formatNumber, heading, runFailed, type RunLabel } from './report';
import type { BlobStats, GradCheckEntry, RunResult, Timings, TraceFrame } from './types';
import { escapeMarkup, webviewPage } from '../markup';

/** What the page posts to the editor. `frame` -1 is the error's raising location, else a traceback index. */
export type RunPageMessage = { type: 'open'; frame: number } | { type: 'report' };

export interface RunPageOptions {
  /** The panel's title, e.g. `Layer run: scale`. */
  title: string;
  /** A fresh random value per render; allows the page's one style element and one script. */
  nonce: string;
  /** How the bottoms were filled, in a few words (`describeFills`). */
  fill?: string;
  /** `run` or `gradient check`, and when. */
  kind?: string;
}

/** No source but the page's own nonce'd style and script. */
export function runPageCsp(nonce: string): string {
  return [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`].join('; ');
}

const METHODS: (keyof Timings)[] = ['setup', 'reshape', 'forward', 'backward', 'gradcheck'];

/** The verdict shown in the header. */
export function runVerdict(result: RunResult): { passed: boolean; text: string } {
  if (result.error) return { passed: false, text: `${result.error.type} in ${result.error.phase}` };
  if (result.gradcheck?.passed === false) return { passed: false, text: 'gradient check failed' };
  if (runFailed(result)) return { passed: false, text: 'failed' };
  return { passed: true, text: result.gradcheck ? 'gradient check passed' : 'passed' };
}

export function runResultHtml(result: RunResult, label: RunLabel, options: RunPageOptions): string {
  const body = [
    header(result, label, options),
    blobSection('Tops', result.tops, (i) => label.topNames?.[i] ?? `top[${i}]`),
    blobSection('Bottoms', result.bottoms, (i) => label.bottomNames?.[i] ?? `bottom[${i}]`),
    timingsSection(result.timings),
    blobSection('Bottom diffs', result.bottomDiffs, (i) => label.bottomNames?.[i] ?? `bottom[${i}]`),
    blobSection('Params', result.params, (i) => `param[${i}]`),
    blobSection('Param diffs', result.paramDiffs, (i) => `param[${i}]`),
    gradcheckSection(result, label),
    errorSection(result),
    outputSection(result),
  ].join('\n');
  return webviewPage({
    title: options.title,
    csp: runPageCsp(options.nonce),
    nonce: options.nonce,
    style: STYLE,
    script: SCRIPT,
    body,
  });
}

function header(result: RunResult, label: RunLabel, options: RunPageOptions): string {
  const verdict = runVerdict(result);
  const versions = [
    result.pythonVersion && `Python ${result.pythonVersion}`,
    result.numpyVersion && `numpy ${result.numpyVersion}`,
  ].filter(Boolean);
  const rows: [string, string][] = [
    ['Layer', label.layerName ?? '(run with defaults)'],
    ['Class', `${label.module}.${label.layerClass}`],
    ...(result.moduleFile ? [['Module file', result.moduleFile] as [string, string]] : []),
    ['Phase', label.phase ?? 'TRAIN'],
    ['Interpreter', `${result.interpreter}${versions.length ? ` (${versions.join(', ')})` : ''}`],
    [
      'caffe',
      result.usedPycaffe
        ? 'pycaffe (through caffe.Net)'
        : `bundled stand-in${result.pycaffeProblem ? ` — pycaffe not used: ${result.pycaffeProblem}` : ''}`,
    ],
    ...(options.fill ? [['Bottom data', options.fill] as [string, string]] : []),
    ...(result.notes ?? []).map((note): [string, string] => ['Note', note]),
  ];
  return `<header>
<h1>${escapeMarkup(heading(label))} <span class="verdict ${verdict.passed ? 'pass' : 'fail'}">${escapeMarkup(
    verdict.passed ? `✓ ${verdict.text}` : `✗ ${verdict.text}`,
  )}</span></h1>
${options.kind ? `<p class="kind">${escapeMarkup(options.kind)}</p>` : ''}
<dl>${rows.map(([k, v]) => `<dt>${escapeMarkup(k)}</dt><dd>${escapeMarkup(v)}</dd>`).join('')}</dl>
<p><a href="#" class="report">Text report in the output channel</a></p>
</header>`;
}

function countCell(n: number, what: string): string {
  return n > 0 ? `<td class="num bad" title="${n} ${what} value(s)">${n}</td>` : `<td class="num">0</td>`;
}

function blobRow(name: string, s: BlobStats | null): string {
  if (!s)
    return `<tr><th scope="row">${escapeMarkup(name)}</th><td colspan="8" class="muted">no propagate_down</td></tr>`;
  const bad = s.nan > 0 || s.inf > 0 ? ' class="bad-row"' : '';
  return (
    `<tr${bad}><th scope="row">${escapeMarkup(name)}</th><td>${escapeMarkup(formatDims(s.shape))}</td>` +
    `<td>${escapeMarkup(s.dtype)}</td>` +
    [s.min, s.max, s.mean, s.std]
      .map((v) => `<td class="num">${escapeMarkup(formatNumber(v))}</td>`)
      .join('') +
    countCell(s.nan, 'NaN') +
    countCell(s.inf, 'infinite') +
    '</tr>'
  );
}

function blobSection(
  title: string,
  blobs: readonly (BlobStats | null)[],
  name: (i: number) => string,
): string {
  if (blobs.length === 0) return '';
  return `<section>
<h2>${escapeMarkup(title)}</h2>
<table>
<thead><tr><th>blob</th><th>shape</th><th>dtype</th><th>min</th><th>max</th><th>mean</th><th>std</th><th>NaN</th><th>Inf</th></tr></thead>
<tbody>${blobs.map((b, i) => blobRow(name(i), b)).join('\n')}</tbody>
</table>
</section>`;
}

function formatMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toPrecision(3))} ms`;
}

function timingsSection(t: Timings): string {
  const methods = METHODS.filter((m) => t[m] !== undefined);
  if (methods.length === 0) return '';
  return `<section>
<h2>Timings</h2>
<table class="narrow">
<thead><tr><th>method</th><th>time</th></tr></thead>
<tbody>${methods.map((m) => `<tr><th scope="row">${m}</th><td class="num">${formatMs(t[m] ?? 0)}</td></tr>`).join('')}</tbody>
</table>
</section>`;
}

function blobLabel(blob: string, label: RunLabel): string {
  const m = /^bottom\[(\d+)\]$/.exec(blob);
  const name = m ? label.bottomNames?.[Number(m[1])] : undefined;
  return name ? `${blob} (${name})` : blob;
}

function gradRow(c: GradCheckEntry, label: RunLabel): string {
  const cells = [
    escapeMarkup(formatDims(c.shape)),
    `${c.checked} / ${c.total}`,
    c.sampled ? 'yes' : 'no',
  ].map((v) => `<td>${v}</td>`);
  return (
    `<tr${c.passed ? '' : ' class="bad-row"'}><th scope="row">${escapeMarkup(blobLabel(c.blob, label))}</th>` +
    cells.join('') +
    (c.failures > 0 ? `<td class="num bad">${c.failures}</td>` : `<td class="num">0</td>`) +
    `<td class="num">${escapeMarkup(formatNumber(c.maxError))}</td>` +
    `<td>${c.at ? escapeMarkup(`[${c.at.join(', ')}]`) : '-'}</td>` +
    `<td class="num">${escapeMarkup(formatNumber(c.analytic))}</td>` +
    `<td class="num">${escapeMarkup(formatNumber(c.numeric))}</td>` +
    `<td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'ok' : 'FAILED'}</td></tr>`
  );
}

function gradcheckSection(result: RunResult, label: RunLabel): string {
  const g = result.gradcheck;
  if (!g) return '';
  const worst = g.checks
    .filter((c) => typeof c.maxError === 'number')
    .sort((a, b) => (b.maxError ?? 0) - (a.maxError ?? 0))[0];
  return `<section>
<h2>Gradient check <span class="verdict ${g.passed ? 'pass' : 'fail'}">${g.passed ? 'passed' : 'FAILED'}</span></h2>
<p>Central differences, step ${escapeMarkup(String(g.step))}, relative threshold ${escapeMarkup(String(g.threshold))}, seed ${escapeMarkup(String(g.seed))}, objective ${escapeMarkup(g.objective)}.</p>
${worst ? `<p>Largest error: ${escapeMarkup(describeWorst(worst, label))}</p>` : ''}
<table>
<thead><tr><th>blob</th><th>shape</th><th>checked / total</th><th>sampled</th><th>failures</th><th>max error</th><th>at</th><th>analytic</th><th>numeric</th><th></th></tr></thead>
<tbody>${g.checks.map((c) => gradRow(c, label)).join('\n')}</tbody>
</table>
${g.note ? `<p class="muted">${escapeMarkup(g.note)}</p>` : ''}
</section>`;
}

function locationLink(frame: TraceFrame, index: number): string {
  const text = `${frame.file}:${frame.line}${frame.column !== undefined ? `:${frame.column + 1}` : ''}`;
  return `<a href="#" class="loc" data-frame="${index}" title="Open ${escapeMarkup(text)}">${escapeMarkup(text)}</a>`;
}

function errorSection(result: RunResult): string {
  const e = result.error;
  if (!e) return '';
  const frames = e.traceback.map(
    (f, i) => `<li>${locationLink(f, i)} <span class="muted">in ${escapeMarkup(f.function)}</span></li>`,
  );
  return `<section class="error">
<h2>Error</h2>
<p><strong>${escapeMarkup(e.type)}</strong> in <em>${escapeMarkup(e.phase)}</em></p>
<pre class="message">${escapeMarkup(e.message)}</pre>
${e.location ? `<p>Raised at ${locationLink(e.location, -1)} in ${escapeMarkup(e.location.function)}</p>` : ''}
${frames.length ? `<details><summary>Traceback (${frames.length} frame${frames.length === 1 ? '' : 's'})</summary><ol>${frames.join('')}</ol></details>` : ''}
</section>`;
}

function outputSection(result: RunResult): string {
  const output = result.output.replace(/\s+$/, '');
  if (!output) return '<section><h2>Output</h2><p class="muted">The layer wrote nothing.</p></section>';
  const lines = output.split('\n').length;
  return `<section>
<details${result.error ? ' open' : ''}><summary>Output of the layer (${lines} line${lines === 1 ? '' : 's'})</summary>
<pre class="output">${escapeMarkup(output)}</pre>
</details>
</section>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1rem 1rem; }
h1 { font-size: 1.25em; margin: .8em 0 .3em; }
h2 { font-size: 1.05em; margin: 1.2em 0 .4em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; }
dl { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; margin: .4em 0; }
dt { color: var(--vscode-descriptionForeground); }
dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; margin: .3em 0; }
th, td { text-align: left; padding: .15em .7em .15em 0; border-bottom: 1px solid var(--vscode-editorWidget-border, transparent); }
thead th { color: var(--vscode-descriptionForeground); font-weight: normal; }
td { white-space: nowrap; }
td.num { text-align: right; font-family: var(--vscode-editor-font-family); }
.bad { color: var(--vscode-errorForeground); font-weight: bold; }
tr.bad-row { background: var(--vscode-inputValidation-errorBackground, transparent); }
.verdict { font-size: .85em; padding: .05em .5em; border-radius: 3px; margin-left: .4em; }
.pass { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
.fail { color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground)); font-weight: bold; }
.muted, .kind { color: var(--vscode-descriptionForeground); }
a { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
pre { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: .5em; white-space: pre-wrap; word-break: break-word; }
.error pre.message { color: var(--vscode-errorForeground); }
summary { cursor: pointer; }
`;

// Posts which location was clicked (an index, never a path the page could forge) or asks for the report.
const SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (event) {
    const a = event.target instanceof Element ? event.target.closest('a') : null;
    if (!a) return;
    event.preventDefault();
    if (a.classList.contains('loc')) vscode.postMessage({ type: 'open', frame: Number(a.dataset.frame) });
    else if (a.classList.contains('report')) vscode.postMessage({ type: 'report' });
  });
})();
`;
