// The schema provider: configured path, discovered nearest proto, bundled fallback, mtime cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateSchemaFile } from '../../../../server/src/cli/check-schema';
import { SchemaProvider } from '../../../../server/src/workspace/schema-provider';
import { runCliIn } from '../../../helpers/run-cli';
import { tempDir } from '../../../helpers/temp-dir';

const PROTO = 'syntax = "proto2";\npackage caffe;\nmessage NetParameter { optional string name = 1; }\n';

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-provider-'));
  fs.mkdirSync(path.join(root, 'a/src/caffe/proto'), { recursive: true });
  fs.mkdirSync(path.join(root, 'b/src/caffe/proto'), { recursive: true });
  fs.mkdirSync(path.join(root, 'b/models'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a/src/caffe/proto/caffe.proto'), PROTO);
  fs.writeFileSync(path.join(root, 'b/src/caffe/proto/caffe.proto'), PROTO.replace('name', 'title'));
  return root;
}

test('the nearest discovered proto wins; without any, the bundled schema with its forks', () => {
  const root = workspace();
  try {
    const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [root]);
    assert.equal(provider.candidates().length, 2);
    const choice = provider.schemaFor(path.join(root, 'b/models/net.prototxt'));
    assert.equal(choice.origin, 'discovered');
    assert.equal(choice.kind, 'user');
    assert.equal(choice.path, path.join(root, 'b/src/caffe/proto/caffe.proto'));
    assert.ok(choice.schema.field('caffe.NetParameter', 'title'));
    const off = new SchemaProvider({ paths: [], autoDiscover: false }, [root]).schemaFor(
      path.join(root, 'b/x.prototxt'),
    );
    assert.equal(off.origin, 'bundled');
    assert.ok(off.forks.length >= 6);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("in a folder of clones, one clone's Caffe is not the schema of another clone's nets", () => {
  const root = workspace();
  try {
    fs.mkdirSync(path.join(root, 'c/models'), { recursive: true });
    const net = path.join(root, 'c/models/net.prototxt');
    assert.equal(
      new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net).origin,
      'discovered',
    );
    // Once c/ is a repository of its own (a clone), the checkouts beside it are its neighbours'.
    fs.mkdirSync(path.join(root, 'c/.git'));
    const choice = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net);
    assert.equal(choice.origin, 'bundled');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('configured paths: relative to a root, the first existing one; missing ones reported', () => {
  const root = workspace();
  try {
    const provider = new SchemaProvider(
      { paths: ['nope.proto', 'a/src/caffe/proto/caffe.proto'], autoDiscover: true },
      [root],
    );
    const choice = provider.schemaFor(path.join(root, 'b/models/net.prototxt'));
    assert.equal(choice.origin, 'configured');
    assert.ok(choice.schema.field('caffe.NetParameter', 'name'));
    assert.deepEqual(choice.problems, ['Schema path not found: nope.proto']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a schema shipped with the tool chosen by name is the schema in use; the order written decides', () => {
  const root = workspace();
  try {
    const net = path.join(root, 'b/models/net.prototxt');
    const rfcn = new SchemaProvider({ paths: ['bundled:nope', 'bundled:rfcn'], autoDiscover: true }, [
      root,
    ]).schemaFor(net);
    assert.deepEqual(
      [rfcn.origin, rfcn.kind, rfcn.setting, rfcn.forks.length],
      ['configured', 'user', 'bundled:rfcn', 0],
    );
    assert.ok(rfcn.schema.field('caffe.LayerParameter', 'psroi_pooling_param'));
    assert.match(
      rfcn.problems[0],
      /^No bundled schema is called bundled:nope: the bundled schemas are bundled:bvlc, bundled:ssd, .*bundled:rfcn, bundled:segnet, bundled:tsn, bundled:caffeonspark, bundled:deeplab, bundled:deconvnet, bundled:synopsys\.$/,
    );
    // A file written first wins over a bundled name written after it.
    const file = new SchemaProvider(
      { paths: ['a/src/caffe/proto/caffe.proto', 'bundled:ssd'], autoDiscover: false },
      [root],
    ).schemaFor(net);
    assert.equal(file.path, path.join(root, 'a/src/caffe/proto/caffe.proto'));
    const bvlc = new SchemaProvider({ paths: ['bundled:bvlc'], autoDiscover: true }, [root]).schemaFor(net);
    assert.deepEqual([bvlc.kind, bvlc.schema.source.label], ['user', 'BVLC Caffe (bundled)']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a proto is read again when it changes on disk, and its syntax errors are reported', () => {
  const root = workspace();
  try {
    const file = path.join(root, 'a/src/caffe/proto/caffe.proto');
    const provider = new SchemaProvider({ paths: [file], autoDiscover: false }, [root]);
    const first = provider.schemaFor(path.join(root, 'x.prototxt'));
    assert.equal(provider.schemaFor(path.join(root, 'y.prototxt')).schema, first.schema);
    fs.writeFileSync(file, PROTO.replace('name = 1;', 'name = ;\n  optional int32 extra = 2;'));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    const second = provider.schemaFor(path.join(root, 'x.prototxt'));
    assert.notEqual(second.schema, first.schema);
    assert.ok(second.problems.length > 0);
    assert.match(second.problems[0], /caffe\.proto:\d+:\d+: /);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a proto read by the CLI is adopted, not parsed again, until it changes on disk', () => {
  const root = workspace();
  try {
    const file = path.join(root, 'a/src/caffe/proto/caffe.proto');
    const valid = validateSchemaFile(file, 'caffe.proto');
    assert.ok(typeof valid !== 'string', String(valid));
    const provider = new SchemaProvider({ paths: [file], autoDiscover: false }, [root]);
    provider.adopt(file, valid.proto);
    const net = path.join(root, 'a/net.prototxt');
    assert.equal(provider.schemaFor(net).schema, valid.proto.schema, 'the schema read by the CLI');
    fs.writeFileSync(file, PROTO.replace('name', 'title = 2; optional string name'));
    const changed = provider.schemaFor(net).schema;
    assert.notEqual(changed, valid.proto.schema, 'read again once changed');
    assert.ok(changed.field('caffe.NetParameter', 'title'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

const ADDITIONS =
  'message LayerParameter {\n  optional AttentionParameter attention_param = 1001;\n}\nmessage AttentionParameter {\n  optional uint32 mask_height = 1;\n}\n';

/** A folder with ADDITIONS at Caffe's place and the path of a net in its models/ (not written). */
function additionsRepo(): { root: string; proto: string; net: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-provider-'));
  fs.mkdirSync(path.join(root, 'src/caffe/proto'), { recursive: true });
  fs.mkdirSync(path.join(root, 'models'), { recursive: true });
  const proto = path.join(root, 'src/caffe/proto/caffe.proto');
  fs.writeFileSync(proto, ADDITIONS);
  return { root, proto, net: path.join(root, 'models/net.prototxt') };
}

test('a proto of additions (no NetParameter) extends the bundled schema, forks still told; any other is passed over', () => {
  const { root, proto, net } = additionsRepo();
  try {
    const choice = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net);
    assert.equal(choice.origin, 'discovered');
    assert.equal(choice.kind, 'bundled');
    assert.equal(choice.path, proto);
    assert.ok(choice.forks.length >= 6);
    assert.ok(choice.schema.field('caffe.LayerParameter', 'attention_param'));
    assert.ok(choice.schema.field('caffe.LayerParameter', 'convolution_param'));
    assert.deepEqual(choice.problems, []);
    // Given with --schema, the same.
    const given = new SchemaProvider({ paths: [proto], autoDiscover: false }, [root]).schemaFor(net);
    assert.equal(given.origin, 'configured');
    assert.ok(given.schema.field('caffe.LayerParameter', 'attention_param'));
    // A proto of another package that defines no net is no schema of nets: the bundled one is used.
    fs.writeFileSync(proto, 'package other;\nmessage A { optional int32 x = 1; }\n');
    const other = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net);
    assert.equal(other.origin, 'bundled');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a proto of additions goes into the schema chosen with it, listed or discovered; made again when it changes', () => {
  const { root, proto, net } = additionsRepo();
  try {
    // Listed with a shipped fork, in either order: the fork with the additions, as the schema in use.
    for (const paths of [
      ['bundled:pspnet', 'src/caffe/proto/caffe.proto'],
      ['src/caffe/proto/caffe.proto', 'bundled:pspnet'],
    ]) {
      const provider = new SchemaProvider({ paths, autoDiscover: false }, [root]);
      const choice = provider.schemaFor(net);
      assert.deepEqual(
        [choice.origin, choice.kind, choice.setting, choice.forks.length, choice.problems],
        ['configured', 'user', 'bundled:pspnet', 0, []],
        paths.join(', '),
      );
      assert.ok(choice.schema.field('caffe.LayerParameter', 'attention_param'));
      assert.ok(choice.schema.field('caffe.LayerParameter', 'bn_param'), "the fork's own");
      assert.match(choice.schema.source.label, /with the additions of .*caffe\.proto$/);
      assert.equal(provider.schemaFor(net).schema, choice.schema, 'the same merge for every net');
    }
    // The repository's proto of additions is found and goes into the chosen fork too.
    const discovering = new SchemaProvider({ paths: ['bundled:pspnet'], autoDiscover: true }, [root]);
    const found = discovering.schemaFor(net);
    assert.ok(found.schema.field('caffe.LayerParameter', 'attention_param'));
    assert.ok(found.schema.field('caffe.LayerParameter', 'bn_param'));
    // Not when discovery is off.
    const off = new SchemaProvider({ paths: ['bundled:pspnet'], autoDiscover: false }, [root]).schemaFor(net);
    assert.equal(off.schema.field('caffe.LayerParameter', 'attention_param'), undefined);
    // Changed on disk: merged again, with the new field.
    fs.writeFileSync(proto, ADDITIONS.replace('mask_height', 'mask_width'));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(proto, later, later);
    const again = discovering.schemaFor(net);
    assert.notEqual(again.schema, found.schema);
    assert.ok(again.schema.field('caffe.AttentionParameter', 'mask_width'));
    // Into a proto of a net, configured: its fields and the additions'.
    const full = path.join(root, 'full.proto');
    fs.writeFileSync(full, PROTO);
    const user = new SchemaProvider({ paths: [full], autoDiscover: true }, [root]).schemaFor(net);
    assert.deepEqual([user.kind, user.path], ['user', full]);
    assert.ok(user.schema.field('caffe.NetParameter', 'name'));
    assert.ok(user.schema.field('caffe.LayerParameter', 'attention_param'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a repository's only proto of additions, kept apart from its nets, is their schema; a full proto there is not", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-provider-'));
  try {
    // layers/caffe.proto adds a new layer's field; the nets are in proto/.
    const repo = path.join(root, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'layers'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'proto'), { recursive: true });
    const additions = path.join(repo, 'layers/caffe.proto');
    fs.writeFileSync(additions, ADDITIONS);
    const net = path.join(repo, 'proto/net.prototxt');
    const choice = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net);
    assert.equal(choice.origin, 'discovered');
    assert.equal(choice.kind, 'bundled');
    assert.equal(choice.path, additions);
    assert.ok(choice.schema.field('caffe.LayerParameter', 'attention_param'));
    // Not for a net outside the repository.
    const outside = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(
      path.join(root, 'net.prototxt'),
    );
    assert.equal(outside.origin, 'bundled');
    // Two of them: which one the nets are built with is not known, so neither.
    fs.mkdirSync(path.join(repo, 'more'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'more/caffe.proto'), ADDITIONS.replace(/attention/g, 'focus'));
    const two = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net);
    assert.equal(two.origin, 'bundled');
    // A whole Caffe proto kept apart from the nets (another tool's copy) is not taken either.
    fs.rmSync(path.join(repo, 'more'), { recursive: true });
    fs.writeFileSync(additions, PROTO);
    const full = new SchemaProvider({ paths: [], autoDiscover: true }, [root]).schemaFor(net);
    assert.equal(full.origin, 'bundled');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a caffe.proto not at Caffe's place is the schema of the nets below its folder, in their repository only", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-provider-'));
  try {
    // A repository of new layers with its changed caffe.proto at the top, beside its nets.
    const repo = path.join(root, 'layers-repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'face'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'test/data'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'caffe.proto'), PROTO.replace('name', 'title'));
    // One in a test folder serves only the nets below it.
    fs.writeFileSync(path.join(repo, 'test/data/caffe.proto'), PROTO);
    const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [root]);
    for (const net of ['net.prototxt', 'face/net.prototxt']) {
      const choice = provider.schemaFor(path.join(repo, net));
      assert.equal(choice.path, path.join(repo, 'caffe.proto'), net);
      assert.equal(choice.kind, 'user');
    }
    assert.equal(
      provider.schemaFor(path.join(repo, 'test/data/n.prototxt')).path,
      path.join(repo, 'test/data/caffe.proto'),
    );
    // Not the schema of a neighbouring clone's nets, nor of a file above the repository.
    fs.mkdirSync(path.join(root, 'other/.git'), { recursive: true });
    assert.equal(provider.schemaFor(path.join(root, 'other/net.prototxt')).origin, 'bundled');
    assert.equal(provider.schemaFor(path.join(root, 'top.prototxt')).origin, 'bundled');
    // A Caffe checkout rooted in the same folder comes first.
    fs.mkdirSync(path.join(repo, 'src/caffe/proto'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'src/caffe/proto/caffe.proto'), PROTO);
    const again = new SchemaProvider({ paths: [], autoDiscover: true }, [root]);
    assert.equal(
      again.schemaFor(path.join(repo, 'net.prototxt')).path,
      path.join(repo, 'src/caffe/proto/caffe.proto'),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a field the bundled schema lacks and a whole proto of the repository defines: that proto is named', async () => {
  const repo = tempDir('schema-provider-elsewhere-');
  fs.mkdirSync(path.join(repo, '.git'));
  fs.mkdirSync(path.join(repo, 'forMobileUNet'));
  // A Caffe's proto kept apart from the nets (MobileNetv2's forMobileUNet/caffe.proto): not the schema.
  const proto =
    PROTO.replace(
      'optional string name = 1;',
      'optional string name = 1; repeated LayerParameter layer = 100;',
    ) +
    'message LayerParameter { optional string name = 1; optional string type = 2; ' +
    'optional TransformationParameter transform_param = 100; }\n' +
    'message TransformationParameter { optional float scale = 1; optional float max_rotation_angle = 20; optional bool mirrors = 21; }\n';
  fs.writeFileSync(path.join(repo, 'forMobileUNet/caffe.proto'), proto);
  fs.writeFileSync(
    path.join(repo, 'net.prototxt'),
    'layer { name: "d" type: "Input" top: "d" transform_param { max_rotation_angle: 10 max_rotatoin: 1 mirrors: true } }\n',
  );
  const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [repo]);
  assert.equal(provider.schemaFor(path.join(repo, 'net.prototxt')).origin, 'bundled');
  assert.deepEqual(
    provider.otherProtos(path.join(repo, 'net.prototxt')).map((p) => p.label),
    ['forMobileUNet/caffe.proto'],
  );
  const { out } = await runCliIn(repo, ['check', '--root', repo, 'net.prototxt']);
  const unknown = out.split('\n').filter((l) => l.includes('[unknown-field]'));
  assert.deepEqual(unknown, [
    'net.prototxt:1:60: warning: Message type "caffe.TransformationParameter" has no field named ' +
      '"max_rotation_angle". forMobileUNet/caffe.proto in this repository defines it: if the net is written ' +
      'for that Caffe, check it against that proto (prototxt.schema.paths or --schema). [unknown-field]',
    'net.prototxt:1:83: error: Message type "caffe.TransformationParameter" has no field named "max_rotatoin". [unknown-field]',
    // A look-alike of the schema in use is the likelier story, and is said instead.
    'net.prototxt:1:99: error: Message type "caffe.TransformationParameter" has no field named "mirrors". Did you mean "mirror"? [unknown-field]',
  ]);
});
