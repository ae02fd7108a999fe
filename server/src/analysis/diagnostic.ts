// The engine's own diagnostic shape: offsets, not positions (positions are made at the edge).

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface AnalysisDiagnostic {
  severity: Severity;
  message: string;
  /** Stable kebab-case identifier, e.g. 'unknown-field', shown as `[code]` by the CLI. */
  code: string;
  start: number;
  end: number;
  /** Replacement suggestions that a quick fix can offer for [start, end). */
  suggestions?: string[];
  /** Related locations in the same document. */
  related?: { start: number; end: number; message: string }[];
  /** Set on a diagnostic that stands for this many problems left out (the parser's "too many"). */
  omitted?: number;
  /**
   * For a problem of the net Caffe builds in one phase (a missing bottom, a shape error): the phases
   * it occurs in, among the phases checked. The phase rule (features/diagnostics/phase-rule.ts) reads it.
   */
  phases?: { found: readonly NetPhase[]; checked: readonly NetPhase[] };
  /**
   * For a warning about what only forks define (a field, an enum value, a layer type): the bundled
   * forks that define it, in the order the message names them (a quick fix offers their schemas). For
   * an unknown field or enum value under a caffe.proto the user chose: the bundled schemas that have
   * it (`bvlc` among them). Empty: what only forks define, written as none of them reads it (a block
   * written for another Caffe), so no schema is offered.
   */
  forks?: readonly string[];
}

export type NetPhase = 'TRAIN' | 'TEST';
