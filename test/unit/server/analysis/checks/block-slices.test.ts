// The block checks run a slice of blocks at a time give each check's problems in the order that
// running the check over every block gives: for any slice size, on every corpus file and mutant, under
// the bundled schema with its forks and under BVLC's as the user's; and an analysis made for one
// version (streamed as the resolver hands blocks over, with the checks of a solver's own fields)
// lists what one kept for the next version lists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../../../server/src/analysis/analyze';
import { BLOCK_CHECKS as BLOCK_SET, CHECKS } from '../../../../../server/src/analysis/checks/registry';
import { SlicedBlockChecks } from '../../../../../server/src/analysis/checks/block-slices';
import type { Check, CheckContext } from '../../../../../server/src/analysis/checks/context';
import type { AnalysisDiagnostic } from '../../../../../server/src/analysis/diagnostic';
import { resolveTree } from '../../../../../server/src/analysis/model/resolve';
import { chooseTopMessage } from '../../../../../server/src/analysis/model/top-message';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';
import { repoRoot } from '../../../../helpers/paths';
import { needs } from '../../../../helpers/resources';
import { listFiles } from '../../../../helpers/files';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const skip = needs('corpus');

/** The block checks, in the order the analysis runs them. */
const BLOCK_CHECKS: readonly Check[] = CHECKS.filter(([, check]) => BLOCK_SET.has(check)).map(
  ([, check]) => check,
);

function contextOf(text: string, bundled: boolean): CheckContext {
  const schema = loadBundledSchema();
  const forks = bundled ? bundledForkSchemas() : [];
  const ast = parse(text);
  const topMessage = chooseTopMessage(ast, [schema, ...forks.map((f) => f.schema)]);
  const resolved = resolveTree(ast, schema, schema.message(topMessage.name), forks);
  return {
    text,
    ast,
    schema,
    schemaKind: bundled ? 'bundled' : 'user',
    forks,
    topMessage,
    resolved,
    blocks: resolved.blocks,
    nets: [],
    allowLayerTypes: new Set(),
    report: () => {},
  };
}

/** The checks run through SlicedBlockChecks on `ctx.blocks`, `perSlice` blocks at a time. */
function runBlockChecksInSlices(
  ctx: CheckContext,
  checks: readonly Check[],
  perSlice: number,
): AnalysisDiagnostic[][] | undefined {
  const sliced = new SlicedBlockChecks(checks);
  for (let from = 0; from < ctx.blocks.length; from += perSlice)
    sliced.run(ctx, ctx.blocks.slice(from, from + perSlice));
  return sliced.found;
}

/** Each check over every block at once. */
function whole(ctx: CheckContext): AnalysisDiagnostic[][] {
  return BLOCK_CHECKS.map((check) => {
    const found: AnalysisDiagnostic[] = [];
    check({ ...ctx, report: (d) => found.push(d) });
    return found;
  });
}

test('any slice size gives each check its problems in whole-tree order', () => {
  const text = [
    'name: "n"',
    'layer { name: "a" type: "Convolution" bottom: "x" top: "y" convolution_param { num_output: -3 kernal_size: 3 num_output: 2 } }',
    'layer { name: "b" type: "ReLU" bottom: "y" top: "y" relu_param { negative_slope: "x" } blobs_lr: 1 }',
    'layer { name: "c" type: "Pooling" pooling_param { pool: AVERAGE pool: MAX pad_h: 1 } include { phase: TRAN } }',
    'layer { name: "d" type: "Data" data_param { backend: LMDB } transform_param { mean_value: 1 scale: true } }',
    'layers { name: "e" type: RELU bottom: "y" top: "z" bias_term: 1 }',
  ].join('\n');
  for (const bundled of [false, true]) {
    const ctx = contextOf(text, bundled);
    const expected = whole(ctx);
    assert.ok(expected.flat().length >= 6, 'the text has problems for several checks');
    for (const size of [1, 2, 3, 5, 128, 1_000_000]) {
      assert.deepEqual(runBlockChecksInSlices(ctx, BLOCK_CHECKS, size), expected, `slices of ${size}`);
    }
  }
});

test('every corpus file and mutant: sliced checks and the kept-for-next-version analysis agree', skip, () => {
  const files = [...listFiles(path.join(corpus, 'files')), ...listFiles(path.join(corpus, 'mutations'))];
  assert.ok(files.length > 100);
  const schema = loadBundledSchema();
  const forks = bundledForkSchemas();
  let problems = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const bundled of [false, true]) {
      const ctx = contextOf(text, bundled);
      const expected = whole(ctx);
      problems += expected.flat().length;
      assert.deepEqual(runBlockChecksInSlices(ctx, BLOCK_CHECKS, 3), expected, file);
      const options = { schema, schemaKind: bundled ? ('bundled' as const) : ('user' as const), forks };
      const once = analyze(text, parse(text), { ...options, keepForNextVersion: false });
      const kept = analyze(text, parse(text), options);
      assert.deepEqual(once.diagnostics, kept.diagnostics, file);
      // The one-version analysis kept no block; asked for its tree, it resolves it again, whole.
      assert.deepEqual(
        once.resolved.blocks.map((b) => [b.node, b.def]),
        kept.resolved.blocks.map((b) => [b.node, b.def]),
        file,
      );
    }
  }
  assert.ok(problems > 100, 'the corpus gives the block checks something to find');
});
