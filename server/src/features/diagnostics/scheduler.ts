// Push diagnostics: debounced per document, and never stale — a result computed for a version
// that is no longer current is dropped instead of published.

import type { Diagnostic } from 'vscode-languageserver';

export interface ComputedDiagnostics {
  version: number;
  diagnostics: Diagnostic[];
}

export interface DiagnosticsSink {
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** The version of `uri` open right now, undefined when it is closed. */
  currentVersion(uri: string): number | undefined;
  error(message: string): void;
}

/**
 * The quiet period after an edit of a document of `length` characters: 40 ms, and 150 ms more per
 * megabyte up to one second, so that typing in a huge file analyses it at pauses instead of at
 * every keystroke (each analysis of it holds up every other request meanwhile).
 */
export function debounceFor(length: number): number {
  return 40 + Math.min(960, Math.floor((length / 1_000_000) * 150));
}

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly compute: (uri: string) => Promise<ComputedDiagnostics | undefined>,
    private readonly sink: DiagnosticsSink,
    private readonly delayMs = 40,
  ) {}

  /** (Re)computes the diagnostics of `uri` after a short quiet period. */
  schedule(uri: string, delayMs = this.delayMs): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    const gen = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, gen);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri, gen);
      }, delayMs),
    );
  }

  /** Forgets `uri` and clears what was published for it. */
  clear(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.sink.publish(uri, undefined, []);
    this.generation.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async run(uri: string, gen: number): Promise<void> {
    try {
      const result = await this.compute(uri);
      if (!result) return;
      // Dropped when a newer change arrived meanwhile or the document moved on or closed.
      if (this.generation.get(uri) !== gen) return;
      if (this.sink.currentVersion(uri) !== result.version) return;
      this.sink.publish(uri, result.version, result.diagnostics);
    } catch (e) {
      this.sink.error(
        `diagnostics for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }
}
