// Every request the editor sends, as the server answers it (in this process, through the same feature
// entries server.ts wires). Requests about a cursor run at positions spread evenly over one analysed
// version. Requests about the whole document (outline, folding, code lenses) are asked once per new
// version, after a one-character edit whose analysis is done first (that is the keystroke figure's
// business), as VS Code asks them after every edit; a second ask of the same version shows the cache.

import { performance } from 'node:perf_hooks';
import type { Diagnostic, Position, Range } from 'vscode-languageserver';
import { DocumentStore } from '../server/src/documents';
import type { Services } from '../server/src/features/context';
import { provideCodeActions } from '../server/src/features/code-actions/code-actions';
import { provideCodeLenses } from '../server/src/features/code-lens/code-lens';
import { provideCompletion } from '../server/src/features/completion/completion';
import { provideDefinition } from '../server/src/features/definition/definition';
import { prototxtDiagnostics } from '../server/src/features/diagnostics/gather';
import { provideFoldingRanges } from '../server/src/features/folding/folding';
import { provideDocumentRangeFormatting } from '../server/src/features/formatting/formatting';
import { provideHover } from '../server/src/features/hover/hover';
import { provideInlayHints } from '../server/src/features/inlay-hints/inlay-hints';
import { provideReferences } from '../server/src/features/references/references';
import { provideSelectionRanges } from '../server/src/features/selection-ranges/selection-ranges';
import { provideDocumentSymbols } from '../server/src/features/symbols/document-symbols';
import { createPythonParser } from '../server/src/python/parser';
import { Analyses } from '../server/src/workspace/analyses';
import { PythonWorkspace } from '../server/src/workspace/python-workspace';
import { SolverUses } from '../server/src/workspace/solver-uses';

/** Milliseconds per request, by LSP method. */
export type MethodTimes = Record<string, number[]>;

export interface RequestLatencies {
  times: MethodTimes;
  /** The outline's size: items (all levels) and bytes of JSON. */
  outline: { items: number; bytes: number };
  /** Keystroke to diagnostics: an edit, the analysis of the new version and its LSP diagnostics. */
  keystroke: number[];
  /** Per method, how many answers were not empty: the timings are of real work. */
  answered: Record<string, number>;
}

const VIEWPORT_LINES = 60;

/**
 * Times every method on `text`: `samples` cursor requests each, `versions` edits for whole-document
 * ones, after `warmup` edits that are not timed (a user's keystrokes come after many others).
 */
export async function requestLatencies(
  text: string,
  samples: number,
  versions: number,
  warmup = 0,
): Promise<RequestLatencies> {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  analyses.client = { snippets: true, markdown: true, labelDetails: true, definitionLinks: true };
  const python = new PythonWorkspace({ createParser: () => createPythonParser() });
  const solvers = new SolverUses();
  const services: Services = { python, documents, roots: [], solvers };
  const uri = 'file:///bench/requests.prototxt';
  let doc = documents.open(uri, 'prototxt', 1, text);
  const diagnostics = prototxtDiagnostics(analyses.analyzedDoc(doc), python, solvers);
  const textDocument = { uri };
  const times: MethodTimes = {};
  const answered: Record<string, number> = {};
  /** Off during the warm-up edits: V8 has then compiled the edit path, as in an editing session. */
  let recording = true;
  const time = async (method: string, fn: () => unknown) => {
    const t0 = performance.now();
    const result = await fn();
    if (!recording) return;
    (times[method] ??= []).push(performance.now() - t0);
    if (!isEmpty(result)) answered[method] = (answered[method] ?? 0) + 1;
  };
  const at = (offset: number) => doc.lines.positionAt(offset);
  const input = () => analyses.analyzedDoc(doc);

  for (const offset of spread(fieldOffsets(text), samples)) {
    const position = at(offset);
    const range: Range = { start: position, end: position };
    await time('hover', () => provideHover(input(), { textDocument, position }, services));
    await time('completion', () => provideCompletion(input(), { textDocument, position }, services));
    await time('definition', () => provideDefinition(input(), { textDocument, position }, services));
    await time('references', () =>
      provideReferences(input(), { textDocument, position, context: { includeDeclaration: true } }, services),
    );
    await time('selectionRange', () =>
      provideSelectionRanges(input(), { textDocument, positions: [position] }),
    );
    const onLine = diagnostics.filter((d) => touches(d, position));
    await time('codeAction', () =>
      provideCodeActions(input(), { textDocument, range, context: { diagnostics: onLine } }, services),
    );
    const lineRange = lines(position.line, 20);
    await time('rangeFormatting', () =>
      provideDocumentRangeFormatting(input(), {
        textDocument,
        range: lineRange,
        options: { tabSize: 2, insertSpaces: true },
      }),
    );
    await time('inlayHint', () =>
      provideInlayHints(input(), { textDocument, range: lines(position.line, VIEWPORT_LINES) }),
    );
  }

  const keystroke: number[] = [];
  const editAt = text.indexOf('name: "', Math.floor(text.length / 2)) + 'name: "'.length;
  const editPos = doc.lines.positionAt(editAt);
  let outline = { items: 0, bytes: 0 };
  for (let i = -warmup; i < versions; i++) {
    recording = i >= 0;
    const insert = i % 2 === 0;
    const t0 = performance.now();
    doc = documents.change(uri, doc.version + 1, [
      insert
        ? { range: { start: editPos, end: editPos }, text: 'x' }
        : {
            range: { start: editPos, end: { line: editPos.line, character: editPos.character + 1 } },
            text: '',
          },
    ])!;
    prototxtDiagnostics(input(), python, solvers);
    if (recording) keystroke.push(performance.now() - t0);
    let symbols: unknown[] = [];
    await time('documentSymbol', () => (symbols = provideDocumentSymbols(input())));
    await time('documentSymbol (same version again)', () => provideDocumentSymbols(input()));
    await time('foldingRange', () => provideFoldingRanges(input()));
    await time('foldingRange (same version again)', () => provideFoldingRanges(input()));
    await time('codeLens', () => provideCodeLenses(input(), { textDocument }, services));
    if (i === 0) outline = { items: countItems(symbols), bytes: Buffer.byteLength(JSON.stringify(symbols)) };
  }
  return { times, outline, keystroke, answered };
}

function isEmpty(result: unknown): boolean {
  if (result === null || result === undefined) return true;
  if (Array.isArray(result)) return result.length === 0;
  const items = (result as { items?: unknown[] }).items;
  return Array.isArray(items) && items.length === 0;
}

function touches(d: Diagnostic, p: Position): boolean {
  return d.range.start.line <= p.line && p.line <= d.range.end.line;
}

function lines(from: number, count: number): Range {
  return {
    start: { line: Math.max(0, from - count / 2), character: 0 },
    end: { line: from + count / 2, character: 0 },
  };
}

function countItems(symbols: readonly unknown[]): number {
  let n = 0;
  const stack = [...symbols] as { children?: unknown[] }[];
  while (stack.length > 0) {
    const s = stack.pop()!;
    n++;
    if (s.children) stack.push(...(s.children as { children?: unknown[] }[]));
  }
  return n;
}

/**
 * Where a user's cursor is: two letters into a field name, right after the opening quote of a string
 * value (a blob, layer or type name) and after `: ` of other values.
 */
function fieldOffsets(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^[ \t]*([a-z_]\w*)[ \t]*(:|\{)[ \t]*("?)/gm)) {
    const nameStart = m.index + m[0].indexOf(m[1]);
    out.push(nameStart + Math.min(2, m[1].length));
    if (m[2] === ':') out.push(m.index + m[0].length);
  }
  return out.sort((a, b) => a - b);
}

/** `count` items spread evenly over `all` (all of them when there are fewer). */
function spread(all: readonly number[], count: number): number[] {
  if (all.length <= count) return [...all];
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}
