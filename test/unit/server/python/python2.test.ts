import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import * as path from 'node:path';
import { analyzeModule } from '../../../../server/src/python/analyze-module';
import { createPythonParser } from '../../../../server/src/python/parser';
import type { Python2Construct } from '../../../../server/src/python/module-info';
import { python3Error, stopsImport } from '../../../../server/src/python/python2-names';
import { SYSTEM_PYTHON, needs } from '../../../helpers/resources';

const parserReady = createPythonParser();
const FILE = path.resolve('/ws/layer.py');

async function constructs(source: string): Promise<Python2Construct[]> {
  return analyzeModule(source, FILE, await parserReady).python2 ?? [];
}

/** The exception Python 3 stops `source` with ('' when it runs through). */
function python3Raises(source: string): string {
  const script =
    'import sys\ntry:\n    exec(compile(sys.stdin.read(), "layer.py", "exec"), {})\nexcept BaseException as e:\n    print(type(e).__name__)\n';
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script], { input: source, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout.trim();
}

/** Python 3's own verdict: whether it compiles `source`. */
function python3Compiles(source: string): boolean {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "layer.py", "exec")'], {
    input: source,
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && !/SyntaxError/.test(r.stderr)) throw new Error(r.stderr);
  return r.status === 0;
}

/** Each Python 2 line alone (with what it needs around it), its kind, and its Python 3 text. */
const CASES: [string, string, string | undefined][] = [
  ["print 'a', x", 'print', "print('a', x)"],
  ['print "a",', 'print', `print("a", end=' ')`],
  ["print 'a' % (1,)", 'print', "print('a' % (1,))"],
  ['print >>sys.stderr, "err"', 'print-chevron', 'print("err", file=sys.stderr)'],
  ['print >>f', 'print-chevron', 'print(file=f)'],
  ['exec code', 'exec', 'exec(code)'],
  ['exec code in g, l', 'exec', 'exec(code, g, l)'],
  ['x = `y + 1`', 'backquote', 'repr(y + 1)'],
  ['t = a <> b', 'not-equal', '!='],
  ['n = 10L', 'long', '10'],
  ['h = 0x1fL', 'long', '0x1f'],
  ['m = 0777', 'octal', '0o777'],
  ["s = ur'abc'", 'ur-string', undefined],
  ['raise ValueError, "bad"', 'raise-comma', 'raise ValueError("bad")'],
  ['raise E, (1, 2)', 'raise-comma', 'raise E(1, 2)'],
  ['raise E, "m", tb', 'raise-comma', 'raise E("m").with_traceback(tb)'],
  ['def f((a, b), c): pass', 'tuple-parameter', undefined],
  ['g = lambda (a, b): a', 'tuple-parameter', undefined],
];

/** Python 2 code that Python 3 compiles and that fails when it runs (at import for a module). */
const RUNTIME_CASES: [string, string, string | undefined, string][] = [
  ['import cPickle', 'module', 'pickle as cPickle', ''],
  ['import cPickle as pickle', 'module', 'pickle', ''],
  ['import os, cPickle', 'module', 'pickle as cPickle', ''],
  ['from Queue import Queue', 'module', 'queue', ''],
  ['from urlparse import urljoin', 'module', 'urllib.parse', ''],
  ['from StringIO import StringIO', 'module', undefined, ''],
  ['for i in xrange(3): pass', 'builtin', 'range', ''],
  ['ok = isinstance(s, basestring)', 'builtin', 'str', 's = "a"\n'],
  ['ok = isinstance(s, (str, unicode))', 'builtin', 'str', 's = "a"\n'],
  ['for k, v in d.iteritems(): pass', 'dict-method', 'items', 'd = {1: 2}\n'],
  ['if d.has_key(1): pass', 'dict-method', '1 in d', 'd = {1: 2}\n'],
  ['found = d.has_key(1)', 'dict-method', undefined, 'd = {1: 2}\n'],
  ['assert d.has_key(1)', 'dict-method', '1 in d', 'd = {1: 2}\n'],
  ['def f(): return d.has_key(1)\nf()', 'dict-method', '1 in d', 'd = {1: 2}\n'],
  ['if d.has_key(a or 1): pass', 'dict-method', '(a or 1) in d', 'd = {1: 2}\na = 0\n'],
  ['while not d.has_key(k if k else 1): break', 'dict-method', '(k if k else 1) in d', 'd = {1: 2}\nk = 0\n'],
  ['print >>sys.stderr, "err"', 'print-chevron', 'print("err", file=sys.stderr)', 'import sys\n'],
];

test('Python 2 code: each form found, with the Python 3 text that does the same', async () => {
  for (const [line, kind, python3] of CASES) {
    const found = await constructs(`${line}\n`);
    assert.equal(found.length, 1, line);
    assert.equal(found[0].kind, kind, line);
    assert.equal(found[0].python3, python3, line);
    assert.equal(found[0].span.range.start.line, 0);
  }
});

test('Python 2 modules, builtins and dict methods: found where they run, with their Python 3 form', async () => {
  for (const [line, kind, python3, prelude] of RUNTIME_CASES) {
    const found = await constructs(`${prelude}${line}\n`);
    assert.equal(found.length, 1, line);
    assert.equal(found[0].kind, kind, line);
    assert.equal(found[0].python3, python3, line);
  }
});

test("Python 3's own verdict on them: the error each stops with, and the Python 3 form runs", async (t) => {
  const { skip } = needs('python');
  if (skip) return t.skip(skip);
  for (const [line, kind, python3, prelude] of RUNTIME_CASES) {
    const source = `${prelude}${line}\n`;
    const found = (await constructs(source))[0];
    assert.equal(python3Raises(source), python3Error(found.kind), `${kind}: ${line}`);
    assert.equal(stopsImport(found.kind), kind === 'module', line);
    if (python3 !== undefined) {
      const fixed = source.slice(0, found.span.start) + python3 + source.slice(found.span.end);
      assert.equal(python3Raises(fixed), '', fixed);
      assert.deepEqual(await constructs(fixed), [], fixed);
    }
  }
});

test('what guards a Python 2 name keeps it quiet: try/except ImportError, a version test, a shim, a function', async () => {
  const source = [
    'import sys',
    'try:',
    '    import cPickle as pickle',
    'except ImportError:',
    '    import pickle',
    'if sys.version_info[0] == 2:',
    '    from StringIO import StringIO',
    'def load():',
    '    import cPickle',
    'from multiprocessing import Queue',
    'import queue',
    'from six.moves import xrange',
    'for i in xrange(3): pass',
    'self_range = obj.xrange(3)',
    'def unicode_name(unicode=1): pass',
    'd = {}',
    'it = d.items()',
    'import six',
    'for v in six.itervalues(d): pass',
    '',
  ].join('\n');
  assert.deepEqual(await constructs(source), []);
});

test('Python 3 code (and what only looks like Python 2) gives nothing', async () => {
  const source = [
    'import sys',
    'print("a", file=sys.stderr)',
    'print',
    'print(x), y',
    'print (x) % y',
    'print -1',
    'exec("x = 1", {})',
    'k = 0o777 + 0 + 00 + 0x1f + 0b101 + 1_000 + 0777j',
    's = r"a" + u"b" + b"c" + rb"d" + f"{x}"',
    'if a != b: pass',
    'try:',
    '    raise ValueError("bad") from None',
    'except (A, B) as e:',
    '    raise',
    'def f(a, b=(1, 2), *args, **kw): pass',
    'g = lambda a, b: (a, b)',
    '',
  ].join('\n');
  assert.deepEqual(await constructs(source), []);
});

test("Python 3's own verdict: each form stops the import but print >>f, and the Python 3 text compiles", async (t) => {
  const { skip } = needs('python');
  if (skip) return t.skip(skip);
  for (const [line, kind, python3] of CASES) {
    const found = (await constructs(`${line}\n`))[0];
    const stops = stopsImport(found.kind);
    assert.equal(python3Compiles(`${line}\n`), !stops, `${kind}: ${line}`);
    if (python3 !== undefined) {
      const fixed = line.slice(0, found.span.start) + python3 + line.slice(found.span.end);
      assert.ok(python3Compiles(`${fixed}\n`), `${kind}: ${fixed}`);
      assert.deepEqual(await constructs(`${fixed}\n`), [], fixed);
    }
  }
});

test('a real layer module: every print found in order, a multi-line one kept whole', async () => {
  const source = [
    'import caffe',
    'class L(caffe.Layer):',
    '    def setup(self, bottom, top):',
    "        print 'setting up'",
    '        if DEBUG:',
    "            print 'sizes: {}'.format(",
    '                self.sizes)',
    '    def forward(self, bottom, top):',
    '        print >>sys.stderr, top[0].data.shape',
    '',
  ].join('\n');
  const found = await constructs(source);
  assert.deepEqual(
    found.map((c) => [c.span.range.start.line, c.kind, c.python3]),
    [
      [3, 'print', "print('setting up')"],
      [5, 'print', "print('sizes: {}'.format(\n                self.sizes))"],
      [8, 'print-chevron', 'print(top[0].data.shape, file=sys.stderr)'],
    ],
  );
});

test('any text: the Python 2 forms found lie in it, in order, each once', async () => {
  const parser = await parserReady;
  const pieces = [
    "print 'a', x",
    'print >>f, ',
    'exec c in g',
    '`y`',
    ' <> ',
    '10L',
    '0777',
    "ur'é'",
    'raise E, v',
    'def f((a, b)): pass',
    'import cPickle',
    'from Queue import Queue',
    'xrange(3)',
    'd.iteritems()',
    'if d.has_key(k): pass',
    'try:',
    'except ImportError:',
    '    ',
    '\n',
    '(',
    ')',
    ',',
    '# print x\n',
    '"""print x"""',
    '😀',
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
      const source = parts.join('');
      const found = analyzeModule(source, FILE, parser).python2 ?? [];
      let last = -1;
      for (const c of found) {
        if (c.span.start < 0 || c.span.end > source.length || c.span.start > c.span.end) return false;
        if (c.span.start < last) return false;
        last = c.span.start;
      }
      return new Set(found.map((c) => `${c.kind}@${c.span.start}`)).size === found.length;
    }),
    { numRuns: 300 },
  );
});
