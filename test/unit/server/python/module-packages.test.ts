// Where a module a layer needs comes from: the package to install, or Caffe's own package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caffePackageNote, installAdvice } from '../../../../server/src/python/module-packages';

test('the package that provides a module named otherwise, for the interpreter that runs the layers', () => {
  const advice = installAdvice('cv2', '/usr/bin/python3', 3);
  assert.match(advice, /opencv-python/);
  assert.match(advice, /python3-opencv/);
});

test("a module of Caffe's own package: which Caffe has it, and what the interpreter's caffe must be", () => {
  assert.equal(caffePackageNote('utils.timer'), undefined);
  assert.equal(caffePackageNote('caffeine.layers'), undefined);
  assert.match(caffePackageNote('caffe.layers.detectnet.mean_ap') ?? '', /NVIDIA Caffe's package has it/);
  assert.match(caffePackageNote('caffe.layers.detectnet') ?? '', /NVIDIA Caffe's package has it/);
  assert.match(
    caffePackageNote('caffe.layers.other') ?? '',
    /BVLC Caffe's package has no such module: it is a fork's\.$/,
  );
  // BVLC's own module: nothing said of forks.
  assert.doesNotMatch(caffePackageNote('caffe.io') ?? '', /fork|NVIDIA/);
  // The run interpreter imports a caffe: that one must have it.
  assert.match(
    caffePackageNote('caffe.layers.detectnet.clustering', '/usr/bin/python3') ?? '',
    /which the workspace does not hold: the caffe that \/usr\/bin\/python3 imports must be a build that has it\. NVIDIA/,
  );
});
