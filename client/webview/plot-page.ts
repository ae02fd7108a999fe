// The HTML of the plot webview (schedule and training log): no inline script or style, the script and
// stylesheet from the extension's dist folder, and a content security policy that allows only those.

import { webviewPage } from '../../common/markup';

export interface PlotPageOptions {
  title: string;
  /** URIs of dist/webview/plot.js and plot.css as the webview sees them. */
  scriptUri: string;
  styleUri: string;
  cspSource: string;
  nonce: string;
}

export function plotPageHtml(o: PlotPageOptions): string {
  return webviewPage({
    title: o.title,
    csp: [
      `default-src 'none'`,
      `script-src 'nonce-${o.nonce}'`,
      `style-src ${o.cspSource}`,
      `img-src data: ${o.cspSource}`,
    ].join('; '),
    nonce: o.nonce,
    styleUris: [o.styleUri],
    scriptUris: [o.scriptUri],
    body: `<header class="heading">
  <h1 id="title"></h1>
  <p id="description" class="description"></p>
  <p id="note" class="note" hidden></p>
  <p id="controls" class="controls" hidden>
    <label for="run" id="run-label" hidden>Run</label>
    <select id="run" hidden></select>
    <label for="smoothing">Smoothing</label>
    <input id="smoothing" type="range" min="0" max="0.99" step="0.01" value="0">
    <output id="smoothing-value" for="smoothing">0</output>
  </p>
</header>
<main id="plot" class="plot" aria-label="Plot: move the pointer over it to read values"><p class="empty">Loading…</p></main>
<div id="readout" class="readout" role="status" hidden></div>`,
  });
}
