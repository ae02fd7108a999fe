// Static shape inference: public entry points.

export { inferShapes, hasShapeRule } from './infer';
export type { InferOptions, LearnedTops, PythonTopsLookup } from './infer';
export { layerShapesAt } from './layer-result';
export { completeOrNull, formatShape, isComplete, isUnknownShape, knownShapeText } from './arith';
export type { LayerShapes, Shape, ShapeResult, ShapeTotals } from './types';
