import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeModule } from '../../../../server/src/python/analyze-module';
import type { ClassInfo, ModuleInfo, PySpan } from '../../../../server/src/python/module-info';
import { createPythonParser } from '../../../../server/src/python/parser';

const parserReady = createPythonParser();
const FILE = path.resolve('/ws/pkg/layers.py');

async function analyze(source: string, file = FILE): Promise<ModuleInfo> {
  return analyzeModule(source, file, await parserReady);
}

function only(info: ModuleInfo, name: string): ClassInfo {
  const c = info.classes.find((k) => k.name === name);
  assert.ok(c, `class ${name} not found in ${info.classes.map((k) => k.name).join(', ')}`);
  return c;
}

const textOf = (source: string, s: PySpan) => source.slice(s.start, s.end);

test('every caffe import form resolves the base to caffe.Layer', async () => {
  const cases = [
    'import caffe\nclass A(caffe.Layer): pass\n',
    'import caffe as c\nclass A(c.Layer): pass\n',
    'from caffe import Layer\nclass A(Layer): pass\n',
    'from caffe import Layer as L\nclass A(L): pass\n',
    'from caffe import *\nclass A(Layer): pass\n',
  ];
  for (const src of cases) {
    const base = only(await analyze(src), 'A').bases[0];
    assert.equal(base.resolved.kind, 'imported', src);
    if (base.resolved.kind === 'imported') assert.equal(base.resolved.qualified, 'caffe.Layer', src);
  }
});

test('import bindings record module, level, name, alias and local name', async () => {
  const src = [
    'import os.path',
    'import numpy as np, yaml',
    'from ..rpn.proposal_layer import ProposalLayer as PL',
    'from . import base',
    'from .base import *',
  ].join('\n');
  const imports = (await analyze(src)).imports.map(({ kind, module, level, name, alias, local }) => ({
    kind,
    module,
    level,
    name,
    alias,
    local,
  }));
  assert.deepEqual(imports, [
    { kind: 'import', module: 'os.path', level: 0, name: undefined, alias: undefined, local: 'os' },
    { kind: 'import', module: 'numpy', level: 0, name: undefined, alias: 'np', local: 'np' },
    { kind: 'import', module: 'yaml', level: 0, name: undefined, alias: undefined, local: 'yaml' },
    { kind: 'from', module: 'rpn.proposal_layer', level: 2, name: 'ProposalLayer', alias: 'PL', local: 'PL' },
    { kind: 'from', module: '', level: 1, name: 'base', alias: undefined, local: 'base' },
    { kind: 'from', module: 'base', level: 1, name: '*', alias: undefined, local: undefined },
  ]);
});

test('imports that importing the module may skip or survive are marked conditional', async () => {
  const src = [
    'import always',
    'with open("x") as f:',
    '    import in_with',
    'try:',
    '    import cPickle as pickle',
    'except ImportError:',
    '    import pickle',
    'try:',
    '    import in_try_catching_other',
    'except KeyError:',
    '    pass',
    'try:',
    '    import in_bare_try',
    'except:',
    '    pass',
    'if sys.version_info[0] == 2:',
    '    import in_if',
    'else:',
    '    import in_else',
    "if __name__ == '__main__':",
    '    import only_as_script',
  ].join('\n');
  const marked = (await analyze(src)).imports.map((b) => `${b.module}${b.conditional ? ' ?' : ''}`);
  assert.deepEqual(marked, [
    'always',
    'in_with',
    'cPickle ?',
    'pickle ?',
    'in_try_catching_other',
    'in_bare_try ?',
    'in_if ?',
    'in_else ?',
    'only_as_script ?',
  ]);
});
test('bases resolve through relative, absolute and local names', async () => {
  const src = [
    'from ..rpn.proposal_layer import ProposalLayer as PL',
    'from . import base',
    'import lib.layers',
    'class Local(PL): pass',
    'class A(base.BaseLayer): pass',
    'class B(lib.layers.Thing): pass',
    'class C(Local, metaclass=Meta): pass',
    'class D(unknown_name): pass',
    'class E(make_base()): pass',
  ].join('\n');
  const info = await analyze(src);
  const q = (n: string) => {
    const r = only(info, n).bases[0].resolved;
    return r.kind === 'imported'
      ? `${r.module}|${r.name}|${r.level}`
      : `${r.kind}:${'name' in r ? r.name : r.text}`;
  };
  assert.equal(q('Local'), 'rpn.proposal_layer|ProposalLayer|2');
  assert.equal(q('A'), 'base|BaseLayer|1');
  assert.equal(q('B'), 'lib.layers|Thing|0');
  assert.equal(q('C'), 'local:Local');
  assert.equal(only(info, 'C').bases.length, 1, 'keyword arguments are not bases');
  assert.equal(q('D'), 'unresolved:unknown_name');
  assert.equal(q('E'), 'unresolved:make_base()');
});

test('class and method ranges: offsets and 0-based positions', async () => {
  const src =
    'import caffe\n\n@register\nclass Foo(caffe.Layer):\n    @staticmethod\n    def backward(self, top, propagate_down, bottom):\n        pass\n';
  const info = await analyze(src);
  const foo = only(info, 'Foo');
  assert.equal(textOf(src, foo.nameSpan), 'Foo');
  assert.deepEqual(foo.nameSpan.range, { start: { line: 3, character: 6 }, end: { line: 3, character: 9 } });
  assert.ok(textOf(src, foo.span).startsWith('@register\nclass Foo'));
  const back = foo.methods[0];
  assert.equal(back.name, 'backward');
  assert.deepEqual(back.parameters, ['self', 'top', 'propagate_down', 'bottom']);
  assert.equal(textOf(src, back.signatureSpan), 'def backward(self, top, propagate_down, bottom)');
  assert.equal(textOf(src, back.parametersSpan), '(self, top, propagate_down, bottom)');
  assert.ok(textOf(src, back.span).startsWith('@staticmethod'));
  assert.deepEqual(back.nameSpan.range.start, { line: 5, character: 8 });
});

test('parameter names of every parameter form', async () => {
  const src =
    'class A:\n    def f(self, a, b=1, *args, c: int, d: int = 2, e=3, /, **kw): pass\n    async def g(self, *, k): pass\n';
  const info = await analyze(src);
  const [f, g] = only(info, 'A').methods;
  assert.deepEqual(f.parameters, ['self', 'a', 'b', '*args', 'c', 'd', 'e', '**kw']);
  assert.deepEqual(g.parameters, ['self', 'k']);
});

test('every loader of param_str is recognised with its format', async () => {
  const cases: [string, string, string][] = [
    ['import json', 'p = json.loads(self.param_str)', 'json'],
    ['import yaml', 'p = yaml.load(self.param_str)', 'yaml'],
    ['import yaml', 'p = yaml.safe_load(self.param_str, )', 'yaml'],
    ['import yaml', 'p = yaml.full_load(self.param_str)', 'yaml'],
    ['from yaml import safe_load', 'p = safe_load(self.param_str)', 'yaml'],
    ['import json as js', 'p = js.loads(self.param_str)', 'json'],
    ['', 'p = eval(self.param_str)', 'eval'],
    ['import ast', 'p = ast.literal_eval(self.param_str)', 'literal_eval'],
    ['from ast import literal_eval', 'p = literal_eval(self.param_str)', 'literal_eval'],
    ['', 'p = float(self.param_str)', 'float'],
    ['', 'p = int(self.param_str)', 'int'],
    ['', 'p = self.param_str.split(",")', 'split'],
    ['import json', 'p = json.loads(self.param_str.replace("\'", \'"\'))', 'json'],
  ];
  for (const [imp, line, format] of cases) {
    const src = `${imp}\nclass A(object):\n    def setup(self, bottom, top):\n        ${line}\n`;
    const reads = only(await analyze(src), 'A').paramReads;
    assert.equal(reads.length, 1, line);
    assert.equal(reads[0].format, format, line);
    assert.equal(reads[0].attribute, 'param_str', line);
    assert.equal(reads[0].method, 'setup', line);
    assert.equal(reads[0].holder, 'p', line);
  }
});

test('param_str_ (older attribute), local alias, split separators, and a raw read', async () => {
  const src = [
    'import yaml',
    'class A:',
    '    def setup(self, bottom, top):',
    '        layer_params = yaml.load(self.param_str_)',
    'class B:',
    '    def setup(self, bottom, top):',
    '        s = self.param_str',
    '        self.cfg = yaml.safe_load(s)',
    'class C:',
    '    def setup(self, bottom, top):',
    "        a, b = self.param_str.split(';')",
    '        words = self.param_str.split()',
    'class D:',
    '    def setup(self, bottom, top):',
    '        self.name = self.param_str',
  ].join('\n');
  const info = await analyze(src);
  const a = only(info, 'A').paramReads[0];
  assert.equal(a.attribute, 'param_str_');
  assert.equal(a.callee, 'yaml.load');
  const b = only(info, 'B').paramReads[0];
  assert.equal(b.format, 'yaml');
  assert.equal(b.holder, 'self.cfg');
  const c = only(info, 'C');
  assert.deepEqual(
    c.paramReads.map((r) => [r.format, r.separator, r.holder]),
    [
      ['split', ';', undefined],
      ['split', undefined, 'words'],
    ],
  );
  assert.deepEqual(
    c.paramKeys.map((k) => [k.name, k.required, k.accesses[0].access]),
    [
      ['0', true, 'index'],
      ['1', true, 'index'],
    ],
  );
  const d = only(info, 'D').paramReads;
  assert.deepEqual(
    d.map((r) => [r.format, r.method]),
    [['raw', 'setup']],
  );
});

test('keys: subscripts, get with defaults, in-checks, across methods through self attributes', async () => {
  const src = [
    'import yaml',
    'class A:',
    '    def setup(self, bottom, top):',
    '        layer_params = yaml.load(self.param_str_)',
    "        self._feat_stride = layer_params['feat_stride']",
    "        scales = layer_params.get('scales', (8, 16, 32))",
    "        ratios = layer_params.get('ratios')",
    "        if 'border' in layer_params:",
    "            self.border = layer_params['border']",
    "        layer_params['written'] = 1",
    '        self.opts = yaml.load(self.param_str_)',
    "        first = yaml.load(self.param_str_)['first']",
    '    def forward(self, bottom, top):',
    "        n = self.opts['n']",
    "        if 'm' in self.opts.keys(): pass",
    "        x = layer_params['not_the_holder_here']",
    "        if self.opts.has_key('theta'): t = self.opts['theta']",
  ].join('\n');
  const info = await analyze(src);
  const keys = only(info, 'A').paramKeys;
  const summary = keys.map((k) => [k.name, k.required, k.default ?? null]);
  assert.deepEqual(summary, [
    ['feat_stride', true, null],
    ['scales', false, '(8, 16, 32)'],
    ['ratios', false, 'None'],
    ['border', false, null],
    ['first', true, null],
    ['n', true, null],
    ['m', false, null],
    // Python 2's has_key is a test as `in` is.
    ['theta', false, null],
  ]);
  const border = keys.find((k) => k.name === 'border');
  assert.deepEqual(
    border?.accesses.map((a) => a.access),
    ['in', 'subscript'],
  );
  const feat = keys[0].accesses[0];
  assert.equal(textOf(src, feat.span), "layer_params['feat_stride']");
  assert.equal(textOf(src, feat.keySpan), "'feat_stride'");
});

test('keys through a second name and through `or {}`', async () => {
  const src = [
    'import yaml',
    'class A:',
    '    def setup(self, bottom, top):',
    '        params = yaml.safe_load(self.param_str) or {}',
    '        self.params = params',
    "        self.a = params.get('a', 1)",
    '    def forward(self, bottom, top):',
    "        b = self.params['b']",
  ].join('\n');
  const a = only(await analyze(src), 'A');
  assert.equal(a.paramReads[0].holder, 'params');
  assert.deepEqual(
    a.paramKeys.map((k) => [k.name, k.required, k.default ?? null]),
    [
      ['a', false, '1'],
      ['b', true, null],
    ],
  );
});

test('a key read in a try that catches KeyError has a default; one the handler does not catch is required', async () => {
  const src = [
    'import yaml',
    'class A:',
    '    def setup(self, bottom, top):',
    '        p = yaml.safe_load(self.param_str)',
    '        try:',
    "            self.gt = p['gt_roi']",
    '        except KeyError:',
    '            self.gt = False',
    '        try:',
    "            self.s = p['scale']",
    '        except (ValueError, LookupError):',
    '            self.s = 1',
    '        try:',
    "            self.n = p['num_classes']",
    '        except ValueError:',
    '            self.n = 2',
    '        try:',
    '            pass',
    '        except:',
    "            self.m = p['mode']",
  ].join('\n');
  const a = only(await analyze(src), 'A');
  assert.deepEqual(
    a.paramKeys.map((k) => [k.name, k.required]),
    [
      ['gt_roi', false],
      ['scale', false],
      ['num_classes', true],
      ['mode', true],
    ],
  );
});

test('parameters handed to a call, iterated or returned: the keys read may be more than the class shows', async () => {
  const open = async (...body: string[]) => {
    const src = ['import json', 'class A:', '    def setup(self, bottom, top):', ...body].join('\n');
    return only(await analyze(src), 'A').keysOpen === true;
  };
  const read = "        self.params = json.loads(self.param_str)\n        self.n = self.params['n']";
  // DSRG's BatchLoader(params), a facial-landmark net's BatchReader(**self.params), a setattr loop.
  assert.equal(
    await open('        params = json.loads(self.param_str)', '        self.loader = Loader(params)'),
    true,
  );
  assert.equal(await open(read, '        self.reader = Reader(cfg=1, **self.params)'), true);
  assert.equal(await open(read, '        self.t = make(self, options=self.params)'), true);
  assert.equal(
    await open(read, '        for k, v in self.params.items():', '            setattr(self, k, v)'),
    true,
  );
  assert.equal(await open(read, '        for k in self.params:', '            pass'), true);
  assert.equal(await open(read, '        keys = [k for k in self.params]'), true);
  assert.equal(await open(read, '        return self.params'), true);
  assert.equal(await open('        self.loader = Loader(json.loads(self.param_str))'), true);
  // Key reads, key tests, printing and measuring leave the keys as the class shows them.
  assert.equal(
    await open(
      read,
      "        self.m = self.params.get('m', 2)",
      "        if 'x' in self.params.keys() or self.params.has_key('y'):",
      '            print(self.params, len(self.params))',
      "        self.params.update({'z': 1})",
      "        self.w = Loader(self.params['w'])",
      "        for s in self.params['sizes']:",
      '            pass',
    ),
    false,
  );
});

test("parameters handed to the module's own functions and classes are followed to the keys they read", async () => {
  const src = [
    'import caffe',
    'def check_params(params):',
    "    assert 'split' in params.keys()",
    '    for r in REQUIRED:',
    '        assert r in params.keys()',
    '    check_params(params)',
    'class L(caffe.Layer):',
    '    def setup(self, bottom, top):',
    '        params = eval(self.param_str)',
    '        check_params(params)',
    "        self.batch_size = params['batch_size']",
    '        self.batch_loader = BatchLoader(params, None)',
    '        self.r = Reader(1, **params)',
    '        self.load(params)',
    '        if self.phase == 0:',
    '            self.t = Later(params)',
    '        Tr.check_params(params)',
    '        self.t = Tr.make(params)',
    '        self.check(params)',
    '    def load(self, p):',
    "        self.q = p['from_load']",
    '    @staticmethod',
    '    def check(p):',
    "        assert p['own_static']",
    'class BatchLoader(object):',
    '    def __init__(self, params, result):',
    '        self.params = params',
    "        list_file = params['split'] + '.txt'",
    '    def more(self):',
    "        return self.params.get('extra', 3)",
    'class Reader:',
    "    def __init__(self, first, batch_size, root='.', *, mode='a', **rest):",
    "        self.x = rest['deep']",
    'class Tr:',
    '    @staticmethod',
    '    def check_params(params):',
    "        assert 'static_key' in params",
    '    @classmethod',
    '    def make(cls, params):',
    "        return cls(params['cls_key'])",
    'class Later:',
    '    def __init__(self, p):',
    "        self.x = deeper(p['later'])",
  ].join('\n');
  const a = only(await analyze(src), 'L');
  assert.equal(a.keysOpen, undefined);
  assert.deepEqual(
    a.paramKeys.map((k) => [k.name, k.required, k.default]),
    [
      ['split', false, undefined],
      ['batch_size', true, undefined],
      ['from_load', true, undefined],
      ['own_static', true, undefined],
      ['extra', false, '3'],
      ['root', false, "'.'"],
      ['mode', false, "'a'"],
      ['deep', true, undefined],
      ['static_key', false, undefined],
      ['cls_key', true, undefined],
      ['later', false, undefined],
    ],
  );
  // A splat's key is read where the parameter is named.
  const batch = a.paramKeys.find((k) => k.name === 'batch_size');
  assert.deepEqual(
    batch?.accesses.map((x) => textOf(src, x.keySpan)),
    ["'batch_size'", 'batch_size'],
  );
  // Where they cannot be followed, the keys read may be more than the module shows.
  const open = async (...lines: string[]) => {
    const text = [
      'import json',
      'def f(a, *rest): print(a)',
      'class K: pass',
      'class A:',
      '    def setup(self, bottom, top):',
      '        params = json.loads(self.param_str)',
      ...lines,
    ].join('\n');
    return only(await analyze(text), 'A').keysOpen === true;
  };
  assert.equal(await open('        f(1, params)'), true);
  assert.equal(await open('        f(*params)'), true);
  assert.equal(await open('        f(b=params)'), true);
  assert.equal(await open('        K(params)'), true);
  assert.equal(await open('        self.nothing(params)'), true);
  assert.equal(await open('        imported.Loader(params)'), true);
  assert.equal(await open('        f(params)'), false);
  assert.equal(await open('        f(a=params)'), false);
});

test('.replace calls on param_str before it is parsed are recorded in the order they run', async () => {
  const src = [
    'import json',
    'class A:',
    '    def setup(self, bottom, top):',
    '        p = json.loads(self.param_str_.replace("\'", \'"\').strip().replace("(", "["))',
    'class B:',
    '    def setup(self, bottom, top):',
    "        p = json.loads(self.param_str.replace(old, '\"'))",
  ].join('\n');
  const info = await analyze(src);
  assert.deepEqual(only(info, 'A').paramReads[0]?.replaces, [
    ["'", '"'],
    ['(', '['],
  ]);
  assert.equal(only(info, 'B').paramReads[0]?.replaces, undefined);
});

test('eval(self.param_str) calls are recorded, literal_eval ones are not', async () => {
  const src = [
    'import ast',
    'class A:',
    '    def setup(self, bottom, top):',
    '        params = eval(self.param_str)',
    "        self.seed = params.get('seed', 1337)",
    '    def reshape(self, bottom, top):',
    '        again = ast.literal_eval(self.param_str)',
  ].join('\n');
  const a = only(await analyze(src), 'A');
  assert.deepEqual(
    a.evalCalls.map((s) => textOf(src, s)),
    ['eval(self.param_str)'],
  );
  assert.deepEqual(a.evalCalls[0].range.start, { line: 3, character: 17 });
});

test('sys.path additions are resolved to absolute folders', async () => {
  const file = path.resolve('/repo/tools/_init_paths.py');
  const src = [
    'import os, sys',
    'import os.path as osp',
    'from os.path import join, dirname, abspath',
    'from pathlib import Path',
    'def add_path(path):',
    '    if path not in sys.path:',
    '        sys.path.insert(0, path)',
    'this_dir = osp.dirname(__file__)',
    "add_path(osp.join(this_dir, '..', 'lib'))",
    "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'caffe', 'python'))",
    "sys.path.append(join(dirname(abspath(__file__)), 'utils'))",
    "sys.path.append('../../python')",
    "sys.path.append('/opt/caffe/python')",
    "sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'third'))",
    "sys.path.append(this_dir + '/plugins')",
    'sys.path.append(os.environ["CAFFE_ROOT"])',
    // An imported module's helper adds; a method of some object (a data-set lister) does not.
    'import _init_paths',
    "_init_paths.add_path('../extra')",
    "lister.add_path('../images', '../labels')",
    "self.add_path('../images')",
  ].join('\n');
  const entries = (await analyze(src, file)).sysPath;
  assert.deepEqual(
    entries.map((e) => [e.via, e.folder]),
    [
      ['sys.path.insert', undefined],
      ['add_path', path.resolve('/repo/lib')],
      ['sys.path.insert', path.resolve('/repo/caffe/python')],
      ['sys.path.append', path.resolve('/repo/tools/utils')],
      ['sys.path.append', path.resolve('/python')],
      ['sys.path.append', path.resolve('/opt/caffe/python')],
      ['sys.path.insert', path.resolve('/repo/third')],
      ['sys.path.append', path.resolve('/repo/tools/plugins')],
      ['sys.path.append', undefined],
      ['add_path', path.resolve('/repo/extra')],
    ],
  );
  assert.equal(entries[1].argument, "osp.join(this_dir, '..', 'lib')");
});

test('a sys.path entry that starts with ~ is marked, unless os.path.expanduser expands it', async () => {
  const file = path.resolve('/repo/tools/eval.py');
  const src = [
    'import os, sys',
    "sys.path.append('~/caffe/python')",
    "sys.path.insert(0, os.path.join('~', 'caffe', 'python'))",
    "sys.path.insert(0, os.path.expanduser('~/caffe/python'))",
    "sys.path.append('/opt/~/python')",
  ].join('\n');
  const entries = (await analyze(src, file)).sysPath;
  assert.deepEqual(
    entries.map((e) => (e.tilde ? textOf(src, e.tilde) : undefined)),
    ["'~/caffe/python'", "os.path.join('~', 'caffe', 'python')", undefined, undefined],
  );
  // Python itself looks for a folder named ~ beside where it runs, as the folder says.
  assert.equal(entries[0].folder, path.resolve('/repo/tools/~/caffe/python'));
});

test('a variable is read as it was when the call ran', async () => {
  const file = path.resolve('/repo/scripts/run.py');
  const src = "import sys\np = '/first'\nsys.path.append(p)\np = '/second'\nsys.path.append(p)\n";
  const folders = (await analyze(src, file)).sysPath.map((e) => e.folder);
  assert.deepEqual(folders, [path.resolve('/first'), path.resolve('/second')]);
});

test('a file with syntax errors still yields the classes around the errors', async () => {
  const src = [
    'import caffe',
    'class Good(caffe.Layer):',
    '    def setup(self, bottom, top):',
    "        self.k = eval(self.param_str)['k']",
    'def broken(:',
    '    return )',
    'class After(caffe.Layer):',
    '    def forward(self, bottom, top): pass',
  ].join('\n');
  const info = await analyze(src);
  assert.equal(info.failure, undefined);
  assert.ok(info.syntaxErrors.length > 0);
  assert.deepEqual(
    info.classes.map((c) => c.name),
    ['Good', 'After'],
  );
  assert.deepEqual(
    only(info, 'Good').paramKeys.map((k) => k.name),
    ['k'],
  );
});

test('any input gives a ModuleInfo without throwing', async () => {
  const parser = await parserReady;
  for (const src of [
    '',
    '\0\0\0',
    'class',
    'class (',
    'def f(self',
    '"""',
    'import',
    'from . import',
    '\uFEFFx=1',
  ]) {
    const info = analyzeModule(src, FILE, parser);
    assert.equal(info.file, FILE);
  }
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      const info = analyzeModule(s, FILE, parser);
      return Array.isArray(info.classes) && Array.isArray(info.syntaxErrors);
    }),
    { numRuns: 200 },
  );
  const pieces = [
    'class A(caffe.Layer):\n',
    '  def setup(self, b, t):\n',
    '    p = yaml.load(self.param_str)\n',
  ];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pieces, "p['k']", '(', ')', ':', '\n', ' '), { maxLength: 30 }),
      (parts) => {
        const info = analyzeModule(parts.join(''), FILE, parser);
        return info.failure === undefined;
      },
    ),
    { numRuns: 200 },
  );
});

test('positions count UTF-16 code units after non-ASCII text', async () => {
  const src = '# é 😀 ünïcode\nimport caffe\nclass Ä(caffe.Layer): pass\n';
  const cls = (await analyze(src)).classes[0];
  assert.equal(cls.name, 'Ä');
  assert.equal(textOf(src, cls.nameSpan), 'Ä');
  assert.deepEqual(cls.nameSpan.range.start, { line: 2, character: 6 });
});

test('__all__: the names a literal list or tuple gives, the last assignment winning; none when computed', async () => {
  assert.deepEqual((await analyze('__all__ = [\'A\', "B"]\nclass A: pass\n')).publicNames, ['A', 'B']);
  assert.deepEqual((await analyze("__all__ = ['A']\nif True:\n    __all__ = ('C',)\n")).publicNames, ['C']);
  assert.equal((await analyze("__all__ = [n for n in dir() if n[0] != '_']\n")).publicNames, undefined);
  assert.equal((await analyze("__all__ = ['A', name]\n")).publicNames, undefined);
  assert.equal((await analyze('class A: pass\n')).publicNames, undefined);
  // Inside a function it binds a local, not the module's list.
  assert.equal((await analyze("def f():\n    __all__ = ['A']\n")).publicNames, undefined);
});

test("a method's use of its tops: only the parameter itself counts, not its name in strings, comments or other names", async () => {
  const topUse = async (body: string, params = 'self, bottom, top') => {
    // Text before the method that is not ASCII keeps the places the name is found at honest.
    const src = `# é 中文 😀\nclass L(object):\n    def reshape(${params}):\n        ${body}\n`;
    return only(await analyze(src), 'L').methods.find((m) => m.name === 'reshape')?.topUse;
  };
  assert.equal(await topUse('top[0].reshape(1, 2)'), 'reshapes');
  assert.equal(
    await topUse('x = "top[0].reshape(1)"  # top[0].reshape(2)\n        top[0].data[...] = 0'),
    'indexes',
  );
  assert.equal(
    await topUse('self.top = 1\n        f(top=2)\n        topé = 3\n        top_blob = 4'),
    'none',
  );
  assert.equal(await topUse('n = len(top)\n        y = f"{top[0].data}"'), 'indexes');
  assert.equal(await topUse('helper(top)'), 'other');
  assert.equal(await topUse('outs[0].reshape(1)', 'self, ins, outs'), 'reshapes');
  assert.equal(await topUse('for t in top:\n            t.reshape(1)'), 'other');
  assert.equal(await topUse('pass', 'self, bottom, *top'), undefined);
});

test("a key tested as a one-item list (`['k'] in params.keys()`) guards the read it comes with", async () => {
  const src = [
    'import caffe, yaml',
    'class A(caffe.Layer):',
    '    def setup(self, bottom, top):',
    '        p = yaml.safe_load(self.param_str)',
    "        if ['class_list'] in p.keys():",
    "            self.c = p['class_list']",
    '        else:',
    '            self.c = None',
    "        if ['a', 'b'] in p:",
    "            self.n = p['num']",
  ].join('\n');
  const a = only(await analyze(src), 'A');
  assert.deepEqual(
    a.paramKeys.map((k) => [k.name, k.required]),
    [
      ['class_list', false],
      ['num', true],
    ],
  );
});
