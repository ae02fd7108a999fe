// The fixture layers (test/fixtures/layers) as run requests, each with what both backends must agree
// on: a successful run, or an exception at a marked line of the layer's file. Used by the test that
// runs every case through the real caffe.Net and through the stand-in.

import * as path from 'node:path';
import type { RunPhase, RunRequest } from '../../../../common/run/types';
import { fixtures } from './helpers';

export interface LayerCase {
  title: string;
  request: RunRequest;
  /** Absent: the run succeeds. Else where it must fail: the phase and a marker on the raising line. */
  raises?: { phase: RunPhase; marker: string };
  /** The gradient check's verdict both must give (when the request asks for one). */
  gradcheckPasses?: boolean;
  /** Stop the run after this long: both must time out (a layer that never finishes). */
  timeoutMs?: number;
}

const NCHW = [2, 3, 4, 5];

export const LAYER_CASES: LayerCase[] = [
  {
    title: 'learnable blobs (ChannelScale)',
    request: { module: 'scale_layer', layer: 'ChannelScale', bottoms: [{ shape: NCHW }], gradcheck: true },
    gradcheckPasses: true,
  },
  {
    title: 'a loss with two bottoms (EuclideanLoss)',
    request: {
      module: 'euclidean_loss',
      layer: 'EuclideanLoss',
      bottoms: [{ shape: NCHW }, { shape: NCHW }],
      tops: ['loss'],
      gradcheck: true,
    },
    gradcheckPasses: true,
  },
  {
    title: 'propagate_down false for the label bottom (EuclideanLoss)',
    request: {
      module: 'euclidean_loss',
      layer: 'EuclideanLoss',
      bottoms: [{ shape: [4, 6] }, { shape: [4, 6] }],
      propagateDown: [true, false],
      gradcheck: true,
    },
    gradcheckPasses: true,
  },
  {
    title: 'a broken backward fails the gradient check (BrokenSquare)',
    request: {
      module: 'broken_backward',
      layer: 'BrokenSquare',
      bottoms: [{ shape: [3, 4] }],
      gradcheck: true,
    },
    gradcheckPasses: false,
  },
  ...(['TRAIN', 'TEST'] as const).map((phase): LayerCase => ({
    title: `YAML param_str, phase dependent, in ${phase} (YamlShift)`,
    request: {
      module: 'yaml_param',
      layer: 'YamlShift',
      paramStr: '{shift: 0.5, factor: 2.0, train_only: true}',
      phase,
      bottoms: [{ shape: NCHW }],
      gradcheck: true,
    },
    gradcheckPasses: true,
  })),
  {
    title: 'Python-literal param_str (LiteralAffine)',
    request: {
      module: 'literal_param',
      layer: 'LiteralAffine',
      paramStr: "{'scale': 2.0, 'offsets': (0.5, -0.5)}",
      bottoms: [{ shape: NCHW }],
      gradcheck: true,
    },
    gradcheckPasses: true,
  },
  {
    title: 'JSON param_str (JsonPickPower)',
    request: {
      module: 'json_param',
      layer: 'JsonPickPower',
      paramStr: '{"power": 3, "keep": [0, 2]}',
      bottoms: [{ shape: NCHW }],
      gradcheck: true,
    },
    gradcheckPasses: true,
  },
  {
    title: 'split param_str, two tops (SplitAffineSquare)',
    request: {
      module: 'split_param',
      layer: 'SplitAffineSquare',
      paramStr: '1.5,-0.25',
      bottoms: [{ shape: NCHW }],
      tops: ['affine', 'square'],
      gradcheck: true,
    },
    gradcheckPasses: true,
  },
  ...(['TRAIN', 'TEST'] as const).map((phase): LayerCase => ({
    title: `seeded noise in TRAIN only, in ${phase} (PhaseNoise)`,
    request: {
      module: 'phase_noise',
      layer: 'PhaseNoise',
      paramStr: '0.25',
      phase,
      bottoms: [{ shape: NCHW }],
      gradcheck: true,
    },
    gradcheckPasses: true,
  })),
  {
    title: 'reading bottom values in setup: zeros, as in any Caffe net (SetupReadsBottom)',
    request: { module: 'setup_reads_bottom', layer: 'SetupReadsBottom', bottoms: [{ shape: [2, 3] }] },
  },
  {
    title: 'raising in setup (RaisesInSetup)',
    request: { module: 'setup_raises', layer: 'RaisesInSetup', paramStr: 'x', bottoms: [{ shape: [2, 3] }] },
    raises: { phase: 'setup', marker: 'SETUP_RAISES_LINE' },
  },
  {
    title: 'raising in forward (RaisesInForward)',
    request: { module: 'forward_raises', layer: 'RaisesInForward', bottoms: [{ shape: [2, 3] }] },
    raises: { phase: 'forward', marker: 'FORWARD_RAISES_LINE' },
  },
  {
    title: 'a module written for Python 2 (OldLayer)',
    request: { module: 'python2_module', layer: 'OldLayer', bottoms: [{ shape: [2, 3] }] },
    raises: { phase: 'import', marker: 'PY2_SYNTAX_LINE' },
  },
  {
    title: 'iterating over the bottom vector (IteratesBottoms)',
    request: { module: 'iterates_bottoms', layer: 'IteratesBottoms', bottoms: [{ shape: [2, 3] }] },
    raises: { phase: 'setup', marker: 'ITERATES_LINE' },
  },
  {
    title: 'a forward that never ends (LoopsForever)',
    request: { module: 'loops_forever', layer: 'LoopsForever', bottoms: [{ shape: [2, 3] }] },
    raises: { phase: 'timeout', marker: '' },
    timeoutMs: 5_000,
  },
];

/** The fixture file of a case's module. */
export function moduleFile(c: LayerCase): string {
  return path.join(fixtures, `${c.request.module}.py`);
}
