// Problems told once for a cause many layers share.

import type { AnalysisDiagnostic } from '../diagnostic';

/**
 * A pooling window larger than its map is a warning (Caffe pools what there is): an input too small for
 * the net (a deploy net's placeholder size, reshaped at run time, as OpenPose's 1×1) makes every later
 * window so. The first is told, with how many more there are and how to state the real size.
 */
export function firstOversizedWindow(problems: AnalysisDiagnostic[]): AnalysisDiagnostic[] {
  const oversized = (p: AnalysisDiagnostic) => p.code === 'kernel-too-large' && p.severity === 'warning';
  let first = -1;
  // The later layers told of, by where they are (the first may be told of for its height and width).
  const later = new Set<number>();
  for (let i = 0; i < problems.length; i++) {
    if (!oversized(problems[i])) continue;
    if (first < 0) first = i;
    else if (problems[i].start !== problems[first].start) later.add(problems[i].start);
  }
  if (later.size === 0) return problems;
  const told = problems[first];
  const more = later.size;
  const out = problems.filter((p) => !oversized(p) || p.start === told.start);
  out[out.indexOf(told)] = {
    ...told,
    message:
      `${told.message}. The windows of ${more} later pooling layer${more === 1 ? ' are' : 's are'} larger than their inputs too. ` +
      'If the input size is a placeholder reshaped at run time, a `# input-shape: NAME=N,C,H,W` comment states the real one.',
  };
  return out;
}
