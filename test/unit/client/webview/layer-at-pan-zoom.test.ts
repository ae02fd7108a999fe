import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bringIntoView, fitView, zoomAt, MAX_SCALE } from '../../../../client/webview/pan-zoom';
import { layerAt } from '../../../../common/graph/layer-at';
import { CONV_BLOCK, graphOf } from '../../server/features/graph/graph-fixtures';

test('layerAt finds the layer under the cursor, folded layers by their own name', () => {
  const g = graphOf(CONV_BLOCK);
  const at = (needle: string) => layerAt(g, CONV_BLOCK.indexOf(needle));
  assert.deepEqual(at('"conv1" type'), { layerName: 'conv1', nodeId: 'L0' });
  assert.deepEqual(at('"scale1"'), { layerName: 'scale1', nodeId: 'L0' });
  assert.deepEqual(at('pooling_param'), { layerName: 'pool1', nodeId: 'L4' });
  assert.equal(at('name: "block"'), undefined);
});

test('zoomAt keeps the point under the cursor fixed and clamps the scale', () => {
  const v = zoomAt({ x: 10, y: 20, scale: 1 }, 2, 110, 220);
  assert.deepEqual(v, { x: -90, y: -180, scale: 2 });
  // The graph point under (110, 220) is (100, 200) before and after.
  assert.equal((110 - v.x) / v.scale, 100);
  assert.equal(zoomAt({ x: 0, y: 0, scale: 3 }, 10, 0, 0).scale, MAX_SCALE);
});

test('fitView never enlarges and centres; bringIntoView moves only when the box is outside', () => {
  assert.deepEqual(fitView(100, 50, 300, 200), { scale: 1, x: 100, y: 75 });
  assert.equal(fitView(1000, 4000, 500, 400).scale, 0.1);
  const view = { x: 0, y: 0, scale: 1 };
  assert.equal(bringIntoView(view, { x: 10, y: 10, width: 50, height: 20 }, 300, 200), view);
  assert.deepEqual(bringIntoView(view, { x: 1000, y: 900, width: 100, height: 40 }, 300, 200), {
    scale: 1,
    x: -900,
    y: -820,
  });
});
