// Types shared by the shape rules and the inference driver.

import type { Span } from '../../parser/ast';
import type { AnalysisDiagnostic, Severity } from '../diagnostic';
import type { NetLayer, Phase } from '../model/net';
import type { LayerParams } from './params';

/**
 * A blob shape, outermost axis first (`[N, C, H, W]`); `[]` is a scalar (a loss). A dim no rule can
 * tell is NaN (`UNKNOWN_DIM`): the shape is then partly known, e.g. `[64, NaN, NaN, NaN]`.
 */
export type Shape = readonly number[];

/**
 * What a rule works from. `bottoms[i]` is null when nothing is known of that bottom's shape, and has
 * NaN dims where only those are unknown.
 */
export interface RuleContext {
  layer: NetLayer;
  bottoms: (Shape | null)[];
  params: LayerParams;
  /** Report a problem; the span defaults to the layer's name (or the `*_param` block named). */
  report(message: string, at?: Span | string, code?: string, severity?: Severity): void;
}

export interface RuleOutput {
  /** One entry per top (missing entries are unknown); NaN dims where the rule cannot tell. */
  tops: (Shape | null)[];
  /** Learnable parameters (weights and biases); null when they depend on an unknown shape. */
  params?: number | null;
  /** Non-learned statistics blobs (BatchNorm's mean, variance and scale factor); not in `params`. */
  stats?: number;
  /** Multiply-accumulates for one forward pass; null when unknown. */
  macs?: number | null;
}

/**
 * What a layer gives when no rule ran or Caffe refuses its inputs (reported): no tops, unknown counts
 * (shared, never changed).
 */
export const NO_OUTPUT: RuleOutput = Object.freeze({ tops: [], params: null, macs: null });

export interface ShapeRule {
  /** How many leading bottoms must have known shapes before `run` is called (else every top is unknown). */
  needs: number;
  run(ctx: RuleContext): RuleOutput;
  /**
   * Parameter blocks the rule reads as its forks' sources do, whatever fields they hold (C3D's
   * convolution3d_param, which no bundled schema has; the video forks' video_data_param): they do not
   * make the layer's tops unknown (readable-params.ts).
   */
  ownBlocks?: readonly string[];
}

export interface LayerShapes {
  layer: NetLayer;
  bottoms: (Shape | null)[];
  tops: (Shape | null)[];
  /** Learnable parameter count: 0 for layers without weights; null when unknown. */
  params: number | null;
  /** BatchNorm-style statistics elements (not learnable, not counted in `params`). */
  stats: number;
  /** Multiply-accumulates: counted for Convolution, Deconvolution, InnerProduct, Scale, and fork layers
   * with a clear linear map; 0 for the rest; null when unknown. */
  macs: number | null;
  /**
   * 'rule' when a rule for the type exists; 'learned' for a Python layer whose tops were learned by
   * running its reshape on these bottom shapes; 'unread-params' when the type has a rule but the
   * layer's parameters hold a field BVLC lacks or a value that is no number (tops unknown);
   * 'unknown-type' (incl. other Python layers) otherwise.
   */
  status: 'rule' | 'learned' | 'unread-params' | 'unknown-type';
  /** Every named `param` of the layer was declared by an earlier layer: its weights are not counted twice. */
  sharedParams: boolean;
  /** Tops Caffe adds to the layer (a loss layer without `top:`), named `(automatic)`; usually empty. */
  automaticTops: readonly Shape[];
  /** Per top, where a shape stated by the user came from (`--input-shape`, a comment); undefined when none. */
  topSources?: readonly (string | undefined)[];
}

export interface ShapeTotals {
  params: number;
  stats: number;
  macs: number;
  /** Layers whose parameter count or MACs are unknown (not included in the totals). */
  incomplete: number;
  /** Layers with at least one unknown top. */
  unknownTops: number;
}

/** Blob shapes by name: undefined for a name no layer of the phase writes. */
export interface BlobShapesByName {
  get(name: string): Shape | null | undefined;
}

export interface ShapeResult {
  phase: Phase;
  /** Legacy net inputs (`input:` + `input_shape`/`input_dim`): Caffe builds them as an Input layer `input`. */
  inputs: readonly { name: string; shape: Shape | null; source?: string }[];
  layers: LayerShapes[];
  /** The final shape of each blob name (after in-place layers). */
  blobs: BlobShapesByName;
  problems: AnalysisDiagnostic[];
  totals: ShapeTotals;
}
