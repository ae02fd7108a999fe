import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { analyzeModule } from '../../../../server/src/python/analyze-module';
import type { YamlLoadCall } from '../../../../server/src/python/module-info';
import { createPythonParser } from '../../../../server/src/python/parser';
import { SYSTEM_PYTHON, needs } from '../../../helpers/resources';

const parserReady = createPythonParser();
const FILE = path.resolve('/ws/layer.py');

async function calls(source: string): Promise<YamlLoadCall[]> {
  return analyzeModule(source, FILE, await parserReady).yamlLoads ?? [];
}

const text = (source: string, s: { start: number; end: number }) => source.slice(s.start, s.end);

test('yaml.load without a Loader, through every import form; with one, or another function: nothing', async () => {
  const source = [
    'import yaml',
    'import yaml as y',
    'from yaml import load',
    'a = yaml.load(self.param_str)',
    'b = y.load(self.param_str_,)',
    'c = load(s)',
    'd = yaml.load(s, Loader=yaml.FullLoader)',
    'e = yaml.load(s, yaml.SafeLoader)',
    'f = yaml.safe_load(s)',
    'g = json.load(f)',
    'h = yaml.load(**kw)',
    '# yaml.load(s) in a comment',
    '',
  ].join('\n');
  const found = await calls(source);
  assert.deepEqual(
    found.map((c) => [text(source, c.function), c.safeLoad, c.loaderText]),
    [
      ['yaml.load', 'yaml.safe_load', ', Loader=yaml.FullLoader'],
      ['y.load', 'y.safe_load', ' Loader=y.FullLoader'],
      ['load', undefined, undefined],
    ],
  );
});

test("PyYAML's own verdict: the call as written stops with a TypeError, each fix reads the YAML", async (t) => {
  const { skip } = needs('python-yaml');
  if (skip) return t.skip(skip);
  const source = "import yaml\nparams = yaml.load(\"{'num_classes': 21, 'scales': !!python/tuple [600]}\")\n";
  const run = (code: string) =>
    spawnSync(SYSTEM_PYTHON, ['-c', `${code}print(sorted(params.items()))`], { encoding: 'utf8' });
  const before = run(source);
  assert.match(before.stderr, /TypeError: load\(\) missing 1 required positional argument: 'Loader'/);
  const [call] = await calls(source);
  const withLoader =
    source.slice(0, call.loaderAt!.start) + call.loaderText! + source.slice(call.loaderAt!.start);
  const full = run(withLoader);
  assert.equal(full.stderr, '');
  assert.equal(full.stdout.trim(), "[('num_classes', 21), ('scales', (600,))]");
  // safe_load reads plain YAML (no python tags): py-faster-rcnn's param_str is that.
  const plain = source.replace(' !!python/tuple [600]', ' [600]');
  const [plainCall] = await calls(plain);
  const safe =
    plain.slice(0, plainCall.function.start) + plainCall.safeLoad! + plain.slice(plainCall.function.end);
  assert.equal(run(safe).stdout.trim(), "[('num_classes', 21), ('scales', [600])]");
});
