// param_str read by `yaml.load`: YAML 1.1 as PyYAML reads it (yes/no booleans, `!!python/tuple`),
// through the `yaml` package, with its error positions kept as offsets into the decoded string.

import type { Node, ScalarTag, CollectionTag } from 'yaml';
import type { ParamEntry, ParamValue, ParseResult } from './value';
import { yamlTooDeepAt } from './yaml-nesting';

const PYTHON_TUPLE: CollectionTag = {
  tag: 'tag:yaml.org,2002:python/tuple',
  collection: 'seq',
  resolve: (seq) => seq,
};
// Tags PyYAML's full/unsafe loaders know; accepted so a valid file is not flagged.
const PYTHON_SCALARS: ScalarTag[] = [
  'python/str',
  'python/unicode',
  'python/none',
  'python/bool',
  'python/int',
  'python/float',
].map((name) => ({ tag: `tag:yaml.org,2002:${name}`, resolve: (s: string) => s }));

const MAX_DEPTH = 64;

/**
 * The `yaml` package, loaded at the first YAML param_str: most nets have none, and loading it costs
 * every start of the CLI and the server a few milliseconds.
 */
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof import('yaml'));
}

/**
 * `safe`: read by `yaml.safe_load`, whose SafeLoader has no constructor for PyYAML's `!!python/...`
 * tags and stops with a ConstructorError at the first.
 */
export function parseYaml(text: string, safe = false): ParseResult {
  // Checked before parsing: the parser recurses once per level and deep text overflows it.
  const deep = yamlTooDeepAt(text, MAX_DEPTH);
  if (deep >= 0) return { problems: [tooDeep(deep, deep + 1)] };
  const { parseDocument } = yaml();
  const doc = parseDocument(text, {
    version: '1.1',
    customTags: [PYTHON_TUPLE, ...PYTHON_SCALARS],
    prettyErrors: false,
    uniqueKeys: false,
  });
  if (doc.errors.length > 0) {
    return {
      // Later errors at the same place are consequences of the first.
      problems: doc.errors
        .filter((e, i) => doc.errors.findIndex((o) => o.pos[0] === e.pos[0]) === i)
        .slice(0, 3)
        .map((e) => ({
          start: e.pos[0],
          end: Math.max(e.pos[0], e.pos[1]),
          message: `YAML: ${firstSentence(e.message)}`,
        })),
    };
  }
  const contents = doc.contents as Node | null;
  if (safe && contents !== null) {
    const tagged = firstPythonTag(contents, 0);
    if (tagged) return { problems: [refusedTag(tagged)] };
  }
  if (contents === null) return { value: { kind: 'none', start: 0, end: text.length }, problems: [] };
  const value = convert(contents, 0);
  return value ? { value, problems: [] } : { problems: [tooDeep(0, text.length)] };
}

const PYTHON_TAG = 'tag:yaml.org,2002:python/';

/** The first node, depth first, whose tag is one of PyYAML's `!!python/...` tags. */
function firstPythonTag(node: Node, depth: number): Node | undefined {
  if (node.tag?.startsWith(PYTHON_TAG)) return node;
  if (depth > MAX_DEPTH) return undefined;
  const { isMap, isSeq } = yaml();
  if (isMap(node)) {
    for (const pair of node.items) {
      for (const part of [pair.key, pair.value]) {
        const found = part === null ? undefined : firstPythonTag(part as Node, depth + 1);
        if (found) return found;
      }
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = firstPythonTag(item as Node, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function refusedTag(node: Node) {
  const [start, end] = node.range ?? [0, 0];
  const tag = `!!${node.tag?.slice('tag:yaml.org,2002:'.length)}`;
  return {
    start,
    end: Math.max(start, end),
    message:
      `yaml.safe_load() has no constructor for the tag ${tag}, so Caffe stops at setup with a ConstructorError; ` +
      'write the value without the tag, or read it with Loader=yaml.FullLoader.',
  };
}

function tooDeep(start: number, end: number) {
  return { start, end, message: `YAML: nested deeper than ${MAX_DEPTH} levels.` };
}

function convert(node: Node, depth: number): ParamValue | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const [start, end] = node.range ?? [0, 0];
  const { isMap, isScalar, isSeq } = yaml();
  if (isMap(node)) {
    const entries: ParamEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key === null ? undefined : convert(pair.key as Node, depth + 1);
      const value = pair.value === null ? undefined : convert(pair.value as Node, depth + 1);
      const k = key ?? { kind: 'none' as const, start, end: start };
      entries.push({ key: k, value: value ?? { kind: 'none', start: k.end, end: k.end } });
    }
    return { kind: 'dict', entries, start, end };
  }
  if (isSeq(node)) {
    const items: ParamValue[] = [];
    for (const item of node.items) {
      const v = convert(item as Node, depth + 1);
      if (v === undefined) return undefined;
      items.push(v);
    }
    const kind = node.tag === PYTHON_TUPLE.tag ? 'tuple' : 'list';
    return { kind, items, start, end };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return { kind: 'none', start, end };
    if (typeof v === 'boolean') return { kind: 'bool', value: v, start, end };
    if (typeof v === 'number' || typeof v === 'bigint')
      return { kind: 'number', text: node.source ?? String(v), value: Number(v), start, end };
    return { kind: 'string', value: String(v), start, end };
  }
  return { kind: 'string', value: String(node), start, end };
}

function firstSentence(message: string): string {
  return message.split(/ at line \d+, column \d+/)[0].trim();
}
