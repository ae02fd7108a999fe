// param_str checks: the string is parsed in the format the layer class reads it with (or the
// `prototxt.paramStr.format` setting when the class is unknown), its problems are placed inside the
// string literal through the decoded-offset map, and its keys are compared with the keys the class reads.

import { maxOf } from '../../../../common/arrays';
import type { StringNode } from '../../parser/ast';
import type { ClassInfo, ParamFormat, ParamKey } from '../../python/module-info';
import type { ParamStrFormat } from '../../settings';
import type { AnalysisDiagnostic } from '../diagnostic';
import { closestNames, didYouMean } from '../checks/suggest';
import { parseLiteral } from './literal';
import { keyText, type ParamValue, type ParseResult, type ValueSpan } from './value';
import { parseYaml } from './yaml';

/** The grammars a param_str can be written in. */
export type ParamSyntax = 'json' | 'python' | 'yaml' | 'csv' | 'float' | 'int' | 'raw';

export interface ParamStrReading {
  syntax: ParamSyntax;
  /** Separator of `.split(sep)`; undefined splits on whitespace. */
  separator?: string;
  /** True when the format comes from the class (not from the setting). */
  fromClass: boolean;
  /** YAML read by `yaml.safe_load`, which refuses PyYAML's `!!python/...` tags. */
  safeYaml?: true;
  /** One-character replacements the class makes before parsing (`.replace("'", '"')`), in order. */
  replaces?: [string, string][];
}

export interface ParsedParamStr extends ParseResult {
  syntax: ParamSyntax;
}

const FROM_READ: Record<ParamFormat, ParamSyntax> = {
  json: 'json',
  yaml: 'yaml',
  eval: 'python',
  literal_eval: 'python',
  float: 'float',
  int: 'int',
  split: 'csv',
  raw: 'raw',
};

export const SYNTAX_NAMES: Record<ParamSyntax, string> = {
  json: 'JSON (json.loads)',
  python: 'a Python literal (ast.literal_eval)',
  yaml: 'YAML (yaml.load)',
  csv: 'separated values (.split)',
  float: 'a number (float)',
  int: 'an integer (int)',
  raw: 'a plain string',
};

/** How the class reads its param_str; the setting decides when the class is unknown or reads it raw. */
export function readingFor(cls: ClassInfo | undefined, setting: ParamStrFormat): ParamStrReading {
  const read = cls?.paramReads.find((r) => r.format !== 'raw') ?? cls?.paramReads[0];
  if (read) {
    const safe = read.format === 'yaml' && /(?:^|\.)safe_load$/.test(read.callee);
    // Only replacements that keep every offset: the problems stay placed on the text as written.
    const replaces = read.replaces?.every(([from, to]) => from.length === 1 && to.length === 1)
      ? read.replaces
      : undefined;
    return {
      syntax: FROM_READ[read.format],
      separator: read.separator,
      fromClass: true,
      ...(safe ? { safeYaml: true as const } : {}),
      ...(replaces && replaces.length > 0 ? { replaces } : {}),
    };
  }
  if (setting === 'auto') return { syntax: 'raw', fromClass: false };
  return { syntax: setting, separator: setting === 'csv' ? ',' : undefined, fromClass: false };
}

/** Parses a decoded param_str; `auto` tries JSON, then a Python literal, then YAML. */
export function parseParamStr(
  text: string,
  syntax: ParamSyntax | 'auto',
  separator?: string,
  safeYaml = false,
): ParsedParamStr {
  switch (syntax) {
    case 'json':
    case 'python':
      return { syntax, ...parseLiteral(text, syntax) };
    case 'yaml':
      return { syntax, ...parseYaml(text, safeYaml) };
    case 'csv':
      return { syntax, ...splitValues(text, separator) };
    case 'float':
    case 'int':
      return { syntax, ...parseNumber(text, syntax) };
    case 'raw':
      return { syntax, value: { kind: 'string', value: text, start: 0, end: text.length }, problems: [] };
    case 'auto': {
      for (const s of ['json', 'python'] as const) {
        const r = parseLiteral(text, s);
        if (r.value) return { syntax: s, ...r };
      }
      return { syntax: 'yaml', ...parseYaml(text) };
    }
  }
}

function splitValues(text: string, separator: string | undefined): ParseResult {
  const items: ParamValue[] = [];
  if (separator === undefined) {
    for (const m of text.matchAll(/\S+/g)) {
      items.push({ kind: 'string', value: m[0], start: m.index, end: m.index + m[0].length });
    }
  } else if (separator === '') {
    return {
      problems: [
        {
          start: 0,
          end: text.length,
          message: "The class splits on '' (an empty separator), which Python rejects.",
        },
      ],
    };
  } else {
    let at = 0;
    for (;;) {
      const next = text.indexOf(separator, at);
      const end = next < 0 ? text.length : next;
      items.push({ kind: 'string', value: text.slice(at, end), start: at, end });
      if (next < 0) break;
      at = next + separator.length;
    }
  }
  return { value: { kind: 'list', items, start: 0, end: text.length }, problems: [] };
}

function parseNumber(text: string, syntax: 'float' | 'int'): ParseResult {
  const t = text.trim();
  const start = text.indexOf(t);
  const ok =
    syntax === 'int'
      ? /^[+-]?\d+(_\d+)*$/.test(t)
      : /^[+-]?((\d+(_\d+)*)?\.?\d*(_\d+)*([eE][+-]?\d+)?|inf(inity)?|nan)$/i.test(t) &&
        /\d|inf|nan/i.test(t);
  if (!ok) {
    const what = syntax === 'int' ? 'int()' : 'float()';
    return {
      problems: [
        {
          start: t ? start : 0,
          end: t ? start + t.length : text.length,
          message: `The class reads param_str with ${what}, which cannot read '${t}'.`,
        },
      ],
    };
  }
  return {
    value: { kind: 'number', text: t, value: Number(t.replace(/_/g, '')), start, end: start + t.length },
    problems: [],
  };
}

/** Source offsets of a range of decoded characters of `str`, kept inside its literals. */
export function sourceRange(str: StringNode, start: number, end: number): { start: number; end: number } {
  const len = str.value.length;
  const s = Math.min(Math.max(0, start), len);
  const e = Math.min(Math.max(s, end), len);
  const offsets = str.offsets;
  const from = offsets[s];
  if (e === s) return { start: from, end: from + 1 };
  const last = offsets[e - 1];
  let to = offsets[e];
  // Across adjacent literals ("a" "b") the next offset is in another piece: stop at this piece's quote.
  const piece = str.pieces.find((p) => last >= p.start && last < p.end);
  if (piece && to > piece.end - 1) to = piece.end - 1;
  return { start: from, end: Math.max(to, last + 1) };
}

export interface ParamStrCheck {
  parsed: ParsedParamStr;
  reading: ParamStrReading;
  diagnostics: AnalysisDiagnostic[];
}

/** Every param_str problem of one layer, in source offsets. */
export function checkParamStr(
  str: StringNode,
  cls: ClassInfo | undefined,
  setting: ParamStrFormat,
  /** False when the class may read keys the index could not see (e.g. through an inherited holder). */
  keysComplete = true,
): ParamStrCheck {
  const reading = readingFor(cls, setting);
  const syntax = reading.fromClass || setting !== 'auto' ? reading.syntax : 'auto';
  let text = str.value;
  for (const [from, to] of reading.replaces ?? []) text = text.split(from).join(to);
  const parsed = parseParamStr(text, syntax, reading.separator, reading.safeYaml === true);
  const diagnostics: AnalysisDiagnostic[] = [];
  const at = (
    p: ValueSpan,
    severity: AnalysisDiagnostic['severity'],
    code: string,
    message: string,
    suggestions?: string[],
  ) => {
    const r = sourceRange(str, p.start, p.end);
    diagnostics.push({ severity, code, message, ...r, ...(suggestions?.length ? { suggestions } : {}) });
  };
  const how = reading.fromClass
    ? `the class reads it as ${reading.safeYaml ? 'YAML (yaml.safe_load)' : SYNTAX_NAMES[parsed.syntax]}`
    : `read as ${SYNTAX_NAMES[parsed.syntax]}`;
  for (const p of parsed.problems) at(p, 'error', 'param-str-syntax', `param_str: ${p.message} (${how})`);
  if (!parsed.value || !cls) return { parsed, reading, diagnostics };
  const whole = { start: 0, end: str.value.length, message: '' };
  const named = cls.paramKeys.filter((k) => !k.accesses.every((a) => a.access === 'index'));
  const indexed = cls.paramKeys.filter(
    (k) => k.accesses.some((a) => a.access === 'index') && /^\d+$/.test(k.name),
  );
  const v = parsed.value;
  if (named.length > 0) {
    if (v.kind !== 'dict') {
      at(
        whole,
        'error',
        'param-str-not-dict',
        `param_str is ${describe(v)}, but ${cls.name} reads keys from it (${quoteList(named.map((k) => k.name))}).`,
      );
    } else {
      const present = new Set(v.entries.map((e) => keyText(e.key)));
      const missing = named.filter((k) => k.required && !present.has(k.name));
      if (missing.length > 0) {
        const list = quoteList(missing.map((k) => k.name));
        at(
          whole,
          'error',
          'param-str-missing-key',
          `param_str lacks ${missing.length === 1 ? 'the key' : 'the keys'} ${list}, which ${cls.name} reads without a default.`,
        );
      }
      const known = named.map((k) => k.name);
      for (const e of keysComplete ? v.entries : []) {
        const key = keyText(e.key);
        if (known.includes(key)) continue;
        const close = closestNames(key, known);
        at(
          e.key,
          'warning',
          'param-str-unknown-key',
          `${cls.name} never reads the key '${key}'.${didYouMean(close)}`,
          close,
        );
      }
    }
  }
  if (indexed.length > 0 && v.kind === 'list') {
    const needed = maxOf(indexed.map((k) => Number(k.name))) + 1;
    if (
      v.items.length !== needed &&
      !cls.paramKeys.some((k) => k.accesses.some((a) => a.access !== 'index'))
    ) {
      at(
        whole,
        'error',
        'param-str-value-count',
        `${cls.name} unpacks ${needed} values from param_str, but it holds ${v.items.length}.`,
      );
    }
  }
  return { parsed, reading, diagnostics };
}

function describe(v: ParamValue): string {
  return {
    dict: 'a dict',
    list: 'a list',
    tuple: 'a tuple',
    set: 'a set',
    string: 'a string',
    number: 'a number',
    bool: 'a boolean',
    none: 'None',
  }[v.kind];
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/** Keys the class reads, for completion: name, default (source text) and whether it is required. */
export function namedKeys(cls: ClassInfo): ParamKey[] {
  return cls.paramKeys.filter((k) => !k.accesses.every((a) => a.access === 'index'));
}
