// The one escaper for the markup the project writes (SVG, the webview pages, the run report) and the
// one shell of a webview page: a strict content security policy, no inline script or style but the
// nonce'd ones the page brings.

/**
 * Escapes text for HTML and XML content and attribute values alike, and replaces the characters XML 1.0
 * cannot hold (control characters, lone surrogates) by U+FFFD.
 */
export function escapeMarkup(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else out += '\ufffd';
      continue;
    }
    const allowed =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c < 0xdc00) || (c > 0xdfff && c < 0xfffe);
    if (!allowed) out += '\ufffd';
    else if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x27) out += '&#39;';
    else out += text[i];
  }
  return out;
}

export interface PageOptions {
  title: string;
  /** The Content-Security-Policy of the page. */
  csp: string;
  /** The nonce of the inline `style` and `script`, when the page has them. */
  nonce?: string;
  /** Stylesheets linked by URI. */
  styleUris?: readonly string[];
  /** Script files by URI, loaded with the nonce. */
  scriptUris?: readonly string[];
  /** CSS written into the page (needs `nonce`). */
  style?: string;
  /** Script written into the page (needs `nonce`). */
  script?: string;
  /** The body's HTML, escaped by the caller. */
  body: string;
}

export function webviewPage(o: PageOptions): string {
  const nonce = o.nonce === undefined ? '' : ` nonce="${escapeMarkup(o.nonce)}"`;
  const links = (o.styleUris ?? [])
    .map((u) => `<link rel="stylesheet" href="${escapeMarkup(u)}">\n`)
    .join('');
  const scripts = (o.scriptUris ?? [])
    .map((u) => `<script${nonce} src="${escapeMarkup(u)}"></script>\n`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeMarkup(o.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}<title>${escapeMarkup(o.title)}</title>
${o.style === undefined ? '' : `<style${nonce}>${o.style}</style>\n`}</head>
<body>
${o.body}
${o.script === undefined ? '' : `<script${nonce}>${o.script}</script>\n`}${scripts}</body>
</html>
`;
}
