// Static shape inference: public entry points.

export { inferShapes } from './infer';
export { hasShapeRule } from './rule-table';
export type { InferOptions, LearnedTops, PythonTopsLookup } from './infer';
export { layerShapesAt } from './layer-result';
export { completeOrNull, formatShape, isComplete, isUnknownShape, knownShapeText } from './arith';
export type { LayerShapes, Shape, ShapeResult, ShapeTotals } from './types';
