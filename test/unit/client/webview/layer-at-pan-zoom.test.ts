import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bringIntoView,
  fitView,
  initialView,
  zoomAt,
  MAX_SCALE,
  READABLE_SCALE,
} from '../../../../client/webview/pan-zoom';
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

test('initialView: a small graph fits; a tall one opens readable, across its width, around the focus', () => {
  assert.deepEqual(initialView(100, 50, 300, 200), fitView(100, 50, 300, 200));
  // 400 wide, 4000 tall in 500×400: fitting would shrink it to 0.1; the width fits at 1.
  const top = initialView(400, 4000, 500, 400);
  assert.deepEqual(top, { scale: 1, x: 50, y: 0 });
  const focus = { x: 150, y: 2000, width: 100, height: 40 };
  const around = initialView(400, 4000, 500, 400, focus);
  assert.equal(around.scale, 1);
  // The focus box's centre (200, 2020) lands at the viewport's centre (250, 200).
  assert.equal(around.x + 200 * around.scale, 250);
  assert.equal(around.y + 2020 * around.scale, 200);
  // A focus near the end does not scroll past it: the graph's bottom meets the viewport's bottom.
  const end = initialView(400, 4000, 500, 400, { x: 150, y: 3980, width: 100, height: 20 });
  assert.equal(end.y, 400 - 4000);
  // Too wide to be readable across: the readable zoom, not the width's.
  const wide = initialView(5000, 3000, 500, 400);
  assert.equal(wide.scale, READABLE_SCALE);
  assert.ok(wide.x <= 0 && wide.x >= 500 - 5000 * READABLE_SCALE);
});
