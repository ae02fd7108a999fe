// The layer classes a Caffe checkout's headers declare, read from the source text: each class's base
// and the blob-count methods it overrides (ExactNumBottomBlobs and the rest, which Layer::CheckBlobCounts
// and Net::Init read), and whether the LayerSetUp its sources define calls a base's.

import { withoutComments } from './checkout-names';

/** What Layer::CheckBlobCounts and Net::Init read of a layer class; -1: no such bound. */
export interface DeclaredCounts {
  exactBottom: number;
  minBottom: number;
  maxBottom: number;
  exactTop: number;
  minTop: number;
  maxTop: number;
  /** EqualNumBottomTopBlobs(): one top per bottom. */
  equal: boolean;
  /** AutoTopBlobs(): Net::Init adds the tops the class needs when fewer are written (loss layers). */
  auto: boolean;
  /**
   * Whether the class derives from LossLayer and its set-up runs LossLayer's, which weighs the first
   * top 1 when no loss_weight is written (a LayerSetUp of its own that calls no base's skips that).
   */
  loss: boolean;
}

/** The declarations of one class in a header: its base class and the count methods it overrides. */
export interface ClassDeclaration {
  base: string | undefined;
  /** Method name -> the number (or boolean) it returns; 'computed' when it returns anything else. */
  methods: Map<string, number | boolean | 'computed'>;
}

const COUNT_METHODS: Readonly<Record<string, keyof DeclaredCounts>> = {
  ExactNumBottomBlobs: 'exactBottom',
  MinBottomBlobs: 'minBottom',
  MaxBottomBlobs: 'maxBottom',
  ExactNumTopBlobs: 'exactTop',
  MinTopBlobs: 'minTop',
  MaxTopBlobs: 'maxTop',
  EqualNumBottomTopBlobs: 'equal',
  AutoTopBlobs: 'auto',
};
/** Caffe's Layer: no bound at all. */
const BASE_LAYER: DeclaredCounts = {
  exactBottom: -1,
  minBottom: -1,
  maxBottom: -1,
  exactTop: -1,
  minTop: -1,
  maxTop: -1,
  equal: false,
  auto: false,
  loss: false,
};
const CLASS_HEAD =
  /\bclass\s+([A-Za-z_]\w*)\s*(?::\s*(?:public|protected|private)?\s*([A-Za-z_][\w:]*))?[^;{]*\{/g;
const METHOD =
  /\b(ExactNumBottomBlobs|MinBottomBlobs|MaxBottomBlobs|ExactNumTopBlobs|MinTopBlobs|MaxTopBlobs|EqualNumBottomTopBlobs|AutoTopBlobs)\s*\(\s*\)\s*const\s*\{([^}]*)\}/g;

/** The classes declared in one header text, with the count methods each overrides. */
export function classDeclarationsIn(text: string): Map<string, ClassDeclaration> {
  const out = new Map<string, ClassDeclaration>();
  if (!text.includes('class')) return out;
  const code = withoutComments(text);
  for (const head of code.matchAll(CLASS_HEAD)) {
    const open = (head.index ?? 0) + head[0].length - 1;
    const close = matchingBrace(code, open);
    const body = code.slice(open + 1, close);
    const methods = new Map<string, number | boolean | 'computed'>();
    for (const m of body.matchAll(METHOD)) {
      const returned = /^\s*return\s+(-?\d+|true|false)\s*;\s*$/.exec(m[2]);
      const value = returned ? returned[1] : undefined;
      methods.set(
        m[1],
        value === undefined
          ? 'computed'
          : value === 'true'
            ? true
            : value === 'false'
              ? false
              : Number(value),
      );
    }
    const base = head[2]?.split('::').pop();
    out.set(head[1], { base, methods });
  }
  return out;
}

/**
 * The layer classes whose `LayerSetUp` one source text defines, each with whether the base's loss
 * weighting stands after it: the definition calls another class's `LayerSetUp` (its base's,
 * `LossLayer<Dtype>::LayerSetUp(bottom, top)`) and adds no loss weight of its own (caffe-sl's
 * NaiveTripletLoss then calls `add_loss_weight(0)` for its second top).
 */
export function setUpDefinitionsIn(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (!text.includes('LayerSetUp')) return out;
  const code = withoutComments(text);
  for (const m of code.matchAll(SETUP_DEFINITION)) {
    const open = code.indexOf('{', (m.index ?? 0) + m[0].length);
    if (open === -1) continue;
    const body = code.slice(open + 1, matchingBrace(code, open));
    let callsBase = false;
    for (const call of body.matchAll(SETUP_CALL)) if (call[1] !== m[1]) callsBase = true;
    if (!out.has(m[1])) out.set(m[1], callsBase && !ADDS_LOSS_WEIGHT.test(body));
  }
  return out;
}

const SETUP_DEFINITION = /\bvoid\s+([A-Za-z_]\w*)\s*<\s*Dtype\s*>\s*::\s*LayerSetUp\s*\(/g;
const SETUP_CALL = /\b([A-Za-z_]\w*)\s*<\s*Dtype\s*>\s*::\s*LayerSetUp\s*\(/g;
const ADDS_LOSS_WEIGHT = /\badd_loss_weight\s*\(/;

/**
 * What a class and its bases declare, resolved as C++ does (the most derived override wins);
 * `setUps` tells which classes define a LayerSetUp and whether the base's loss weighting stands
 * after it (see `setUpDefinitionsIn`).
 */
export function declaredCounts(
  className: string,
  classes: ReadonlyMap<string, ClassDeclaration>,
  setUps: ReadonlyMap<string, boolean> = new Map(),
): DeclaredCounts | undefined {
  const out: Record<string, number | boolean> = {};
  const seen = new Set<string>();
  let loss = false;
  // A LayerSetUp below LossLayer that calls no base's (or weighs the tops itself): LossLayer's
  // default weight is not what the class ends up with.
  let setUpReachesBase = true;
  for (let name: string | undefined = className; name !== 'Layer';) {
    const declaration: ClassDeclaration | undefined = name === undefined ? undefined : classes.get(name);
    if (!declaration || seen.has(name as string)) return undefined;
    seen.add(name as string);
    if (name === 'LossLayer') loss = setUpReachesBase;
    else if (!loss && setUps.get(name as string) === false) setUpReachesBase = false;
    for (const [method, value] of declaration.methods) {
      const key = COUNT_METHODS[method];
      if (key in out) continue;
      if (value === 'computed') return undefined;
      out[key] = value;
    }
    name = declaration.base;
  }
  return { ...BASE_LAYER, ...out, loss } as DeclaredCounts;
}

/** The offset of the `}` closing the `{` at `open` (the text's end when it is not closed). */
function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return code.length;
}
