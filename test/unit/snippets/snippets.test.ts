// Every snippet body is well formed, Python bodies compile, Caffe's method signatures are right,
// and prototxt bodies parse and use field names of BVLC's caffe.proto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parsePrototxt } from 'prototxt-parser';
import { bodyText, parseBody, type SnippetEntry } from './snippet-body';
import { repoRoot } from '../../helpers/paths';
import { has } from '../../helpers/resources';

const bvlcProto = path.resolve(repoRoot, '../shared/corpus/schemas/bvlc/caffe.proto');
const python = '/usr/bin/python3';

function load(file: string): Record<string, SnippetEntry> {
  return JSON.parse(readFileSync(path.join(repoRoot, 'snippets', file), 'utf8')) as Record<
    string,
    SnippetEntry
  >;
}

function prefixes(entry: SnippetEntry): string[] {
  return Array.isArray(entry.prefix) ? entry.prefix : [entry.prefix];
}

const pySnippets = load('python.json');
const ptSnippets = load('prototxt.json');

test('snippet bodies parse, with tab stops numbered 1..n', () => {
  for (const [name, entry] of Object.entries({ ...pySnippets, ...ptSnippets })) {
    assert.ok(prefixes(entry).length > 0 && entry.description, `${name}: prefix and description`);
    const parsed = parseBody(bodyText(entry));
    assert.deepEqual(parsed.problems, [], name);
    assert.ok(
      parsed.tabStops.some((s) => s.index === 1),
      `${name}: has a first tab stop`,
    );
  }
});

test('the snippet body reader catches bad numbering and stray dollars', () => {
  assert.match(parseBody('a ${1:x} ${3:y}').problems.join(), /not numbered/);
  assert.match(parseBody('cost: $x').problems.join(), /neither a numbered tab stop/);
  assert.equal(parseBody('${1:a} ${2|P,Q|} $1 $0').text, 'a P a ');
  assert.equal(parseBody('x: "${3:$1}" ${1:conv}').text, 'x: "conv" conv');
});

const signatures: Record<string, string> = {
  setup: 'def setup(self, bottom, top):',
  reshape: 'def reshape(self, bottom, top):',
  forward: 'def forward(self, bottom, top):',
  backward: 'def backward(self, top, propagate_down, bottom):',
};

test('Python snippets use the signatures Caffe calls', () => {
  for (const method of Object.keys(signatures)) {
    const entry = Object.values(pySnippets).find((e) => prefixes(e).includes(method));
    assert.ok(entry, `a snippet with prefix "${method}"`);
  }
  let defs = 0;
  for (const [name, entry] of Object.entries(pySnippets)) {
    for (const m of parseBody(bodyText(entry)).text.matchAll(/def (setup|reshape|forward|backward)\(.*$/gm)) {
      assert.equal(m[0], signatures[m[1]], `${name}: ${m[1]} signature`);
      defs++;
    }
  }
  assert.ok(defs >= 4 + 4 * 4, `expected every layer method in the method and class snippets, saw ${defs}`);
  const readers = Object.values(pySnippets).map((e) => bodyText(e));
  for (const reader of [
    'json.loads(self.param_str',
    'yaml.safe_load(self.param_str',
    'ast.literal_eval(self.param_str',
  ]) {
    assert.ok(
      readers.some((b) => b.includes(reader)),
      `a layer class using ${reader}`,
    );
  }
  assert.ok(readers.some((b) => b.includes('self.blobs.add_blob(') && b.includes('self.blobs[0].diff')));
  assert.ok(!readers.some((b) => /\beval\(/.test(b.replace(/literal_eval\(/g, ''))), 'no eval()');
});

test('Python snippet bodies compile', (t) => {
  if (!has(t, 'python')) return;
  const sources = Object.entries(pySnippets).map(([name, entry]) => {
    const code = parseBody(bodyText(entry)).text.replace(/\t/g, '    ');
    // A method snippet is inserted inside a class body.
    const wrapped = code.startsWith('def ') ? `class _Host(object):\n${indent(code)}` : code;
    return { name, code: wrapped };
  });
  const check = [
    'import ast, json, sys',
    'bad = []',
    'for s in json.load(sys.stdin):',
    '    try:',
    '        ast.parse(s["code"])',
    '    except SyntaxError as e:',
    '        bad.append("%s: line %s: %s" % (s["name"], e.lineno, e.msg))',
    'print(json.dumps(bad))',
  ].join('\n');
  const run = spawnSync(python, ['-c', check], { input: JSON.stringify(sources), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), []);
  // The check itself rejects broken code.
  const broken = spawnSync(python, ['-c', check], {
    input: JSON.stringify([{ name: 'broken', code: 'def backward(self, top propagate_down):\n  pass' }]),
    encoding: 'utf8',
  });
  assert.equal((JSON.parse(broken.stdout) as string[]).length, 1);
});

function indent(code: string): string {
  return code
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}

const expectedLayerTypes = [
  'Python',
  'Input',
  'Data',
  'Convolution',
  'Pooling',
  'InnerProduct',
  'ReLU',
  'BatchNorm',
  'Scale',
  'SoftmaxWithLoss',
  'Accuracy',
];

test('prototxt snippets parse and cover the common layers and a solver', () => {
  const types = new Set<string>();
  for (const [name, entry] of Object.entries(ptSnippets)) {
    const text = parseBody(bodyText(entry)).text;
    assert.doesNotThrow(() => parsePrototxt(text), `${name} parses:\n${text}`);
    for (const m of text.matchAll(/type: "(\w+)"/g)) types.add(m[1]);
  }
  for (const t of expectedLayerTypes) assert.ok(types.has(t), `a snippet with a ${t} layer`);
  const solver = Object.values(ptSnippets).find((e) => prefixes(e).includes('solver'));
  assert.ok(solver && /^net: /m.test(parseBody(bodyText(solver)).text));
  const python = Object.values(ptSnippets).find((e) => bodyText(e).includes('"Python"'));
  for (const field of ['python_param', 'module:', 'layer:', 'param_str:', 'include', 'phase:']) {
    assert.ok(python && bodyText(python).includes(field), `Python layer snippet has ${field}`);
  }
});

test('prototxt snippets use field names declared in BVLC caffe.proto', (t) => {
  if (!has(t, 'corpus')) return;
  const declared = new Set(
    [
      ...readFileSync(bvlcProto, 'utf8').matchAll(
        /^\s*(?:optional|repeated|required)\s+[\w.]+\s+(\w+)\s*=/gm,
      ),
    ].map((m) => m[1]),
  );
  assert.ok(declared.has('convolution_param') && declared.has('num_output'));
  for (const [name, entry] of Object.entries(ptSnippets)) {
    const text = parseBody(bodyText(entry)).text;
    for (const m of text.matchAll(/(\w+)\s*(?::|\{)/g)) {
      assert.ok(declared.has(m[1]), `${name}: "${m[1]}" is a caffe.proto field`);
    }
  }
});
