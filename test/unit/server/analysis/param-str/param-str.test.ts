import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../../../server/src/parser/parse';
import type { StringNode } from '../../../../../server/src/parser/ast';
import {
  checkParamStr,
  parseParamStr,
  sourceRange,
} from '../../../../../server/src/analysis/param-str/param-str';
import { toJson, toPython, toYaml } from '../../../../../server/src/analysis/param-str/value';
import type { ClassInfo, ParamKey, ParamRead } from '../../../../../server/src/python/module-info';

/** The string node of `param_str: <literal>` and the source text. */
function stringOf(literal: string): { node: StringNode; text: string } {
  const text = `param_str: ${literal}\n`;
  const doc = parse(text);
  const v = doc.fields[0].value;
  assert.equal(v?.kind, 'string');
  return { node: v as StringNode, text };
}

const span = {
  start: 0,
  end: 0,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
};
function cls(format: ParamRead['format'] | undefined, keys: [string, boolean][]): ClassInfo {
  const paramKeys: ParamKey[] = keys.map(([name, required]) => ({
    name,
    required,
    accesses: [{ access: 'subscript', span, keySpan: span }],
  }));
  const paramReads: ParamRead[] = format
    ? [{ format, attribute: 'param_str', callee: format, method: 'setup', span }]
    : [];
  return {
    name: 'MyLayer',
    nameSpan: span,
    span,
    bases: [],
    methods: [],
    paramReads,
    paramKeys,
    evalCalls: [],
  };
}

const marked = (text: string, d: { start: number; end: number }) => text.slice(d.start, d.end);

test('Python literals: dicts, tuples, sets, True/False/None, trailing commas, adjacent strings', () => {
  const r = parseParamStr("{'a': (1, 2,), 'b': True, 'c': None, 'd': {1, 2}, 'e': 'x' \"y\",}", 'python');
  assert.deepEqual(r.problems, []);
  assert.equal(toPython(r.value!), "{'a': (1, 2), 'b': True, 'c': None, 'd': {1, 2}, 'e': 'xy'}");
  assert.equal(toPython(parseParamStr('1, 2', 'python').value!), '(1, 2)');
  assert.equal(toPython(parseParamStr('(3,)', 'python').value!), '(3,)');
  assert.equal(toPython(parseParamStr('-2.5e-3', 'python').value!), '-2.5e-3');
});

test('Python literal errors: names, unclosed brackets, leading zeros, nesting limit', () => {
  assert.match(parseParamStr("{'a': true}", 'python').problems[0].message, /Python writes True/);
  assert.deepEqual(
    parseParamStr("{'a': [1, 2}", 'python').problems.map((p) => [p.start, p.end]),
    [[11, 12]],
  );
  assert.deepEqual(
    parseParamStr("{'a': 1", 'python').problems.map((p) => [p.start, p.end]),
    [[7, 7]],
  );
  assert.match(parseParamStr('007', 'python').problems[0].message, /Leading zeros/);
  assert.match(
    parseParamStr('['.repeat(200) + ']'.repeat(200), 'python').problems[0].message,
    /Nested deeper/,
  );
  assert.match(parseParamStr("'abc", 'python').problems[0].message, /not closed/);
  assert.match(parseParamStr("__import__('os')", 'python').problems[0].message, /is a name, not a literal/);
});

test('strict JSON rejects what Python accepts', () => {
  assert.deepEqual(parseParamStr('{"a": 1, "b": [true, null]}', 'json').problems, []);
  assert.match(parseParamStr('{"a": 1,}', 'json').problems[0].message, /trailing comma/);
  assert.match(parseParamStr("{'a': 1}", 'json').problems[0].message, /double quotes/);
  assert.match(parseParamStr('{"a": True}', 'json').problems[0].message, /JSON writes true/);
  assert.match(parseParamStr('{"a": 01}', 'json').problems[0].message, /leading zeros/);
  assert.match(parseParamStr('"\\q"', 'json').problems[0].message, /not a JSON escape/);
});

test('YAML 1.1 with !!python/tuple and yes/no booleans; errors keep their offsets', () => {
  const r = parseParamStr("{scales: !!python/tuple [8, 16], flip: yes, 'feat_stride': 16}", 'yaml');
  assert.deepEqual(r.problems, []);
  assert.equal(toPython(r.value!), "{'scales': (8, 16), 'flip': True, 'feat_stride': 16}");
  const bad = parseParamStr('{a: [1, 2}', 'yaml');
  assert.equal(bad.value, undefined);
  assert.ok(bad.problems[0].start >= 9 && bad.problems[0].start <= 10);
});

test("JSON read after the class's .replace(\"'\", '\"') takes single quotes; problems stay on the text as written", () => {
  // DistillingCaffe's bcflayer.py: json.loads(self.param_str_.replace("'", '"')).
  const { node, text } = stringOf(`"{'source': 'train.bcf', 'batch_size': 32, 'mirror': True}"`);
  const keys: [string, boolean][] = [
    ['source', true],
    ['batch_size', true],
  ];
  const plain = checkParamStr(node, cls('json', keys), 'auto').diagnostics;
  assert.match(plain[0]?.message ?? '', /double quotes/);
  const replacing = cls('json', keys);
  replacing.paramReads[0].replaces = [["'", '"']];
  const [problem, ...rest] = checkParamStr(node, replacing, 'auto').diagnostics;
  // Python's True is still no JSON, and is placed where it is written.
  assert.equal(rest.length, 0);
  assert.equal(problem?.code, 'param-str-syntax');
  assert.equal(marked(text, problem), 'True');
  // A replacement that changes the length is not made (offsets would move).
  const longer = cls('json', keys);
  longer.paramReads[0].replaces = [["'", '\\"']];
  assert.match(checkParamStr(node, longer, 'auto').diagnostics[0]?.message ?? '', /double quotes/);
});

test('YAML read by yaml.safe_load: a !!python/ tag is an error at the tagged value, as SafeLoader refuses it', () => {
  const { node, text } = stringOf(`"{scales: !!python/tuple [8, 16], feat_stride: 16}"`);
  const keys: [string, boolean][] = [
    ['scales', true],
    ['feat_stride', true],
  ];
  const safe = cls('yaml', keys);
  safe.paramReads[0].callee = 'yaml.safe_load';
  const [refused] = checkParamStr(node, safe, 'auto').diagnostics;
  assert.equal(refused.code, 'param-str-syntax');
  assert.equal(refused.severity, 'error');
  assert.equal(
    refused.message,
    'param_str: yaml.safe_load() has no constructor for the tag !!python/tuple, so Caffe stops at setup with a ' +
      'ConstructorError; write the value without the tag, or read it with Loader=yaml.FullLoader. (the class ' +
      'reads it as YAML (yaml.safe_load))',
  );
  assert.match(marked(text, refused), /^(!!python\/tuple )?\[8, 16\]$/);
  // yaml.load (the full loader) reads it.
  assert.deepEqual(checkParamStr(node, cls('yaml', keys), 'auto').diagnostics, []);
  assert.deepEqual(parseParamStr('{a: [1, 2]}', 'yaml', undefined, true).problems, []);
});

test('split, float, int and auto', () => {
  assert.equal(toPython(parseParamStr('a, b,c', 'csv', ',').value!), "['a', ' b', 'c']");
  assert.equal(toPython(parseParamStr(' a  b ', 'csv').value!), "['a', 'b']");
  assert.deepEqual(parseParamStr(' 0.5 ', 'float').problems, []);
  assert.deepEqual(
    parseParamStr('abc', 'float').problems.map((p) => [p.start, p.end]),
    [[0, 3]],
  );
  assert.equal(parseParamStr('1.5', 'int').problems.length, 1);
  assert.equal(parseParamStr('{"a": 1}', 'auto').syntax, 'json');
  assert.equal(parseParamStr("{'a': (1,)}", 'auto').syntax, 'python');
  assert.equal(parseParamStr('a: 1', 'auto').syntax, 'yaml');
});

test('syntax errors land inside the literal, through escapes', () => {
  // The decoded string is {'a': [1, 2}; the source writes the quotes as \' escapes.
  const { node, text } = stringOf(`"{\\'a\\': [1, 2}"`);
  const check = checkParamStr(node, cls('literal_eval', [['a', true]]), 'auto');
  assert.equal(check.diagnostics.length, 1);
  assert.equal(marked(text, check.diagnostics[0]), '}');
  assert.match(check.diagnostics[0].message, /Python literal/);
  // Unexpected end: the closing quote is marked.
  const end = stringOf(`"{'a': 1"`);
  const d = checkParamStr(end.node, cls('eval', []), 'auto').diagnostics[0];
  assert.equal(end.text.slice(d.start, d.end), '"');
  assert.equal(d.start, end.text.lastIndexOf('"'));
});

test('ranges across adjacent literals stay inside one piece', () => {
  const { node, text } = stringOf(`"ab" "cd"`);
  assert.equal(marked(text, sourceRange(node, 1, 2)), 'b');
  assert.equal(marked(text, sourceRange(node, 2, 4)), 'cd');
  assert.equal(marked(text, sourceRange(node, 0, 2)), 'ab');
});

test('keys: missing required key is an error, unknown key a warning on the key with a suggestion', () => {
  const { node, text } = stringOf(`"{'feat_strid': 16, 'scales': [8]}"`);
  const c = cls('yaml', [
    ['feat_stride', true],
    ['scales', false],
  ]);
  const ds = checkParamStr(node, c, 'auto').diagnostics;
  const missing = ds.find((d) => d.code === 'param-str-missing-key')!;
  assert.equal(missing.severity, 'error');
  assert.match(missing.message, /'feat_stride'/);
  const unknown = ds.find((d) => d.code === 'param-str-unknown-key')!;
  assert.equal(unknown.severity, 'warning');
  assert.equal(marked(text, unknown), "'feat_strid'");
  assert.deepEqual(unknown.suggestions, ['feat_stride']);
});

test('the class format wins over the setting; unknown class uses the setting', () => {
  const { node } = stringOf(`"{'a': 1}"`);
  assert.equal(checkParamStr(node, cls('json', []), 'python').diagnostics[0].code, 'param-str-syntax');
  assert.equal(checkParamStr(node, undefined, 'python').diagnostics.length, 0);
  assert.equal(checkParamStr(node, undefined, 'json').diagnostics.length, 1);
});

test('printers rewrite a value into each format', () => {
  const v = parseParamStr("{'a': (1, 2), 'b': None, 'c': 'x y'}", 'python').value!;
  assert.equal(toJson(v), '{"a": [1, 2], "b": null, "c": "x y"}');
  assert.equal(toYaml(v), '{a: !!python/tuple [1, 2], b: null, c: "x y"}');
  assert.deepEqual(parseParamStr(toYaml(v), 'yaml').problems, []);
  assert.equal(toPython(parseParamStr(toYaml(v), 'yaml').value!), toPython(v));
});

test('deeply nested YAML is refused before the recursive parser sees it, at the level that is too deep', () => {
  const blockSeq = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}- `).join('\n');
  const blockMap = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1';
  for (const text of ['['.repeat(1000), '{'.repeat(1000), '- '.repeat(1000), blockSeq, blockMap]) {
    const r = parseParamStr(text, 'yaml');
    assert.equal(r.value, undefined);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /nested deeper than 64 levels/);
    assert.ok(r.problems[0].start < 2300, `placed near the start, at ${r.problems[0].start}`);
    // `auto` tries YAML last and must survive too.
    assert.ok(parseParamStr(text, 'auto').problems.length > 0);
  }
});

test('YAML nested up to the limit still parses, whatever the brackets inside strings and comments', () => {
  const flow = '['.repeat(60) + '1' + ']'.repeat(60);
  assert.deepEqual(parseParamStr(flow, 'yaml').problems, []);
  const block = Array.from({ length: 40 }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n') + ' 1';
  assert.deepEqual(parseParamStr(block, 'yaml').problems, []);
  const quoted = `a: "${'['.repeat(200)}"\nb: '${'{'.repeat(200)}'\nc: x[[[[ # ${'['.repeat(200)}\nd: 1`;
  const r = parseParamStr(quoted, 'yaml');
  assert.deepEqual(r.problems, []);
  assert.equal(r.value?.kind, 'dict');
});
