// Layer types the user's installed Caffe does not register (its pycaffe's caffe.layer_type_list()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BVLC_LAYER_TYPES } from '../../../../../server/src/schema/layer-types';
import { bundledForkSchemas } from '../../../../../server/src/workspace/bundled-choices';
import { featureInputFor } from '../../../../helpers/analyzed-document';
import { Analyses } from '../../../../../server/src/workspace/analyses';
import { DocumentStore } from '../../../../../server/src/documents';
import { check, codes } from './helpers';

const input =
  'layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n';
const python =
  'layer { name: "py" type: "Python" bottom: "data" top: "p" python_param { module: "m" layer: "L" } }\n';
/** A BVLC build without the Python layer, as `python3` imports it. */
const withoutPython = {
  types: new Set(BVLC_LAYER_TYPES.map((l) => l.type).filter((t) => t !== 'Python')),
  label: '/opt/py/bin/python3',
};

test('Python unregistered: Caffe run-time words, the interpreter, and the WITH_PYTHON_LAYER fix', () => {
  const found = check(input + python, { installedLayerTypes: withoutPython });
  assert.deepEqual(codes(found), ['2:26 layer-type-not-registered']);
  assert.equal(found[0].severity, 'warning');
  assert.match(
    found[0].message,
    /^Unknown layer type: Python: the Caffe that \/opt\/py\/bin\/python3 imports/,
  );
  assert.match(found[0].message, /WITH_PYTHON_LAYER := 1/);
  // With Python registered the same net is clean.
  const full = { types: new Set([...withoutPython.types, 'Python']), label: 'python3' };
  assert.deepEqual(codes(check(input + python, { installedLayerTypes: full })), []);
});

test('a fork type the installed Caffe lacks names the fork; one it registers is not unknown', () => {
  const net =
    input + 'layer { name: "z" type: "Interp" bottom: "data" top: "z" interp_param { zoom_factor: 2 } }\n';
  const forks = bundledForkSchemas();
  const lacking = check(net, { installedLayerTypes: withoutPython, schemaKind: 'bundled', forks });
  assert.deepEqual(codes(lacking, 'layer-type-not-registered', 'unknown-layer-type'), [
    '2:25 layer-type-not-registered',
  ]);
  assert.match(lacking[0].message, /^Unknown layer type: Interp: .* does not register it/);
  assert.match(lacking[0].message, /PSPNet \(hszhao\/PSPNet\) has it/);
  // A PSPNet build registers Interp: neither warning, although BVLC lacks the type.
  const pspnet = { types: new Set([...withoutPython.types, 'Interp']), label: 'python3' };
  const found = check(net, { installedLayerTypes: pspnet, schemaKind: 'bundled', forks });
  assert.deepEqual(codes(found, 'layer-type-not-registered', 'unknown-layer-type'), []);
});

test('a misspelt type gets did-you-mean from the registered types; the allow list still holds', () => {
  const net = input + 'layer { name: "c" type: "Convolutoin" bottom: "data" top: "c" }\n';
  const found = check(net, { installedLayerTypes: withoutPython });
  assert.deepEqual(codes(found), ['2:25 layer-type-not-registered']);
  assert.equal(found[0].suggestions?.[0], '"Convolution"');
  assert.match(found[0].message, /prototxt\.layerTypes\.allow/);
  const plugin = input + 'layer { name: "c" type: "MyPlugin" bottom: "data" top: "c" }\n';
  const allowed = check(plugin, { installedLayerTypes: withoutPython, allowLayerTypes: ['MyPlugin'] });
  assert.deepEqual(codes(allowed), []);
  // A BVLC type an older build lacks.
  const old = { types: new Set(['Input', 'Convolution']), label: 'python3' };
  const relu = check(input + 'layer { name: "r" type: "ReLU" bottom: "data" top: "data" }\n', {
    installedLayerTypes: old,
  });
  assert.match(relu[0]?.message ?? '', /BVLC Caffe has it/);
});

test('Analyses: the installed types apply from the next analysis on, and can be forgotten', () => {
  const documents = new DocumentStore();
  const analyses = new Analyses(documents);
  const doc = documents.open('file:///w/net.prototxt', 'prototxt', 1, input + python);
  const codesNow = () => analyses.analyzedDoc(doc).analysis.diagnostics.map((d) => d.code);
  assert.deepEqual(codesNow(), []);
  analyses.setInstalledLayerTypes({ types: [...withoutPython.types], label: '/usr/bin/python3' });
  assert.deepEqual(codesNow(), ['layer-type-not-registered']);
  assert.equal(analyses.installedLayerTypes?.label, '/usr/bin/python3');
  analyses.setInstalledLayerTypes(undefined);
  assert.deepEqual(codesNow(), []);
  // Without installed types, nothing changes for the feature input either.
  assert.deepEqual(featureInputFor(input + python).analysis.diagnostics, []);
});

test('ImageData unregistered: the Caffe was built without OpenCV, and how to build it with it', () => {
  // BVLC compiles ImageData and WindowData only with USE_OPENCV (a build with USE_OPENCV := 0 lacks them).
  const noOpenCV = {
    types: new Set([...withoutPython.types].filter((t) => t !== 'ImageData' && t !== 'WindowData')),
    label: '/usr/bin/python3',
  };
  const net =
    'layer { name: "d" type: "ImageData" top: "data" top: "label" image_data_param { source: "l.txt" batch_size: 2 } }\n';
  const found = check(net, { installedLayerTypes: noOpenCV });
  assert.deepEqual(codes(found, 'layer-type-not-registered'), ['1:25 layer-type-not-registered']);
  assert.match(
    found.find((f) => f.code === 'layer-type-not-registered')?.message ?? '',
    /^Unknown layer type: ImageData: the Caffe that \/usr\/bin\/python3 imports does not register it, so building this net fails there\. Caffe has ImageData only when built with OpenCV: rebuild it with OpenCV \(no USE_OPENCV := 0 in Makefile\.config; CMake: -DUSE_OPENCV=ON\)\.$/,
  );
});
