import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { schemaFacts } from '../../../../server/src/schema/facts';
import { readProto } from '../../../../server/src/schema/proto-reader';
import { Schema } from '../../../../server/src/schema/schema';
import { repoRoot } from '../../../helpers/paths';
import { needs } from '../../../helpers/resources';

const schemas = path.resolve(repoRoot, '../shared/corpus/schemas');
const skip = needs('corpus');

// Counts of messages and enums (nested ones included) in each fork's caffe.proto.
const COUNTS: Record<string, [number, number]> = {
  bvlc: [63, 26],
  ssd: [86, 36],
  fastrcnn: [59, 25],
  nvidia: [91, 47],
  ducha: [65, 28],
  sphereface: [62, 26],
  pspnet: [67, 29],
};

function read(name: string) {
  const file = path.join(schemas, name, 'caffe.proto');
  return readProto(fs.readFileSync(file, 'utf8'), file);
}

test('every corpus caffe.proto reads without errors, with the expected counts', skip, () => {
  for (const [name, [messages, enums]] of Object.entries(COUNTS)) {
    const { data, errors } = read(name);
    assert.deepEqual(errors, [], name);
    assert.equal(data.messages.length, messages, `${name} messages`);
    assert.equal(data.enums.length, enums, `${name} enums`);
    for (const m of data.messages) {
      for (const f of m.fields)
        assert.ok(f.kind === 'scalar' || f.type.startsWith('caffe.'), `${m.fullName}.${f.name}`);
    }
  }
});

test('BVLC spot checks', skip, () => {
  const s = new Schema(read('bvlc').data, { kind: 'user', label: 'bvlc' });
  const conv = s.field('caffe.LayerParameter', 'convolution_param');
  assert.deepEqual([conv?.number, conv?.kind, conv?.type], [106, 'message', 'caffe.ConvolutionParameter']);
  const pool = s.field('PoolingParameter', 'pool');
  assert.deepEqual(
    [pool?.default, pool?.kind, pool?.type],
    ['MAX', 'enum', 'caffe.PoolingParameter.PoolMethod'],
  );
  const solverType = s.field('SolverParameter', 'solver_type');
  // BVLC marks it deprecated only in a comment, not with [deprecated = true].
  assert.equal(solverType?.deprecated, undefined);
  assert.match(solverType?.doc ?? '', /DEPRECATED/);
  assert.equal(s.field('V1LayerParameter', 'type')?.type, 'caffe.V1LayerParameter.LayerType');
  assert.equal(s.field('FillerParameter', 'type')?.default, 'constant');
  assert.equal(s.field('NetParameter', 'layer')?.label, 'repeated');
  assert.ok(conv?.location && conv.location.line > 0);
});

test('fork spot checks', skip, () => {
  const ssd = new Schema(read('ssd').data, { kind: 'user', label: 'ssd' });
  assert.equal(ssd.field('LayerParameter', 'prior_box_param')?.type, 'caffe.PriorBoxParameter');
  assert.equal(ssd.field('MultiBoxLossParameter', 'code_type')?.type, 'caffe.PriorBoxParameter.CodeType');
  const frcnn = new Schema(read('fastrcnn').data, { kind: 'user', label: 'fastrcnn' });
  assert.equal(frcnn.field('LayerParameter', 'roi_pooling_param')?.type, 'caffe.ROIPoolingParameter');
  assert.equal(frcnn.field('LayerParameter', 'smooth_l1_loss_param')?.number, 8266712);
  const psp = new Schema(read('pspnet').data, { kind: 'user', label: 'pspnet' });
  assert.equal(psp.field('LayerParameter', 'interp_param')?.kind, 'message');
});

test('the committed generated JSON equals what the reader reads today', skip, () => {
  for (const name of Object.keys(COUNTS)) {
    const generated = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'server/src/schema/generated', `${name}.json`), 'utf8'),
    ) as Record<string, unknown>;
    assert.match(String((generated['$header'] as { generated?: string }).generated), /GENERATED/);
    const { $header: _header, ...data } = generated;
    assert.deepEqual(
      data,
      schemaFacts(read(name).data),
      `${name}.json is stale: run scripts/generate-schema.ts`,
    );
  }
});
