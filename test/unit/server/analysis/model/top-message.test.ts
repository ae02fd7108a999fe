// Choosing the top message from content and from text-format header comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTopMessage } from '../../../../../server/src/analysis/model/top-message';
import { parse } from '../../../../../server/src/parser/parse';
import {
  loadBundledFork,
  loadBundledSchema,
  loadBundledSchemaWith,
} from '../../../../../server/src/schema/bundled';
import { readProto } from '../../../../../server/src/schema/proto-reader';
import { check, checkBundled, codes } from '../checks/helpers';

const schemas = [loadBundledSchema()];
const top = (text: string) => chooseTopMessage(parse(text), schemas);

test('nets, solvers (whatever the file name) and label maps from content', () => {
  assert.equal(top('name: "n"\nlayer { name: "a" }\n').name, 'caffe.NetParameter');
  assert.equal(top('net: "train.prototxt"\nbase_lr: 0.01\nsolver_mode: GPU\n').name, 'caffe.SolverParameter');
  assert.equal(
    top('test_iter: 10\nnet_param { name: "n" layer { name: "a" } }\n').name,
    'caffe.SolverParameter',
  );
  assert.equal(
    top('item { name: "none_of_the_above" label: 0 display_name: "background" }\n').name,
    'caffe.LabelMap',
  );
  assert.equal(top('').name, 'caffe.NetParameter');
});

test("a list of items whose fields fit a fork's other message better is read as that message", () => {
  // MobileNet-YOLO's caffe.proto adds YoloSegLabel beside SSD's LabelMap; its labelmap_seg.prototxt is one.
  const proto = `syntax = "proto2";
package caffe;
message YoloSegItem { optional string name = 1; optional int32 label_id = 2; optional int32 label = 3;
  optional int32 r = 4; optional int32 g = 5; optional int32 b = 6; }
message YoloSegLabel { repeated YoloSegItem item = 1; }
`;
  const ssd = loadBundledFork('ssd');
  assert.ok(ssd);
  // SSD's schema with the additions: both lists, as in MobileNet-YOLO's own caffe.proto.
  const fork = loadBundledSchemaWith(readProto(proto, '/w/caffe.proto').data, {
    kind: 'user',
    label: 'fork',
  });
  const withFork = (text: string) => chooseTopMessage(parse(text), [fork, ssd]).name;
  assert.equal(
    withFork('item { name: "road" label: 7 label_id: 0 r: 128 g: 64 b: 128 }\n'),
    'caffe.YoloSegLabel',
  );
  // SSD's fields: LabelMap, which also wins a tie (a name and a label only).
  assert.equal(withFork('item { name: "cat" label: 8 display_name: "cat" }\n'), 'caffe.LabelMap');
  assert.equal(withFork('item { name: "cat" label: 8 }\n'), 'caffe.LabelMap');
  // Checked as that message: r, g, b and label_id are its fields.
  assert.deepEqual(codes(check('item { name: "road" label: 7 label_id: 0 r: 128 }\n', { schema: fork })), []);
});

test('header comments name the message and the proto file', () => {
  const choice = top(
    '# proto-file: caffe/proto/caffe.proto\n# proto-message: caffe.SolverParameter\n\nname: "x"\n',
  );
  assert.equal(choice.name, 'caffe.SolverParameter');
  assert.equal(choice.source, 'header');
  assert.equal(choice.protoFile?.path, 'caffe/proto/caffe.proto');
  // So `name` is now unknown.
  const found = check('# proto-message: caffe.SolverParameter\nname: "x"\n');
  assert.deepEqual(codes(found), ['2:1 unknown-field']);
});

test('an unknown header message is an error on the header', () => {
  assert.deepEqual(codes(check('# proto-message: caffe.Nope\nname: "x"\n')), ['1:18 unknown-message']);
});

test('a label map under bundled BVLC is read with the SSD fork, with a warning', () => {
  const found = checkBundled('item {\n  name: "bg"\n  label: 0\n  display_name: "background"\n}\n');
  assert.deepEqual(codes(found), ['1:1 fork-field']);
  assert.match(
    found[0].message,
    /^Choose the SSD .*schema.*: message type "caffe.LabelMap" is not in BVLC Caffe\.$/,
  );
});
