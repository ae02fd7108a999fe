// Spans of Python files as the index keeps them: one object per span holding the offsets and the line
// and character of both ends (the index holds tens of spans per file, and a span with its range as
// nested objects was four objects), the LSP range made when a feature asks for it. Between threads
// and processes a span travels as six numbers; `reviveModuleInfo` turns them back into spans.

import type { Range } from '../util/ranges';
import type { LineIndex } from '../util/ranges';
import type { ModuleInfo, PySpan } from './module-info';

/** A span as JSON: offsets, then start line and character, then end line and character. */
export type SpanTuple = [number, number, number, number, number, number];

export class SourceSpan implements PySpan {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}

  /** Made on each call. */
  get range(): Range {
    return {
      start: { line: this.startLine, character: this.startCharacter },
      end: { line: this.endLine, character: this.endCharacter },
    };
  }

  toJSON(): SpanTuple {
    return [this.start, this.end, this.startLine, this.startCharacter, this.endLine, this.endCharacter];
  }
}

export function sourceSpan(start: number, end: number, lines: LineIndex): SourceSpan {
  const from = lines.positionAt(start);
  const to = lines.positionAt(end);
  return new SourceSpan(start, end, from.line, from.character, to.line, to.character);
}

/**
 * A span read back from JSON: the six numbers `toJSON` wrote, or a span written out in full
 * (`{ start, end, range }`); undefined for anything else.
 */
function revived(value: unknown): PySpan | undefined {
  if (Array.isArray(value)) {
    if (value.length !== 6 || !value.every((n) => typeof n === 'number')) return undefined;
    const [start, end, sl, sc, el, ec] = value as SpanTuple;
    return new SourceSpan(start, end, sl, sc, el, ec);
  }
  const v = value as Partial<PySpan> | null;
  if (typeof v !== 'object' || v === null || typeof v.start !== 'number' || typeof v.end !== 'number')
    return undefined;
  const r = v.range;
  if (typeof r !== 'object' || r === null || typeof r.start !== 'object' || typeof r.end !== 'object')
    return undefined;
  return new SourceSpan(v.start, v.end, r.start.line, r.start.character, r.end.line, r.end.character);
}

class NotASpan extends Error {}

function span(value: unknown): PySpan {
  const s = revived(value);
  if (s === undefined) throw new NotASpan();
  return s;
}

/**
 * Every span of a ModuleInfo parsed from JSON made a span again, in place; false (and the object left
 * half done: drop it) when some span or list is not of the form `JSON.stringify` gives a ModuleInfo.
 */
export function reviveModuleInfo(info: ModuleInfo): boolean {
  try {
    for (const b of info.imports) {
      b.span = span(b.span);
      if (b.moduleSpan !== undefined) b.moduleSpan = span(b.moduleSpan);
    }
    for (const e of info.sysPath) e.span = span(e.span);
    info.syntaxErrors = info.syntaxErrors.map(span);
    for (const c of info.python2 ?? []) c.span = span(c.span);
    for (const c of info.yamlLoads ?? []) {
      c.span = span(c.span);
      c.function = span(c.function);
      if (c.loaderAt !== undefined) c.loaderAt = span(c.loaderAt);
    }
    for (const c of info.classes) {
      c.nameSpan = span(c.nameSpan);
      c.span = span(c.span);
      for (const b of c.bases) b.span = span(b.span);
      for (const m of c.methods) {
        m.nameSpan = span(m.nameSpan);
        m.parametersSpan = span(m.parametersSpan);
        m.signatureSpan = span(m.signatureSpan);
        m.span = span(m.span);
      }
      for (const r of c.paramReads) r.span = span(r.span);
      for (const k of c.paramKeys) {
        for (const a of k.accesses) {
          a.span = span(a.span);
          a.keySpan = span(a.keySpan);
        }
      }
      c.evalCalls = c.evalCalls.map(span);
    }
    return true;
  } catch (e) {
    if (e instanceof NotASpan || e instanceof TypeError) return false;
    throw e;
  }
}
