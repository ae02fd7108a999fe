// The layer types a Caffe checkout registers, read from its C++ sources: every layer is registered by
// `REGISTER_LAYER_CLASS(Type)` or `REGISTER_LAYER_CREATOR(Type, creator)` under `src/caffe/` (the
// layers' own files, and layer_factory.cpp for the types with engine choices). A net checked against
// the checkout's caffe.proto is built by that checkout's Caffe, so these are the types it knows: a
// fork's own (SSD's PriorBox, caffe-face's CenterLoss) are no longer unknown, and a type it lacks is
// named as such. A scan that does not find the core types every Caffe registers is not trusted (a
// checkout holding only its proto, or a fork registering layers some other way). The layer classes'
// declared bottom and top counts are read from the headers under `include/` (a fork may change them:
// R-FCN's SoftmaxWithLoss has a third top), the `*_param` blocks a layer's own source reads, and which
// of BVLC's layers the fork changed (their shapes may not be BVLC's, see bvlc-sources.ts), and of SSD's
// (a Caffe built on SSD's, FaceBoxes', packs more prior boxes in its PriorBox).

import fs from 'node:fs';
import path from 'node:path';
import { readTextUpTo } from '../util/fs-probe';
import { filesUnder } from '../util/walk';
import { isBvlcLayerSource, isSsdLayerSource } from './bvlc-sources';
import { BVLC_TYPE_NAMES, forksWithLayerType } from './layer-types';
import {
  classDeclarationsIn,
  declaredCounts,
  setUpDefinitionsIn,
  type ClassDeclaration,
  type DeclaredCounts,
} from './checkout-classes';
import {
  fillerNamesIn,
  inMacroDefinition,
  solverNamesIn,
  checksSnapshotPrefix,
  withoutComments,
  type CheckoutSolverNames,
} from './checkout-names';

/** Where one type is registered: for messages and for going to its source. */
export interface Registration {
  type: string;
  /** Absolute path of the C++ file. */
  file: string;
  /** 0-based line of the registration. */
  line: number;
}

export type { CheckoutSolverNames } from './checkout-names';
export {
  classDeclarationsIn,
  declaredCounts,
  setUpDefinitionsIn,
  type DeclaredCounts,
} from './checkout-classes';

export interface CheckoutLayerTypes {
  /** The checkout's root folder (the one holding src/caffe/proto/caffe.proto). */
  root: string;
  types: ReadonlySet<string>;
  /** The first registration of each type. */
  registrations: ReadonlyMap<string, Registration>;
  /**
   * The bottom and top counts the class of a registered type declares (its `${type}Layer` class and
   * the classes it derives from, in the checkout's headers); only types whose declarations are all
   * plain numbers (PoolingLayer's maximum depends on its method: left out) and whose classes were found.
   */
  counts: ReadonlyMap<string, DeclaredCounts>;
  /**
   * The `*_param` blocks the file registering a type reads (`layer_param_.center_loss_param()`), for
   * the types registered in a file of their own; absent when it reads none.
   */
  params: ReadonlyMap<string, readonly string[]>;
  /**
   * The types registered in a file of their own whose source refuses to compute in place (a
   * `CHECK_NE(top[0], bottom[0])`, "does not allow in-place computation"); an older Caffe's Reshape
   * (ECO's caffe_3d) has no such check and runs in place.
   */
  notInPlace: ReadonlySet<string>;
  /**
   * BVLC's types whose C++ this checkout changed -> the changed file, relative to `root`: the file
   * of the type's class, or of a class it derives from, that is no version BVLC released (a class file
   * under a name BVLC never had counts as changed too). The same of SSD's own types against SSD's
   * versions (isSsdType).
   */
  modified: ReadonlyMap<string, string>;
  /** What the checkout's solvers know by name (see CheckoutSolverNames). */
  solvers: CheckoutSolverNames;
}

/** A layer source's check that its top is not its bottom (the CHECK itself, or BVLC's words for it). */
const REFUSES_IN_PLACE = /in-place computation|CHECK_NE\(\s*top\[\w+\]\s*,\s*bottom\[0\]\s*\)/;

/** The `*_param` blocks of LayerParameter a layer's source reads, in order of first use. */
export function paramsReadIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of withoutComments(text).matchAll(/\blayer_param(?:_|\(\s*\))\s*\.\s*(\w+_param)\s*\(/g))
    out.add(m[1]);
  return [...out];
}

/** Types every Caffe registers: a scan that misses one of them read the sources wrongly. */
const CORE_TYPES = ['Convolution', 'InnerProduct', 'Pooling', 'ReLU', 'Softmax'];
/** Source files read at most, and the largest one read. */
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 2 << 20;
/** Folders of a checkout's sources not read: its tests, and version control. */
const SKIPPED_SOURCE_DIRS: ReadonlySet<string> = new Set(['test', '.git', '.hg', '.svn']);
const MAX_DIRS = 2000;
const SOURCE = /\.(cpp|cu|cc)$/;
const HEADER = /\.(hpp|h|cuh)$/;
const REGISTRATION = /\bREGISTER_LAYER_(?:CLASS|CREATOR)\w*\s*\(\s*([A-Za-z_]\w*)/g;
/** `INSTANTIATE_CLASS(ConvolutionLayer)`: the file defining a layer class's methods. */
const INSTANTIATION = /\bINSTANTIATE_\w*CLASS\w*\s*\(\s*([A-Za-z_]\w*)\s*\)/g;
/** The registrations in one C++ source text (comments and macro definitions left out). */
export function registrationsIn(text: string): { type: string; line: number }[] {
  if (!text.includes('REGISTER_LAYER')) return [];
  const code = withoutComments(text);
  const out: { type: string; line: number }[] = [];
  for (const match of code.matchAll(REGISTRATION)) {
    const at = match.index ?? 0;
    if (inMacroDefinition(code, at)) continue;
    out.push({ type: match[1], line: lineCount(code, at) });
  }
  return out;
}

/**
 * The types the checkout at `root` registers, read from `src/caffe/**` (the sources' C++ files);
 * undefined when it has no such folder or the scan does not find the core types.
 */
export function readCheckoutLayerTypes(root: string): CheckoutLayerTypes | undefined {
  return readCheckout(root).layerTypes;
}

/** What a checkout's sources say: its layer types, when read, and the solver names they know. */
export interface CheckoutRead {
  root: string;
  /**
   * Undefined when the scan does not find the core types registered by name: no sources, sources laid
   * out otherwise, or an older Caffe whose registry is keyed by V1 enum values (`CONVOLUTION`).
   */
  layerTypes?: CheckoutLayerTypes;
  /** Read whatever its layer registry looks like: an older Caffe's solvers still name their policies. */
  solvers: CheckoutSolverNames;
  /**
   * The attribute its python_layer.hpp sets to a Python layer's param_str: `param_str` (BVLC since
   * 2015), or `param_str_` (older Caffe and its forks, py-faster-rcnn's caffe-fast-rcnn); absent when
   * it has no such header or sets neither.
   */
  paramStrAttribute?: 'param_str' | 'param_str_';
}

/** The attribute a checkout's python_layer.hpp gives param_str (see CheckoutRead). */
function paramStrAttributeOf(root: string): CheckoutRead['paramStrAttribute'] {
  for (const rel of ['include/caffe/layers/python_layer.hpp', 'include/caffe/python_layer.hpp']) {
    const text = readTextUpTo(path.join(root, rel), MAX_FILE_BYTES);
    const m = text && /\battr\(\s*"(param_str_?)"\s*\)\s*=/.exec(withoutComments(text));
    if (m) return m[1] as 'param_str' | 'param_str_';
  }
  return undefined;
}

/** The checkout at `root`, read once for its layer types and its solver names. */
export function readCheckout(root: string): CheckoutRead {
  const registrations = new Map<string, Registration>();
  const params = new Map<string, readonly string[]>();
  const notInPlace = new Set<string>();
  const layersDir = path.join(root, 'src', 'caffe', 'layers');
  /** Layer class -> whether the file instantiating it is BVLC's (undefined: a name BVLC never had). */
  const classSources = new Map<string, { file: string; bvlc: boolean | undefined }>();
  /** Layer class -> whether the LayerSetUp its sources define calls a base's. */
  const setUps = new Map<string, boolean>();
  const solverNames = {
    lrPolicies: new Set<string>(),
    solverTypes: new Set<string>(),
    regularizations: new Set<string>(),
    fillers: new Set<string>(),
  };
  let snapshotChecked = false;
  const files = sourceFiles(path.join(root, 'src', 'caffe'), SOURCE);
  for (const file of files) {
    const text = readTextUpTo(file, MAX_FILE_BYTES);
    if (text === undefined) continue;
    if (/REGISTER_SOLVER_CLASS|lr_policy|regularization_type/.test(text)) solverNamesIn(text, solverNames);
    if (!snapshotChecked && checksSnapshotPrefix(text)) snapshotChecked = true;
    if (path.dirname(file) === layersDir && file.endsWith('.cpp') && text.includes('INSTANTIATE_')) {
      // A released version: BVLC's, or SSD's for a layer file of SSD's own.
      const base = path.basename(file);
      const bvlc = isBvlcLayerSource(base, text) ?? isSsdLayerSource(base, text);
      for (const m of withoutComments(text).matchAll(INSTANTIATION))
        if (!classSources.has(m[1])) classSources.set(m[1], { file, bvlc });
      for (const [name, callsBase] of setUpDefinitionsIn(text))
        if (!setUps.has(name)) setUps.set(name, callsBase);
    }
    const registered = registrationsIn(text);
    for (const r of registered) {
      if (!registrations.has(r.type)) registrations.set(r.type, { type: r.type, file, line: r.line });
    }
    // A file registering one type is that layer's: the blocks it reads are the type's.
    if (registered.length === 1 && !params.has(registered[0].type)) {
      const read = paramsReadIn(text);
      if (read.length > 0) params.set(registered[0].type, read);
      if (REFUSES_IN_PLACE.test(text)) notInPlace.add(registered[0].type);
    }
  }
  const typed = CORE_TYPES.every((t) => registrations.has(t));
  const classes = new Map<string, ClassDeclaration>();
  for (const file of sourceFiles(path.join(root, 'include'), HEADER)) {
    const text = readTextUpTo(file, MAX_FILE_BYTES);
    if (text === undefined) continue;
    if (typed)
      for (const [name, declaration] of classDeclarationsIn(text))
        if (!classes.has(name)) classes.set(name, declaration);
    if (text.includes('GetFiller')) fillerNamesIn(text, solverNames.fillers);
  }
  const solvers: CheckoutSolverNames = {};
  type NameSet = 'lrPolicies' | 'solverTypes' | 'regularizations' | 'fillers';
  for (const [key, names] of Object.entries(solverNames) as [NameSet, Set<string>][])
    if (names.size > 0) solvers[key] = names;
  // Said only of a checkout whose solver was read.
  if (solverNames.lrPolicies.size > 0) solvers.snapshotChecked = snapshotChecked;
  const paramStrAttribute = paramStrAttributeOf(root);
  const attribute = paramStrAttribute ? { paramStrAttribute } : {};
  if (!typed) return { root, solvers, ...attribute };
  const counts = new Map<string, DeclaredCounts>();
  const modified = new Map<string, string>();
  for (const type of registrations.keys()) {
    const declared = declaredCounts(`${type}Layer`, classes, setUps);
    if (declared) counts.set(type, declared);
    const changed =
      BVLC_TYPE_NAMES.has(type) || isSsdType(type)
        ? changedSource(`${type}Layer`, classes, classSources)
        : undefined;
    if (changed !== undefined) modified.set(type, path.relative(root, changed));
  }
  return {
    root,
    layerTypes: {
      root,
      types: new Set(registrations.keys()),
      registrations,
      counts,
      params,
      notInPlace,
      modified,
      solvers,
    },
    solvers,
    ...attribute,
  };
}

/** The Caffes whose SSD layer types are SSD's code (NVIDIA's and Synopsys' merged it). */
const SSD_FAMILY: ReadonlySet<string> = new Set(['ssd', 'nvidia', 'synopsys']);

/**
 * A layer type of SSD's own (PriorBox, DetectionOutput, MultiBoxLoss...): one only SSD and the Caffes
 * that merged it register, which the shape rules shape as SSD's code does.
 */
function isSsdType(type: string): boolean {
  const forks = forksWithLayerType(type);
  return forks.includes('ssd') && forks.every((f) => SSD_FAMILY.has(f));
}

/** Whose released sources a checkout's changed `type` (in `modified`) differs from. */
export function releasedBy(type: string): 'BVLC' | 'SSD' {
  return isSsdType(type) ? 'SSD' : 'BVLC';
}

/**
 * The first file, from the class `className` up through the classes it derives from, that is no
 * version of BVLC's file of that name; for the class itself, a file under a name BVLC never had too.
 */
function changedSource(
  className: string,
  classes: ReadonlyMap<string, ClassDeclaration>,
  sources: ReadonlyMap<string, { file: string; bvlc: boolean | undefined }>,
): string | undefined {
  const seen = new Set<string>();
  for (let name: string | undefined = className; name !== undefined && name !== 'Layer';) {
    if (seen.has(name)) break;
    seen.add(name);
    const source = sources.get(name);
    if (source !== undefined && (source.bvlc === false || (source.bvlc === undefined && name === className)))
      return source.file;
    name = classes.get(name)?.base;
  }
  return undefined;
}

/**
 * What decides whether the checkout's answer is still current: the modification times of the
 * folders holding its layer sources and headers (a layer file added or removed changes them).
 */
export function checkoutStamp(root: string): string {
  const parts: string[] = [];
  const folders = [
    ['src', 'caffe'],
    ['src', 'caffe', 'layers'],
    ['include', 'caffe'],
    ['include', 'caffe', 'layers'],
  ];
  for (const dir of folders.map((parts) => path.join(root, ...parts))) {
    try {
      parts.push(String(fs.statSync(dir).mtimeMs));
    } catch {
      parts.push('-');
    }
  }
  return parts.join(' ');
}

/** The files under `dir` whose names match `kind`, in name order, folders below it too (bounded). */
function sourceFiles(dir: string, kind: RegExp): string[] {
  const out: string[] = [];
  for (const { file, name } of filesUnder([dir], { skipped: SKIPPED_SOURCE_DIRS, maxDirs: MAX_DIRS })) {
    if (kind.test(name)) out.push(file);
    if (out.length >= MAX_FILES) break;
  }
  return out;
}

function lineCount(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
