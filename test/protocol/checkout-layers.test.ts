// A net checked against the caffe.proto of a Caffe checkout: the layer types the checkout's sources
// register decide the diagnostics, the type's hover says where it is registered and its definition
// opens that line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { writeCheckout } from '../helpers/caffe-checkout';
import { completionLabels, definitionTargets, fileUri, startServer } from '../helpers/lsp-client';

const NET = `name: "n"
layer { name: "c" type: "CenterLoss" top: "a" }
layer { name: "s" type: "Sparsify" bottom: "a" top: "b" }
layer { name: "r" type: "ReLU" bottom: "b" top: "b" }
`;

test("the checkout's registered layer types: diagnostics, hover and definition", async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-layers-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const centerLoss = writeCheckout(root, ['CenterLoss']).get('CenterLoss') as string;
  fs.appendFileSync(centerLoss, 'int n = this->layer_param_.center_loss_param().num_output();\n');
  // The checkout's ReLU class is in a file none of BVLC's versions of relu_layer.cpp.
  const relu = path.join(root, 'src', 'caffe', 'layers', 'relu_layer.cpp');
  fs.writeFileSync(relu, 'INSTANTIATE_CLASS(ReLULayer);\n');
  const include = path.join(root, 'include', 'caffe', 'layers');
  fs.mkdirSync(include, { recursive: true });
  fs.writeFileSync(
    path.join(include, 'center_loss_layer.hpp'),
    'class CenterLossLayer : public Layer<Dtype> {\n  virtual inline int ExactNumBottomBlobs() const { return 2; }\n  virtual inline int ExactNumTopBlobs() const { return 1; }\n};\n',
  );
  const netPath = path.join(root, 'models', 'net.prototxt');
  fs.mkdirSync(path.dirname(netPath));
  fs.writeFileSync(netPath, NET);

  const s = await startServer({ rootPath: root });
  t.after(() => s.stop());
  const uri = fileUri(netPath);
  s.open(uri, NET);
  const diagnostics = await s.diagnostics(uri);
  const types = diagnostics.filter((d) => String(d.code).includes('layer-type'));
  assert.deepEqual(
    types.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [['layer-type-not-registered', 2, 24]],
  );
  assert.match(types[0].message as string, /^Unknown layer type: Sparsify: the Caffe checkout at /);

  const position = { line: 1, character: 30 };
  const hover = (await s.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position,
  })) as Hover;
  const value = (hover.contents as MarkupContent).value;
  // What the checkout's class declares, with where it is registered.
  assert.match(value, /^2 bottoms; 1 top\.$/m);
  assert.match(value, /^Parameters: `center_loss_param`$/m);
  assert.ok(
    value.includes(`Registered in [src/caffe/layers/centerloss_layer.cpp:3](${fileUri(centerLoss)}#L3).`),
    value,
  );
  assert.doesNotMatch(value, /This checkout changed/);
  const reluHover = (await s.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 3, character: 26 },
  })) as Hover;
  assert.ok(
    (reluHover.contents as MarkupContent).value.includes(
      `This checkout changed ReLU: [src/caffe/layers/relu_layer.cpp](${fileUri(relu)}) is none of BVLC's ` +
        "versions, so the shapes inferred from BVLC's ReLU may not be this Caffe's, and shape errors after it are warnings.",
    ),
    (reluHover.contents as MarkupContent).value,
  );
  assert.deepEqual(await definitionTargets(s, uri, position), [[fileUri(centerLoss), 2]]);
  // Completion of a type offers exactly what the checkout registers.
  const labels = (await completionLabels(s, uri, { line: 2, character: 27 })).sort();
  assert.deepEqual(labels, ['CenterLoss', 'Convolution', 'InnerProduct', 'Pooling', 'ReLU', 'Softmax']);
});
