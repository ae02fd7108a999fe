// Messages between the graph webview page and the extension. Plain JSON; no DOM, no vscode.

import type { GraphPhase, LaidOutGraph } from '../../common/graph/types';
import type { GraphPageReport } from '../../common/protocol';

/** Extension -> page. */
export type ToPageMessage =
  /**
   * A new picture of the net; the page keeps its pan and zoom (the first one opens around `focus`,
   * the node of the layer at the editor's cursor).
   */
  | {
      type: 'update';
      graph: LaidOutGraph;
      title: string;
      focus?: { layerName: string | null; nodeId?: string };
    }
  /** Outline the node of this layer (folded layers included) and bring it into view; null clears. */
  | { type: 'highlight'; layerName: string | null; nodeId?: string }
  /** The graph could not be computed (e.g. the language server is not running). */
  | { type: 'error'; message: string };

/** Page -> extension. */
export type FromPageMessage =
  | { type: 'ready' }
  /** A node was clicked: select its layer in the text (document offset). */
  | { type: 'reveal'; offset: number }
  | { type: 'phase'; phase: GraphPhase }
  /**
   * Show another part of a net too large to show whole: the one holding the layer at this document
   * offset (the graph's `part.previous` or `part.next`), or the one at the editor's cursor.
   */
  | { type: 'part'; around: number | 'cursor' }
  /** Save an export: the SVG text, or a PNG as base64. */
  | { type: 'export'; format: 'svg'; data: string }
  | { type: 'export'; format: 'png'; data: string }
  | { type: 'log'; message: string }
  /** What the page shows after drawing a graph or a theme change (kept for the e2e suite's status). */
  | { type: 'shown'; report: GraphPageReport };
