// CI formats of `check`: SARIF 2.1.0 validated against the OASIS schema (test/fixtures/sarif, the
// committee's published JSON schema), and GitHub Actions workflow commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { runCli } from '../../../../server/src/cli/commands';
import { repoRoot } from '../../../helpers/paths';
import { githubCommands } from '../../../../server/src/cli/report-formats';

const problems = path.join(repoRoot, 'test/fixtures/python-workspaces/problems');

async function run(cwd: string, ...argv: string[]) {
  let out = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: () => {}, cwd });
  return { code, out };
}

/**
 * The SARIF schema is written for JSON Schema draft-04, whose only difference that matters here is the
 * name of its `id` keyword: renamed to `$id` for Ajv's default draft. The formats it names are checked
 * with small checks of our own.
 */
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
  ) as Record<string, unknown>;
  const { id, $schema: draft04, ...rest } = schema;
  assert.equal(draft04, 'http://json-schema.org/draft-04/schema#');
  const ajv = new Ajv({ strict: false, allErrors: true });
  const isUri = (s: string) => URL.canParse(s);
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', (s: string) => isUri(s) || URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ ...rest, $id: String(id) });
}

test('--format sarif is a valid SARIF 2.1.0 log: one rule per code, levels, regions, relative URIs', async () => {
  const validate = sarifValidator();
  const { code, out } = await run(problems, 'check', '--root', '.', '--format', 'sarif', '.');
  assert.equal(code, 1);
  const log = JSON.parse(out) as {
    version: string;
    runs: {
      tool: { driver: { name: string; rules: { id: string }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string; uriBaseId?: string };
            region: { startLine: number; startColumn: number };
          };
        }[];
      }[];
    }[];
  };
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const [run0] = log.runs;
  assert.equal(run0.tool.driver.name, 'caffe-prototxt');
  assert.equal(run0.results.length, 7);
  for (const r of run0.results) assert.equal(run0.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  const missing = run0.results.find((r) => r.ruleId === 'param-str-missing-key');
  assert.equal(missing?.level, 'error');
  assert.deepEqual(missing?.locations[0].physicalLocation.artifactLocation, {
    uri: 'nets/train.prototxt',
    uriBaseId: '%SRCROOT%',
  });
  assert.equal(missing?.locations[0].physicalLocation.region.startLine, 6);
  assert.equal(run0.results.find((r) => r.ruleId === 'python-eval-param-str')?.level, 'warning');
  // The validator does check: a log without its version, or with a level SARIF lacks, is refused.
  assert.equal(validate({ ...log, version: undefined }), false);
  const badLevel = structuredClone(log);
  badLevel.runs[0].results[0].level = 'fatal';
  assert.equal(validate(badLevel), false);
});

test("a diagnostic's related places are in the JSON report and SARIF's relatedLocations", async () => {
  // Under the bundled schema, an SSD Permute layer's warning lists its permute_param as a related place.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caffe-related-'));
  try {
    writeFileSync(
      path.join(dir, 'net.prototxt'),
      'layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n' +
        'layer { name: "p" type: "Permute" bottom: "data" top: "p" permute_param { order: 0 order: 2 order: 3 order: 1 } }\n',
    );
    const json = await run(dir, 'check', '--root', '.', '--format', 'json', 'net.prototxt');
    const [report] = JSON.parse(json.out) as {
      diagnostics: { line: number; column: number; code: string; related?: unknown[] }[];
    }[];
    assert.deepEqual(
      report.diagnostics.map((d) => [d.line, d.column, d.code, d.related]),
      [
        [
          2,
          25,
          'unknown-layer-type',
          [{ line: 2, column: 59, message: '"permute_param" of LayerParameter is not in BVLC Caffe either' }],
        ],
      ],
    );
    const sarif = await run(dir, 'check', '--root', '.', '--format', 'sarif', 'net.prototxt');
    const log = JSON.parse(sarif.out) as {
      runs: {
        results: {
          relatedLocations?: {
            id: number;
            physicalLocation: {
              artifactLocation: { uri: string };
              region: { startLine: number; startColumn: number };
            };
            message: { text: string };
          }[];
        }[];
      }[];
    };
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const [related] = log.runs[0].results[0].relatedLocations ?? [];
    assert.equal(related?.id, 0);
    assert.equal(related?.physicalLocation.artifactLocation.uri, 'net.prototxt');
    assert.deepEqual(related?.physicalLocation.region, { startLine: 2, startColumn: 59 });
    assert.match(related?.message.text ?? '', /^"permute_param" of LayerParameter/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a clean run is a valid SARIF log with no results', async () => {
  const validate = sarifValidator();
  const { code, out } = await run(
    path.join(repoRoot, 'test/fixtures/check'),
    'check',
    '--format',
    'sarif',
    'bad/net.pt',
    'ok/net.prototxt',
  );
  assert.equal(code, 1);
  assert.ok(validate(JSON.parse(out)), JSON.stringify(validate.errors));
  const clean = await run(
    path.join(repoRoot, 'test/fixtures/check'),
    'check',
    '--format',
    'sarif',
    'ok/net.prototxt',
  );
  assert.equal(clean.code, 0);
  const log = JSON.parse(clean.out) as { runs: { results: unknown[] }[] };
  assert.ok(validate(log));
  assert.deepEqual(log.runs[0].results, []);
});

test('--format github: ::error / ::warning / ::notice with file, line, column and escaped text', async () => {
  const { out } = await run(problems, 'check', '--root', '.', '--format', 'github', 'nets/train.prototxt');
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(
    lines[0],
    "::error file=nets/train.prototxt,line=6,col=75,endLine=6,endColumn=87,title=param-str-missing-key::param_str lacks the key 'batch_size', which JsonDataLayer reads without a default.",
  );
  const info = await run(
    path.join(repoRoot, 'test/fixtures/check'),
    'check',
    '--format',
    'github',
    'ok/lenet_solver',
  );
  assert.match(
    info.out,
    /^::notice file=ok\/lenet_solver,line=3,col=1,.*title=deprecated-field::"solver_type" is deprecated/,
  );
  const pyWarning = await run(
    problems,
    'check',
    '--root',
    '.',
    '--format',
    'github',
    'layers/data_layers.py',
  );
  assert.match(
    pyWarning.out,
    /^::notice file=layers\/data_layers\.py,line=20,col=17,.*\n::warning file=layers\/data_layers\.py,line=31,col=7,/,
  );
});

test('workflow commands escape %, line breaks, and : and , in properties', () => {
  const line = githubCommands({
    path: 'a,b:c.prototxt',
    diagnostics: [
      {
        severity: 'hint',
        line: 1,
        column: 2,
        endLine: 3,
        endColumn: 4,
        code: 'x',
        message: '50% done\nnext: line',
      },
    ],
  });
  assert.equal(
    line,
    '::notice file=a%2Cb%3Ac.prototxt,line=1,col=2,endLine=3,endColumn=4,title=x::50%25 done%0Anext: line\n',
  );
});
