// A data reader's transformation fields in its own block (`data_param { crop_size }`): a current
// `layer { }` never reads them (BVLC's readers take scale, mean_file, crop_size and mirror from
// transform_param alone; WindowData still reads its own scale), while Caffe's upgrade moves a V1
// layer's into transform_param. The check, the shapes that follow from it, and the quick fix.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNet } from '../../../../../server/src/analysis/model/net';
import { inferShapes } from '../../../../../server/src/analysis/shapes';
import { parse } from '../../../../../server/src/parser/parse';
import { loadBundledSchema } from '../../../../../server/src/schema/bundled';
import { quickFixAt } from '../../../../helpers/quick-fix';
import { check } from './helpers';

const schema = loadBundledSchema();

const reader = (type: string, block: string, own: string, transform = '') =>
  `layer { name: "d" type: "${type}" top: "data" top: "label"${transform}\n  ${block} { source: "s" batch_size: 2 ${own} }\n}\n`;

/** "line:column code" of each problem, and of each of `names` on the text's second line. */
function placed(text: string, names: readonly string[]) {
  const second = text.split('\n')[1];
  return {
    found: check(text).map((f) => `${f.at} ${f.severity} ${f.code}`),
    expected: names.map((n) => `2:${second.indexOf(n) + 1} warning reader-transform`),
  };
}

test('transformation fields in a current reader block are not read: one warning each, on its name', () => {
  const data = reader('Data', 'data_param', 'scale: 0.5 mean_file: "m" crop_size: 3 mirror: true');
  const all = placed(data, ['scale', 'mean_file', 'crop_size', 'mirror']);
  assert.deepEqual(all.found, all.expected);
  assert.equal(
    check(data)[2].message,
    'crop_size in data_param is not read: the Data layer takes it from transform_param (Caffe moves it there when it upgrades a V1 net, not in a layer { }). Write it in transform_param.',
  );
  const image = placed(reader('ImageData', 'image_data_param', 'mirror: true new_height: 8 new_width: 8'), [
    'mirror',
  ]);
  assert.deepEqual(image.found, image.expected);
  // WindowData reads its own scale.
  const window = placed(reader('WindowData', 'window_data_param', 'scale: 0.5 crop_size: 3'), ['crop_size']);
  assert.deepEqual(window.found, window.expected);
});

test('a field transform_param sets too: the message says that value is the one used', () => {
  const found = check(reader('Data', 'data_param', 'crop_size: 3', ' transform_param { crop_size: 5 }'));
  assert.equal(found.length, 1);
  assert.match(found[0].message, /transform_param sets crop_size already, and that is the value used\.$/);
});

test("a V1 reader's fields are moved by Caffe's upgrade: not reported, and its crop gives the shape", () => {
  const v1 = (own: string, transform = '') =>
    `layers { name: "d" type: DATA top: "data" top: "label"${transform} data_param { source: "s" batch_size: 2 ${own} } }\n`;
  assert.deepEqual(
    check(v1('crop_size: 3 mirror: true')).map((f) => f.code),
    ['deprecated-format'],
  );
  const shape = (text: string) =>
    inferShapes(buildNet(parse(text), schema), 'TEST', schema).blobs.get('data');
  // [batch, channels (from the database), crop, crop]
  const cropped = shape(v1('crop_size: 3'));
  assert.deepEqual([cropped?.[0], cropped?.[2], cropped?.[3]], [2, 3, 3]);
  // The upgrade writes the data_param value over transform_param's.
  assert.equal(shape(v1('crop_size: 3', ' transform_param { crop_size: 5 }'))?.[2], 3);
  // A current layer crops by transform_param alone.
  const current = (own: string, transform = '') => shape(reader('Data', 'data_param', own, transform));
  assert.equal(current('crop_size: 3', ' transform_param { crop_size: 5 }')?.[2], 5);
  const uncropped = current('crop_size: 3')?.[2];
  assert.notEqual(uncropped, 3);
});

function fixOf(marked: string): string | undefined {
  const fix = quickFixAt(marked, (title) => title.endsWith('into transform_param'));
  return fix && `${fix.title}\n${fix.text}`;
}

test('the quick fix moves the fields into transform_param, laid out as the block around them', () => {
  // A new block after the reader's, on lines of its own.
  assert.equal(
    fixOf(
      'layer {\n  name: "d"\n  type: "Data"\n  data_param {\n    source: "s"\n    crop<|>_size: 3\n    mirror: true\n  }\n}\n',
    ),
    'Move crop_size, mirror into transform_param\n' +
      'layer {\n  name: "d"\n  type: "Data"\n  data_param {\n    source: "s"\n  }\n  transform_param {\n    crop_size: 3\n    mirror: true\n  }\n}\n',
  );
  // Into the existing one, after its last field.
  assert.equal(
    fixOf(
      'layer {\n  name: "d"\n  type: "Data"\n  transform_param {\n    scale: 0.5\n  }\n  data_param {\n    source: "s"\n    mir<|>ror: true\n  }\n}\n',
    ),
    'Move mirror into transform_param\n' +
      'layer {\n  name: "d"\n  type: "Data"\n  transform_param {\n    scale: 0.5\n    mirror: true\n  }\n  data_param {\n    source: "s"\n  }\n}\n',
  );
  // One line stays one line.
  assert.equal(
    fixOf('layer { name: "d" type: "Data" data_param { source: "s" crop<|>_size: 3 } }\n'),
    'Move crop_size into transform_param\n' +
      'layer { name: "d" type: "Data" data_param { source: "s" } transform_param { crop_size: 3 } }\n',
  );
  // What transform_param sets already stays (and with nothing else to move, no fix).
  assert.equal(
    fixOf(
      'layer { name: "d" type: "Data" transform_param { crop_size: 5 } data_param { source: "s" crop<|>_size: 3 } }\n',
    ),
    undefined,
  );
});
