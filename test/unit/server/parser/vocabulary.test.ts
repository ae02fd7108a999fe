// The schemas' words that the parser's tables start with: every field name and enum value name of a
// schema once it is made, each word once however many schemas have it, and the same text back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { internalized, vocabulary } from '../../../../server/src/parser/vocabulary';
import { parse } from '../../../../server/src/parser/parse';
import { loadBundledFork, loadBundledSchema } from '../../../../server/src/schema/bundled';

test('a schema adds its field names and enum value names to the vocabulary, each word once', () => {
  const bvlc = loadBundledSchema();
  const words = new Set(vocabulary());
  for (const m of bvlc.messages) for (const f of m.fields) assert.ok(words.has(f.name), f.name);
  for (const e of bvlc.enums) for (const v of e.values) assert.ok(words.has(v.name), v.name);
  const before = vocabulary().length;
  loadBundledSchema();
  assert.equal(vocabulary().length, before, 'a second copy of a schema adds nothing');
  loadBundledFork('ssd');
  const after = vocabulary();
  assert.ok(after.includes('multibox_loss_param'), "a fork's own field");
  assert.equal(new Set(after).size, after.length);
});

test('internalized gives back the text it was given, and the words stay the texts parsed', () => {
  assert.equal(internalized('convolution_param'), 'convolution_param');
  assert.equal(internalized(`${'a'}b_${'c'}`), 'ab_c');
  loadBundledSchema();
  const doc = parse('layer { name: "c" type: "Convolution" convolution_param { num_output: 2 } }\n');
  const layer = doc.fields[0];
  assert.equal(layer.name, 'layer');
  assert.deepEqual(layer.value?.kind === 'message' ? layer.value.fields.map((f) => f.name) : [], [
    'name',
    'type',
    'convolution_param',
  ]);
});
