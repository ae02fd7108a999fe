import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalAxis,
  convOutSize,
  count,
  deconvOutSize,
  formatShape,
  perAxis,
  poolOutSize,
  reshapeShape,
} from '../../../../../server/src/analysis/shapes/arith';

test('convolution output size: AlexNet conv1, same-padding, dilation', () => {
  assert.equal(convOutSize(227, 11, 0, 4), 55);
  assert.equal(convOutSize(224, 7, 3, 2), 112); // ResNet conv1
  assert.equal(convOutSize(56, 3, 1, 1), 56);
  assert.equal(convOutSize(28, 5, 0, 1), 24); // LeNet conv1
  assert.equal(convOutSize(64, 3, 2, 1, 2), 64); // dilation 2: extent 5
  assert.equal(convOutSize(10, 3, 0, 2), 4); // floor((10-3)/2)+1
});

test('deconvolution output size inverts a strided convolution', () => {
  assert.equal(deconvOutSize(16, 4, 1, 2), 32);
  assert.equal(deconvOutSize(1, 64, 16, 32), 32); // FCN-32s style upsampling
  assert.equal(deconvOutSize(10, 3, 0, 1, 2), 14);
});

test('pooling uses ceil rounding: ResNet pool1 112 -> 56 (k3 s2), 57 when padded by 1', () => {
  assert.equal(poolOutSize(112, 3, 0, 2), 56);
  // ceil((112 + 2 - 3) / 2) + 1 = 57; the last window starts at 111 < 112 + 1, so it is kept.
  assert.equal(poolOutSize(112, 3, 1, 2), 57);
  assert.equal(poolOutSize(112, 3, 1, 2, false), 56);
  assert.equal(poolOutSize(55, 3, 0, 2), 27);
  assert.equal(poolOutSize(13, 3, 0, 2), 6);
  assert.equal(poolOutSize(114, 3, 0, 2), 57); // ceil((114-3)/2)+1 = 56+1
  assert.equal(poolOutSize(24, 2, 0, 2), 12);
  assert.equal(poolOutSize(114, 3, 0, 2, false), 56); // FLOOR round_mode
});

test('pooling clips a last window that would start in the padding', () => {
  // 4 + 2*1 - 2 = 4, /2 = 2, +1 = 3 windows starting at -1, 1, 3; 3 >= 4 + 1 is false: kept.
  assert.equal(poolOutSize(4, 2, 1, 2), 3);
  // 5 + 2*2 - 3 = 6, /3 = 2, +1 = 3 windows starting at -2, 1, 4... ceil gives 3; (3-1)*3 = 6 >= 5+2? no: 3.
  assert.equal(poolOutSize(5, 3, 2, 3), 3);
  // 6 + 2*1 - 2 = 6, ceil(6/4) = 2, +1 = 3; last window starts at (3-1)*4 - 1 = 7 >= 6: clipped to 2.
  assert.equal(poolOutSize(6, 2, 1, 4), 2);
  // Without padding nothing is clipped, even a window starting past the end (stride > kernel).
  assert.equal(poolOutSize(7, 2, 0, 4), 3);
  // The same geometry padded by 1: (3-1)*4 = 8 >= 7 + 1, so the last window is dropped.
  assert.equal(poolOutSize(7, 2, 1, 4), 2);
});

test('axis helpers and counts', () => {
  assert.equal(canonicalAxis(-1, 4), 3);
  assert.equal(canonicalAxis(1, 4), 1);
  assert.equal(canonicalAxis(4, 4), undefined);
  assert.equal(canonicalAxis(-5, 4), undefined);
  assert.equal(count([2, 3, 4]), 24);
  assert.equal(count([2, 3, 4], 1), 12);
  assert.equal(count([2, 3, 4], 1, 2), 3);
  assert.equal(count([]), 1);
  assert.deepEqual(perAxis([], 2, 1), [1, 1]);
  assert.deepEqual(perAxis([3], 3, 1), [3, 3, 3]);
  assert.deepEqual(perAxis([3, 5], 2, 1), [3, 5]);
  assert.equal(perAxis([3, 5], 3, 1), undefined);
  assert.equal(formatShape([1, 64, 112, 112]), '1×64×112×112');
  assert.equal(formatShape([]), 'scalar');
  assert.equal(formatShape(null), '?');
});

test('reshape: 0 copies, -1 infers, axis and num_axes select a range', () => {
  assert.deepEqual(reshapeShape([2, 3, 4, 5], [0, -1]), { shape: [2, 60] });
  assert.deepEqual(reshapeShape([2, 3, 4, 5], [0, 0, -1, 1]), { shape: [2, 3, 20, 1] });
  assert.deepEqual(reshapeShape([2, 8], [2, 4], 1), { shape: [2, 2, 4] });
  assert.deepEqual(reshapeShape([2, 3, 4], [-1], 1, 2), { shape: [2, 12] });
  assert.deepEqual(reshapeShape([2, 3], [1, 1], -1, 0), { shape: [2, 3, 1, 1] });
  assert.ok('error' in reshapeShape([2, 3, 4], [5, -1]));
  assert.ok('error' in reshapeShape([2, 3, 4], [-1, -1]));
  assert.ok('error' in reshapeShape([2, 3, 4], [2, 3, 5]));
  assert.ok('error' in reshapeShape([2, 3], [0, 0, 0]));
});
