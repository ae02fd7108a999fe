// What the graph page shows, measured in the page itself: the caption as displayed and whether it is
// whole, the theme VS Code applied, the computed colours of the page and its buttons next to the theme
// variables they should come from, the zoom and whether the node it opened around is in view.

import type { LaidOutGraph } from '../../common/graph/types';
import type { GraphPageReport } from '../../common/protocol';
import type { View } from './pan-zoom';

const THEME_KINDS = ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-dark', 'vscode-light'];

export function pageReport(
  graph: LaidOutGraph,
  view: View,
  viewport: HTMLElement,
  caption: HTMLElement,
  focusNodeId: string | undefined,
): GraphPageReport {
  const pressed = document.querySelector<HTMLElement>('.toolbar button[aria-pressed="true"]');
  const plain = document.querySelector<HTMLElement>('.toolbar button[aria-pressed="false"], #fit');
  const out: GraphPageReport = {
    caption: caption.textContent ?? '',
    captionTitle: caption.title,
    captionWhole: isWhole(caption),
    themeKind: THEME_KINDS.find((k) => document.body.classList.contains(k)) ?? '',
    colours: {
      pageBackground: getComputedStyle(document.body).backgroundColor,
      editorBackgroundVar: resolvedColour('--vscode-editor-background'),
      pressedButtonBackground: pressed ? getComputedStyle(pressed).backgroundColor : '',
      buttonBackgroundVar: resolvedColour('--vscode-button-background'),
      buttonBorder: plain ? getComputedStyle(plain).borderTopColor : '',
      contrastBorderVar: resolvedColour('--vscode-contrastBorder'),
    },
    scale: view.scale,
  };
  const node = focusNodeId === undefined ? undefined : graph.nodes.find((n) => n.id === focusNodeId);
  if (node) {
    out.focusNodeId = node.id;
    const left = view.x + node.x * view.scale;
    const top = view.y + node.y * view.scale;
    out.focusVisible =
      left >= 0 &&
      top >= 0 &&
      left + node.width * view.scale <= viewport.clientWidth &&
      top + node.height * view.scale <= viewport.clientHeight;
  }
  return out;
}

/** Displayed without being cut: nothing overflows its box, and the box is not hidden. */
function isWhole(e: HTMLElement): boolean {
  return !e.hidden && e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1;
}

/**
 * A theme variable as the colour the browser computes from it (`rgb(0, 95, 184)`), so that it compares
 * with computed colours; '' when the theme does not set it.
 */
function resolvedColour(variable: string): string {
  if (getComputedStyle(document.documentElement).getPropertyValue(variable).trim() === '') return '';
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.color = `var(${variable})`;
  document.body.appendChild(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}
