// The network graph as plain JSON: what the language server sends to the webview and what the SVG
// renderer draws. Editor-neutral and DOM-free (the webview bundle imports these types too).

/** Offsets of a piece of the document's text (start inclusive, end exclusive). */
export interface Span {
  start: number;
  end: number;
}

export type GraphPhase = 'TRAIN' | 'TEST';

/** The colour group of a node, from its layer type. */
export type LayerFamily =
  | 'input'
  | 'data'
  | 'conv'
  | 'pool'
  | 'activation'
  | 'norm'
  | 'tensor'
  | 'loss'
  | 'python'
  | 'unknown'
  | 'missing';

/** 'layer': a layer of the net; 'input': a legacy `input:`; 'missing': a blob read but never produced. */
export type GraphNodeKind = 'layer' | 'input' | 'missing';

export interface GraphTop {
  name: string;
  /** `1×64×112×112`, `scalar`, or null when inference could not tell. */
  shape: string | null;
}

/** An in-place layer (ReLU, BatchNorm, Scale, Dropout ...) drawn inside the node that produced its blob. */
export interface FoldedLayer {
  name: string;
  type: string;
  layerIndex: number;
  span: Span;
}

export interface GraphNode {
  /** `L<layerIndex>`, `I<input slot>` or `M<n>` for a missing blob. */
  id: string;
  kind: GraphNodeKind;
  /** Index in `NetModel.layers`; -1 for inputs and missing blobs. */
  layerIndex: number;
  /** The layer name as written ('' when the layer has none). */
  name: string;
  /** The V2 layer type; 'Input' for a legacy input; '' for a missing blob. */
  type: string;
  /** The title shown on the node: the name, else the type. */
  label: string;
  /** Names of the in-place layers folded into this node, in order. */
  inPlace: string[];
  folded: FoldedLayer[];
  python: boolean;
  /** `module.Layer` of a Python layer, when written. */
  pythonClass?: string;
  /** A type that neither BVLC nor a bundled fork registers. */
  unknownType: boolean;
  family: LayerFamily;
  tops: GraphTop[];
  /** Learnable parameters of the layer and its folded layers; null when unknown. */
  params: number | null;
  macs: number | null;
  /** The `layer { }` field (or the `input:` value) in the text. */
  span: Span;
  /** The layer's name value, when written: where "reveal" puts the cursor. */
  nameSpan?: Span;
  /** What the learnable parameter blobs of the node's layers learn; absent when they have none. */
  learning?: NodeLearning;
}

/** The lr_mult of each learnable blob of a node's layers (BatchNorm's statistics are not learnable). */
export interface NodeLearning {
  lrMults: number[];
  /** Every lr_mult is 0. */
  frozen: boolean;
  /** base_lr × the largest lr_mult, when a solver's base_lr is known. */
  rate?: number;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  blob: string;
  shape: string | null;
}

export interface GraphTotals {
  /** Sum of the known parameter counts. */
  params: number;
  /** Sum of the known MACs. */
  macs: number;
  /** Layers whose parameter count or MACs are unknown (not in the totals). */
  incomplete: number;
  /** Layers whose parameter count is unknown; absent in graphs made before it was counted. */
  unknownParams?: number;
  /** Layers whose MACs are unknown. */
  unknownMacs?: number;
  /** Caffe's "Memory required for data", formatted (e.g. `221.1 MiB data`); absent when unknown. */
  dataMemory?: string;
}

/**
 * The part of a graph too large to lay out whole that is shown: nodes `first` to `first + shown - 1`
 * of `total`, in net order (inputs, then layers as written, missing blobs where first read), and where
 * to ask for the parts on either side (`GraphParams.around`).
 */
export interface GraphPart {
  total: number;
  first: number;
  shown: number;
  /** The names of the first and last nodes shown (a layer's name, an input's, a missing blob's). */
  firstName: string;
  lastName: string;
  /** A document offset whose part is the one just before this one; absent for the first part. */
  previous?: number;
  /** A document offset whose part is the one just after this one; absent for the last part. */
  next?: number;
}

export interface NetGraph {
  phase: GraphPhase;
  nodes: GraphNode[];
  edges: GraphEdge[];
  totals: GraphTotals;
  /** Set when the graph is only a part of the net's (the net is too large to lay out whole). */
  part?: GraphPart;
}

export interface Point {
  x: number;
  y: number;
}

export interface LaidOutNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeLabel {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge extends GraphEdge {
  /** Start, bend points, end; at least two points. */
  points: Point[];
  label?: EdgeLabel;
}

export interface LaidOutGraph {
  phase: GraphPhase;
  /** Why this phase, when the server chose it (the graph's first request names none). */
  phaseReason?: string;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  totals: GraphTotals;
  width: number;
  height: number;
  /** Why the picture may be incomplete (syntax errors, a layout failure), for a banner. */
  notes: string[];
  /** Set when only a part of the net is shown. */
  part?: GraphPart;
  /**
   * The file the net was read from, when it is not the document asked about (a solver whose net is a
   * file of its own): the nodes' spans are offsets in it.
   */
  source?: { uri: string; label: string };
}
