// The value a Python layer gets from its `param_str`, as parsed (never evaluated) by the param-str
// parsers, and the printers that show it (hover) or rewrite it into another format (quick fix).
// Offsets are indices into the decoded string, not into the prototxt.

export interface ValueSpan {
  start: number;
  end: number;
}

export type ParamValue =
  | ({ kind: 'dict'; entries: ParamEntry[] } & ValueSpan)
  | ({ kind: 'list' | 'tuple' | 'set'; items: ParamValue[] } & ValueSpan)
  | ({ kind: 'string'; value: string } & ValueSpan)
  | ({ kind: 'number'; text: string; value: number } & ValueSpan)
  | ({ kind: 'bool'; value: boolean } & ValueSpan)
  | ({ kind: 'none' } & ValueSpan);

export interface ParamEntry {
  key: ParamValue;
  value: ParamValue;
}

/** A problem in the decoded string; `start === end` marks a point (e.g. the end of the input). */
export interface ParamProblem extends ValueSpan {
  message: string;
}

export interface ParseResult {
  value?: ParamValue;
  problems: ParamProblem[];
}

/** The key of a dict entry as the layer sees it (`str(key)` for non-string keys). */
export function keyText(key: ParamValue): string {
  return key.kind === 'string' ? key.value : toPython(key);
}

/** Python's repr of the value, on one line. */
export function toPython(v: ParamValue): string {
  switch (v.kind) {
    case 'dict':
      return `{${v.entries.map((e) => `${toPython(e.key)}: ${toPython(e.value)}`).join(', ')}}`;
    case 'list':
      return `[${v.items.map(toPython).join(', ')}]`;
    case 'tuple':
      return v.items.length === 1 ? `(${toPython(v.items[0])},)` : `(${v.items.map(toPython).join(', ')})`;
    case 'set':
      return v.items.length === 0 ? 'set()' : `{${v.items.map(toPython).join(', ')}}`;
    case 'string':
      return pythonString(v.value);
    case 'number':
      return v.text;
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
  }
}

/** A multi-line Python repr for hover: one entry per line once the one-line form gets long. */
export function prettyPython(v: ParamValue, indent = ''): string {
  const flat = toPython(v);
  if (flat.length + indent.length <= 72) return flat;
  const inner = `${indent}    `;
  if (v.kind === 'dict') {
    const lines = v.entries.map((e) => `${inner}${toPython(e.key)}: ${prettyPython(e.value, inner)},`);
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') {
    const [open, close] = v.kind === 'list' ? '[]' : v.kind === 'tuple' ? '()' : '{}';
    const lines = v.items.map((i) => `${inner}${prettyPython(i, inner)},`);
    return `${open}\n${lines.join('\n')}\n${indent}${close}`;
  }
  return flat;
}

/** JSON text; tuples and sets become arrays, non-string keys become their repr. */
export function toJson(v: ParamValue): string {
  switch (v.kind) {
    case 'dict':
      return `{${v.entries.map((e) => `${JSON.stringify(keyText(e.key))}: ${toJson(e.value)}`).join(', ')}}`;
    case 'list':
    case 'tuple':
    case 'set':
      return `[${v.items.map(toJson).join(', ')}]`;
    case 'string':
      return JSON.stringify(v.value);
    case 'number':
      return Number.isFinite(v.value) ? jsonNumber(v) : JSON.stringify(v.text);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'none':
      return 'null';
  }
}

/** YAML flow text as PyYAML reads it; tuples are tagged `!!python/tuple` when `tuples` is set. */
export function toYaml(v: ParamValue, tuples = true): string {
  switch (v.kind) {
    case 'dict':
      return `{${v.entries.map((e) => `${toYaml(e.key, tuples)}: ${toYaml(e.value, tuples)}`).join(', ')}}`;
    case 'tuple':
      return `${tuples ? '!!python/tuple ' : ''}[${v.items.map((i) => toYaml(i, tuples)).join(', ')}]`;
    case 'list':
    case 'set':
      return `[${v.items.map((i) => toYaml(i, tuples)).join(', ')}]`;
    case 'string':
      return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(v.value) && !YAML_WORDS.has(v.value.toLowerCase())
        ? v.value
        : JSON.stringify(v.value);
    case 'number':
      return Number.isFinite(v.value) ? jsonNumber(v) : v.text;
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'none':
      return 'null';
  }
}

const YAML_WORDS = new Set(['yes', 'no', 'on', 'off', 'true', 'false', 'null', 'y', 'n', '~']);

function jsonNumber(v: { text: string; value: number }): string {
  return /^-?\d+$/.test(v.text.replace(/_/g, '')) ? v.text.replace(/_/g, '') : String(v.value);
}

function pythonString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch < ' ') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** The value of a Python or JSON number literal as written (underscores already removed). */
export function numberOf(text: string): number {
  const t = text.replace(/[jJ]$/, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (/^0[xX]/.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^0[oO]/.test(body)) return sign * parseInt(body.slice(2), 8);
  if (/^0[bB]/.test(body)) return sign * parseInt(body.slice(2), 2);
  return sign * Number(body);
}
