// The HTML of the graph webview: no inline script or style, everything from the extension's dist
// folder, and a content security policy that allows only that script (by nonce) and stylesheet.

import { webviewPage } from '../../common/markup';

export interface GraphPageOptions {
  /** URI of dist/webview/graph.js as the webview sees it. */
  scriptUri: string;
  /** URI of dist/webview/graph.css. */
  styleUri: string;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
}

export function graphPageCsp(o: Pick<GraphPageOptions, 'cspSource' | 'nonce'>): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource}`,
    `img-src data: ${o.cspSource}`,
  ].join('; ');
}

export function graphPageHtml(o: GraphPageOptions): string {
  return webviewPage({
    title: 'Network graph',
    csp: graphPageCsp(o),
    nonce: o.nonce,
    styleUris: [o.styleUri],
    scriptUris: [o.scriptUri],
    body: `<header class="toolbar">
  <div class="phase" role="group" aria-label="Phase">
    <button type="button" data-phase="TRAIN" aria-pressed="false">TRAIN</button>
    <button type="button" data-phase="TEST" aria-pressed="true">TEST</button>
  </div>
  <div id="part" class="part" role="group" aria-label="Part of the net" hidden>
    <button type="button" id="part-previous" title="Show the layers before this part">Earlier</button>
    <button type="button" id="part-next" title="Show the layers after this part">Later</button>
    <button type="button" id="part-cursor" title="Show the part with the layer at the editor's cursor">Around cursor</button>
  </div>
  <button type="button" id="fit" title="Fit the whole net in the view">Fit</button>
  <button type="button" id="colour-by-rate" aria-pressed="false" title="Colour the layers by how fast they learn (lr_mult); frozen layers grey">Learning rate</button>
  <button type="button" id="export-svg">Export SVG</button>
  <button type="button" id="export-png">Export PNG</button>
  <span id="summary" class="summary"></span>
</header>
<div id="notes" class="notes" hidden></div>
<main id="viewport" class="viewport" tabindex="0" aria-label="Network graph: drag or scroll to pan, Ctrl+wheel to zoom, click a layer to show it in the text">
  <svg id="stage" class="stage" xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"><g id="world"></g></svg>
  <div id="empty" class="empty">Loading the graph…</div>
</main>`,
  });
}
