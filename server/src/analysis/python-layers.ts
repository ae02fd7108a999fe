// The Python layers of a net and what they point at: `python_param { module layer param_str }` read
// from the tree, resolved through the Python index, and checked (module found, class present and a
// caffe.Layer, the python_param block where it belongs, param_str in the class's format).
// Kept apart from analyze(): these checks need the workspace index, the engine's analysis stays pure.

import { pushAll } from '../../../common/arrays';
import type { FieldNode, MessageNode, Span, StringNode } from '../parser/ast';
import type { ClassInfo, YamlLoadCall } from '../python/module-info';
import type { ModuleResolution } from '../python/resolve-module';
import type { InstalledModules } from '../python/missing-imports';
import type { PythonIndex } from '../python/workspace-index';
import type { ParamStrFormat } from '../settings';
import { closestNames, didYouMean } from './checks/suggest';
import type { AnalysisDiagnostic } from './diagnostic';
import type { NetLayer, NetModel } from './model/net';
import { firstField } from './model/net-read';
import { checkParamStr } from './param-str/param-str';
import {
  implicitRelativeImport,
  missingImportModule,
  python2Module,
  runsPython2,
  type Report,
} from './python-imports';
import { display } from './workspace-path';
import { reportModuleNotFound } from './python-module-missing';
import { opaqueMessage, paramStrAttributeProblem } from './python-layer-words';

/** One string-valued field of python_param. `node` is absent when the value is not a string. */
export interface ParamField {
  value: string;
  field: FieldNode;
  node?: StringNode;
  /** The value as written (quotes included), or the field name when the value is missing. */
  span: Span;
}

export interface PythonLayerUse {
  layer: NetLayer;
  isPython: boolean;
  /** The `python_param` field. */
  block?: FieldNode;
  module?: ParamField;
  className?: ParamField;
  paramStr?: ParamField;
  /** The net's `force_backward: true`: Caffe calls every layer's backward. */
  forceBackward?: true;
}

/** The layer a use points at, as far as the index knows it. */
export interface LayerTarget {
  resolution?: ModuleResolution;
  /** The module's file. */
  file?: string;
  /** The class the module has as the attribute `layer` names: its own, or one it imports. */
  cls?: ClassInfo;
  /** The file defining `cls`: `file`, or the module it is imported from (an __init__.py re-exporting it). */
  classFile?: string;
  isLayer: boolean;
}

/** Layers that are Python layers (by type) or carry a python_param block. */
export function pythonLayerUses(net: NetModel): PythonLayerUse[] {
  const out: PythonLayerUse[] = [];
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l];
    const isPython = layer.type === 'Python';
    const block = layer.pythonParam;
    if (!isPython && !block) continue;
    const body = block?.value?.kind === 'message' ? block.value : undefined;
    out.push({
      layer,
      isPython,
      block,
      module: paramField(body, 'module'),
      className: paramField(body, 'layer'),
      paramStr: paramField(body, 'param_str'),
      ...(net.forceBackward ? { forceBackward: true as const } : {}),
    });
  }
  return out;
}

function paramField(body: MessageNode | undefined, name: string): ParamField | undefined {
  const field = body ? firstField(body.fields, name) : undefined;
  if (!field) return undefined;
  const v = field.value;
  if (v?.kind === 'string') return { value: v.value, field, node: v, span: { start: v.start, end: v.end } };
  if (v && v.kind !== 'message' && v.kind !== 'list') {
    const text = v.kind === 'identifier' ? v.name : v.text;
    return { value: text, field, span: { start: v.start, end: v.end } };
  }
  return { value: '', field, span: field.nameSpan };
}

/** Resolves a use's module and class against the index (`fromDir`: the prototxt's folder). */
export function resolveLayerUse(use: PythonLayerUse, index: PythonIndex, fromDir: string): LayerTarget {
  if (!use.module || use.module.value.trim() === '') return { isLayer: false };
  const resolution = index.resolveModule(use.module.value.trim(), fromDir);
  const file = resolution.file;
  if (!file || !use.className) return { resolution, file, isLayer: false };
  const found = index.moduleClass(file, use.className.value.trim());
  if (!found) return { resolution, file, isLayer: false };
  const { cls, file: classFile } = found;
  return { resolution, file, cls, classFile, isLayer: index.isLayerClass(classFile, cls.name) };
}

export interface PythonCheckOptions {
  /** The index, when the workspace has one; `ready` is false while the first build runs. */
  index?: PythonIndex;
  ready: boolean;
  /** Folder of the prototxt (module resolution starts there). */
  fromDir: string;
  roots: readonly string[];
  paramStrFormat: ParamStrFormat;
  /** The interpreter setting: one named python2 runs the layers, and Python 2 code is no problem. */
  interpreter?: string;
  /** The run interpreter's major version, when it was asked (it wins over the name). */
  pythonMajor?: number;
  /** The modules the run interpreter can import, when it was asked. */
  installedModules?: InstalledModules;
  /** The attribute the schema's Caffe checkout sets to a Python layer's param_str (its python_layer.hpp). */
  paramStrAttribute?: { root: string; attribute: 'param_str' | 'param_str_' };
}

/**
 * How a layer class reads its parameters, including what it inherits: the nearest class that parses
 * param_str gives the format, keys are gathered along the chain. `complete` is false when a subclass
 * may read more keys through an inherited holder (`self.params`) than the index could see.
 */
export function layerParams(
  index: PythonIndex,
  file: string,
  cls: ClassInfo,
): { info: ClassInfo; complete: boolean } {
  const reads: ClassInfo['paramReads'] = [];
  const keys = new Map<string, ClassInfo['paramKeys'][number]>();
  let complete = true;
  const seen = new Set<string>();
  const visit = (f: string, c: ClassInfo, depth: number, below: boolean) => {
    const id = `${f}\0${c.name}`;
    if (seen.has(id) || depth > 16) return;
    seen.add(id);
    if (c.paramReads.length > 0 && reads.length === 0) {
      pushAll(reads, c.paramReads);
      if (below && c.paramReads.some((r) => r.holder?.startsWith('self.'))) complete = false;
    }
    if (c.keysOpen) complete = false;
    for (const k of c.paramKeys) if (!keys.has(k.name)) keys.set(k.name, k);
    for (const b of c.bases) {
      const t = index.baseTarget(f, b.resolved);
      if (t.kind === 'class') visit(t.file, t.cls, depth + 1, true);
    }
  };
  visit(file, cls, 0, false);
  return { info: { ...cls, paramReads: reads, paramKeys: [...keys.values()] }, complete };
}

/** Every Python-layer problem of a net, in source offsets. */
export function checkPythonLayers(net: NetModel, options: PythonCheckOptions): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  const report = (
    severity: AnalysisDiagnostic['severity'],
    code: string,
    span: Span,
    message: string,
    suggestions?: string[],
  ) =>
    out.push({
      severity,
      code,
      start: span.start,
      end: span.end,
      message,
      ...(suggestions?.length ? { suggestions } : {}),
    });
  for (const use of pythonLayerUses(net)) {
    const layerName = use.layer.name ? `'${use.layer.name}'` : 'This layer';
    if (!use.isPython) {
      if (use.block) {
        const type = use.layer.type || 'without a type';
        report(
          'error',
          'python-param-not-python',
          use.block.nameSpan,
          `python_param on a layer of type ${type}: Caffe reads it only for type "Python".`,
        );
      }
      continue;
    }
    const typeSpan = use.layer.typeSpan ?? use.layer.node.nameSpan;
    if (!use.block) {
      report(
        'error',
        'python-layer-incomplete',
        typeSpan,
        `${layerName} is a Python layer without python_param: add python_param { module: "..." layer: "..." }.`,
      );
      continue;
    }
    const missing = [!use.module && 'module', !use.className && 'layer'].filter((m): m is string => !!m);
    if (missing.length > 0) {
      report(
        'error',
        'python-layer-incomplete',
        use.block.nameSpan,
        `python_param lacks ${missing.join(' and ')}: Caffe cannot load the layer.`,
      );
    }
    let target: LayerTarget | undefined;
    if (options.index && options.ready && use.module) target = checkTarget(use, options, report);
    if (use.paramStr?.node) {
      const params =
        target?.isLayer && target.cls && target.classFile && options.index
          ? layerParams(options.index, target.classFile, target.cls)
          : undefined;
      const check = checkParamStr(use.paramStr.node, params?.info, options.paramStrFormat, params?.complete);
      pushAll(out, check.diagnostics);
    }
  }
  return out;
}

function checkTarget(
  use: PythonLayerUse,
  options: PythonCheckOptions,
  report: Report,
): LayerTarget | undefined {
  const index = options.index as PythonIndex;
  const mod = use.module as ParamField;
  const target = resolveLayerUse(use, index, options.fromDir);
  const resolution = target.resolution;
  if (!resolution) return target;
  if (resolution.problem) {
    report('error', 'python-module-name', mod.span, resolution.problem);
    return target;
  }
  if (!target.file) {
    reportModuleNotFound(mod, use.className?.value, resolution.searched, { ...options, index }, report);
    return target;
  }
  const python2 =
    !runsPython2(options.interpreter, options.pythonMajor) &&
    python2Module(index, target.file, mod, options.roots, report);
  if (!python2) missingImportModule(index, target.file, mod, options.installedModules, options.roots, report);
  const relative =
    !runsPython2(options.interpreter, options.pythonMajor) &&
    implicitRelativeImport(index, target.file, mod, options.fromDir, options.roots, report);
  const file = display(target.file, options.roots);
  const cls = use.className;
  if (!cls || cls.value.trim() === '') return target;
  if (!target.cls) {
    const opaque = index.opaqueBinding(target.file, cls.value.trim());
    if (opaque) {
      report(
        'information',
        'python-class-unchecked',
        cls.span,
        opaqueMessage(cls.value.trim(), opaque, options.roots),
      );
      return target;
    }
    const names = index.moduleClasses(target.file).map((c) => c.name);
    const layers = index.moduleLayerClasses(target.file).map((c) => c.name);
    const close = closestNames(cls.value, layers.length > 0 ? layers : names);
    const known =
      layers.length > 0
        ? ` Its layer classes: ${layers.join(', ')}.`
        : names.length === 0
          ? ' It defines and imports no classes.'
          : '';
    report(
      'error',
      'python-class-not-found',
      cls.span,
      `${file} has no class '${cls.value}'.${didYouMean(close)}${known}`,
      close,
    );
    return target;
  }
  // Where the class is written: the module, or the one it imports the class from.
  const classFile = target.classFile ?? target.file;
  const written = classFile === target.file ? file : display(classFile, options.roots);
  if (target.isLayer && options.paramStrAttribute) {
    const problem = paramStrAttributeProblem(
      cls.value,
      target.cls,
      written,
      options.paramStrAttribute,
      options.roots,
    );
    if (problem) report('warning', 'python-param-str-attribute', cls.span, problem);
  }
  if (!target.isLayer) {
    report(
      'error',
      'python-class-not-layer',
      cls.span,
      `${cls.value} in ${written} is not a caffe.Layer (no base class leads to caffe.Layer).`,
    );
  } else if (!runsPython2(options.interpreter, options.pythonMajor) && !python2 && !relative) {
    // Caffe calls the setup the class has or inherits: the nearest class in its chain that defines one.
    // (A module only Python 2 imports never meets PyYAML 6, which needs Python 3: the Python 2
    // warning comes first, and the module's own file still shows the call.)
    const owner = setupOwner(index, classFile, target.cls);
    const call = owner && yamlLoadInSetup(index, owner.file, owner.cls);
    if (owner && call) {
      const where =
        owner.cls === target.cls ? written : `${owner.cls.name}.setup, ${display(owner.file, options.roots)}`;
      report(
        'warning',
        'python-yaml-load',
        cls.span,
        `${cls.value} reads param_str with yaml.load() without a Loader (${where} line ` +
          `${call.span.range.start.line + 1}): PyYAML 6 and later stop it with a TypeError when Caffe sets ` +
          // yaml.safe_load() refuses PyYAML's own tags, which this layer's param_str may hold.
          (use.paramStr?.value.includes('!!python/')
            ? "the layer up. This param_str has a !!python/ tag, which yaml.safe_load() refuses: the file's quick fix Loader=yaml.FullLoader reads it."
            : "the layer up. The file's quick fixes give yaml.safe_load()."),
      );
    }
  }
  return target;
}

/** The class whose `setup` Caffe calls for `cls`: its own, else the nearest base's (first bases first). */
function setupOwner(
  index: PythonIndex,
  file: string,
  cls: ClassInfo,
  depth = 0,
): { file: string; cls: ClassInfo } | undefined {
  if (cls.methods.some((m) => m.name === 'setup')) return { file, cls };
  if (depth > 16) return undefined;
  for (const base of cls.bases) {
    const t = index.baseTarget(file, base.resolved);
    const found = t.kind === 'class' ? setupOwner(index, t.file, t.cls, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The class's own `setup` reading param_str through a `yaml.load` call that gives no Loader. */
function yamlLoadInSetup(index: PythonIndex, file: string, cls: ClassInfo): YamlLoadCall | undefined {
  const calls = index.moduleInfo(file)?.yamlLoads;
  if (!calls) return undefined;
  for (const read of cls.paramReads) {
    if (read.method !== 'setup') continue;
    const call = calls.find((c) => c.span.start === read.span.start && c.span.end === read.span.end);
    if (call) return call;
  }
  return undefined;
}
