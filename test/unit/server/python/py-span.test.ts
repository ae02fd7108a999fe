import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModule } from '../../../../server/src/python/analyze-module';
import type { ModuleInfo } from '../../../../server/src/python/module-info';
import { createPythonParser } from '../../../../server/src/python/parser';
import { reviveModuleInfo, SourceSpan } from '../../../../server/src/python/py-span';
import { LineIndex } from '../../../../server/src/util/ranges';

const SOURCE = [
  'import sys, json',
  "sys.path.insert(0, 'lib')",
  'import caffe',
  'class A(caffe.Layer):',
  '    def setup(self, bottom, top):',
  '        p = json.loads(self.param_str)',
  "        self.k = p['k'], p.get('j', 2)",
  '        a, b = eval(self.param_str)',
  '    def forward(self, bottom, top):',
  '        pass',
  'class B(:',
  '',
].join('\n');

/** Every span of a ModuleInfo, with where it is, as offsets and LSP range. */
function spans(info: ModuleInfo): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (v instanceof SourceSpan) out.push(`${at} ${v.start}-${v.end} ${JSON.stringify(v.range)}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(info, '');
  return out;
}

test('a span keeps its offsets and both ends; its range is the LSP range of the offsets', () => {
  const text = 'ab\ncd\r\nef';
  const lines = new LineIndex(text);
  const s = new SourceSpan(1, 8, 0, 1, 2, 1);
  assert.deepEqual(s.range, lines.rangeOf(1, 8));
  assert.notEqual(s.range, s.range, 'each call makes its own range: a caller may change it');
  assert.equal(JSON.stringify({ s }), '{"s":[1,8,0,1,2,1]}');
});

test('an analysis sent as JSON and revived has the same spans, each a span again', async () => {
  const parser = await createPythonParser();
  try {
    const info = analyzeModule(SOURCE, '/ws/a.py', parser);
    const before = spans(info);
    // Imports, sys.path, the class, its base, methods, reads, keys, eval calls and a syntax error.
    for (const part of [
      '.imports',
      '.sysPath',
      '.bases',
      '.methods',
      '.paramReads',
      '.paramKeys',
      '.evalCalls',
      '.syntaxErrors',
    ])
      assert.ok(
        before.some((s) => s.includes(part)),
        `a span under ${part}`,
      );
    const copy = JSON.parse(JSON.stringify(info)) as ModuleInfo;
    assert.equal(reviveModuleInfo(copy), true);
    assert.deepEqual(spans(copy), before);
    assert.deepEqual(JSON.stringify(copy), JSON.stringify(info));
  } finally {
    parser.dispose();
  }
});

test('spans written out in full are read too; anything else is refused, not half read', () => {
  const full = (span: unknown): ModuleInfo => ({
    file: '/ws/a.py',
    imports: [],
    classes: [],
    sysPath: [],
    syntaxErrors: [span as SourceSpan],
  });
  const written = full({
    start: 3,
    end: 5,
    range: { start: { line: 0, character: 3 }, end: { line: 1, character: 0 } },
  });
  assert.equal(reviveModuleInfo(written), true);
  assert.ok(written.syntaxErrors[0] instanceof SourceSpan);
  assert.deepEqual(written.syntaxErrors[0].range, {
    start: { line: 0, character: 3 },
    end: { line: 1, character: 0 },
  });
  for (const bad of [[1, 2, 3], [1, 2, 3, 4, 5, '6'], { start: 1, end: 2 }, null, 'span', 7]) {
    assert.equal(reviveModuleInfo(full(bad)), false, JSON.stringify(bad));
  }
  const noList = { file: '/ws/a.py', imports: [], classes: [{}], sysPath: [], syntaxErrors: [] };
  assert.equal(reviveModuleInfo(noList as unknown as ModuleInfo), false);
});
