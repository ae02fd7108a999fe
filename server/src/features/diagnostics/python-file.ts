// The Caffe-specific problems of the layer classes in a Python file: a class used from a prototxt that
// lacks a method Caffe calls or never reshapes its tops, a backward with the wrong parameters, eval(self.param_str), and Python 2
// code that Python 3 cannot import (each with its Python 3 form for the quick fix).

import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { DocumentStore } from '../../documents';
import type { ClassInfo, MethodInfo } from '../../python/module-info';
import type { PythonIndex } from '../../python/workspace-index';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import type { Python2Construct } from '../../python/module-info';
import { describePython2, python3Effect, python3Shown } from '../../python/python2-names';
import type { PythonLayerUse } from '../../analysis/python-layers';
import type { StateRule } from '../../analysis/model/net';
import { implicitRelativeImports, missingImportWords, runsPython2 } from '../../analysis/python-imports';
import { display } from '../../analysis/workspace-path';
import { modulesElsewhere } from '../../python/resolve-module';
import { DEFAULT_SETTINGS, type Settings } from '../../settings';
import { SEVERITY } from '../shared/lsp-diagnostics';
import { openPrototxts } from '../shared/python-classes';

/** The `data` of a python2-syntax diagnostic that has a quick fix. */
export interface Python2FixData {
  python3: string;
}

/** What Caffe calls, with the parameters it passes. */
export const LAYER_METHODS: readonly { name: string; parameters: string[]; required: boolean }[] = [
  { name: 'setup', parameters: ['self', 'bottom', 'top'], required: true },
  { name: 'reshape', parameters: ['self', 'bottom', 'top'], required: true },
  { name: 'forward', parameters: ['self', 'bottom', 'top'], required: true },
  { name: 'backward', parameters: ['self', 'top', 'propagate_down', 'bottom'], required: false },
];

/** Caffe-specific problems of the layer classes in one Python file, and its Python 2 code. */
export async function pythonFileDiagnostics(
  file: string,
  python: PythonWorkspace,
  documents: DocumentStore,
  settings: Settings = DEFAULT_SETTINGS,
): Promise<Diagnostic[]> {
  const index = python.index;
  const info = index?.moduleInfo(file);
  if (!index || !info) return [];
  const layers = info.classes.filter((c) => index.isLayerClass(file, c.name));
  // Python 2 code in any module: a layer's import runs the modules it imports too.
  // Python 2 runs such code, with a PyYAML old enough to take yaml.load(text) too.
  const python2 = runsPython2(settings.python.interpreter, python.pythonMajor);
  const out: Diagnostic[] = python2
    ? []
    : [
        ...python2Diagnostics(info.python2 ?? [], layers.length > 0 ? 'the layer' : 'it'),
        ...(info.yamlLoads ?? []).map((c) =>
          diag(
            c.function.range,
            'warning',
            'python-yaml-load',
            "yaml.load() without a Loader: PyYAML 6 and later stop with a TypeError (missing 'Loader') " +
              'when the line runs. yaml.safe_load() reads plain YAML; Loader=yaml.FullLoader also reads ' +
              '!!python/tuple.',
          ),
        ),
      ];
  const installed = python.installedModules;
  // An import Python 2 code makes (`import cPickle`) is told as such above.
  const told = python2 ? [] : (info.python2 ?? []).filter((c) => c.kind === 'module');
  for (const found of index.missingImportsIn(file, installed)) {
    const { binding } = found;
    if (told.some((c) => c.span.start >= binding.span.start && c.span.end <= binding.span.end)) continue;
    const elsewhere =
      found.package === undefined && found.cython === undefined
        ? modulesElsewhere(found.name, index.files())[0]
        : undefined;
    const { why, remedy } = missingImportWords(
      elsewhere ? { ...found, elsewhere } : found,
      binding.module,
      installed,
      python.workspaceRoots,
      false,
    );
    out.push(
      diag(
        binding.span.range,
        'warning',
        'python-import-missing',
        `No module named '${found.name}': this line imports '${'.'.repeat(binding.level)}${binding.module}'${why}, so importing ` +
          'this file stops here' +
          (layers.length > 0 ? ', and Caffe with it at the layers whose class is here' : '') +
          `. ${remedy}`,
      ),
    );
  }
  for (const entry of info.sysPath) {
    if (entry.tilde === undefined) continue;
    out.push(
      diag(
        entry.tilde.range,
        'warning',
        'python-sys-path-tilde',
        `Python does not expand ~ in sys.path: ${entry.argument} names a folder called "~" under the folder ` +
          'Python is started in, not the home folder, so the imports that need it fail (ImportError: No ' +
          `module named ...). Write os.path.expanduser(${entry.argument}).`,
      ),
    );
  }
  if (layers.length === 0) return out;
  const all = await python.prototxtUses(openPrototxts(documents));
  const imported = new Map<string, { module: string; fromDir: string }>();
  for (const cls of layers) {
    const uses = python.usesOfClass(all, file, cls.name);
    for (const u of uses) {
      const module = u.use.module?.value.trim();
      const fromDir = path.dirname(u.file.file);
      if (module?.includes('.')) imported.set(`${module}\0${fromDir}`, { module, fromDir });
    }
    const used = uses.length > 0;
    if (used) {
      const missing = LAYER_METHODS.filter((m) => m.required && !inheritedMethod(index, file, cls, m.name));
      if (missing.length > 0) {
        const names = missing.map((m) => m.name).join(', ');
        out.push(
          diag(
            cls.nameSpan.range,
            'warning',
            'python-layer-missing-method',
            `${cls.name} is used from a prototxt but lacks ${names}: Caffe calls setup, reshape and forward on every Python layer.`,
            { className: cls.name, missing: missing.map((m) => m.name) },
          ),
        );
      }
    }
    // In place (`top: "data"` over `bottom: "data"`), each top is a bottom that another layer shaped.
    const inPlace = uses.every(({ use: { layer } }) =>
      layer.tops.every((t) => layer.bottoms.some((b) => b.name === t.name)),
    );
    if (used && !inPlace && topsNeverReshaped(index, file, cls)) {
      const reshape = cls.methods.find((m) => m.name === 'reshape');
      out.push(
        diag(
          (reshape ?? cls).nameSpan.range,
          'warning',
          'python-top-not-reshaped',
          `${cls.name} never reshapes its tops (setup, reshape and forward only index them): a top stays ` +
            'without memory, and the first top[i].data read or written aborts Caffe ("Check failed: data_"). ' +
            'Reshape each top in reshape(), e.g. top[0].reshape(*bottom[0].data.shape).',
        ),
      );
    }
    const backward = cls.methods.find((m) => m.name === 'backward');
    const misfit = backward && backwardMisfit(backward);
    if (backward && misfit) {
      // Caffe calls backward only on a layer that needs it: one with bottoms or blobs to learn, or
      // in a net with force_backward. Where every net uses the class as a source, the call never comes.
      const sources = uses.every((u) => u.use.layer.bottoms.length === 0 && !u.use.forceBackward);
      const uncalled = used && ((!cls.addsBlobs && sources) || uses.every((u) => testOnly(u.use)));
      out.push(
        diag(
          backward.parametersSpan.range,
          uncalled ? 'information' : 'warning',
          'python-backward-signature',
          `Caffe calls backward(self, top, propagate_down, bottom) (positionally); this one takes (${backward.parameters.join(', ')}): ${misfit}.` +
            (uncalled
              ? !cls.addsBlobs && sources
                ? ` Caffe calls it only on a layer that needs gradients; the nets use ${cls.name} with no bottoms, no blobs to learn and no force_backward, so it is not called there.`
                : ` Caffe calls it only while training; the nets use ${cls.name} only in TEST-phase layers (and without force_backward), so it is not called there.`
              : ''),
        ),
      );
    }
    // py-faster-rcnn's Caffe names the attribute param_str_.
    const attribute = cls.paramReads.find((r) => r.format === 'eval')?.attribute ?? 'param_str';
    for (const call of cls.evalCalls) {
      out.push(
        diag(
          call.range,
          'warning',
          'python-eval-param-str',
          `eval(self.${attribute}) runs the prototxt's text as code; ast.literal_eval reads the same literals safely.`,
          { start: call.start, end: call.end },
        ),
      );
    }
  }
  if (!python2)
    out.push(...relativeImportDiagnostics(index, file, [...imported.values()], python.workspaceRoots));
  return out;
}

/**
 * The imports of a package's module that only Python 2 finds, where nets import the module as part
 * of its package (`module: "rpn.anchor_layer"`): each statement once, with the nets' first import
 * that shows it.
 */
function relativeImportDiagnostics(
  index: PythonIndex,
  file: string,
  imported: readonly { module: string; fromDir: string }[],
  roots: readonly string[],
): Diagnostic[] {
  const told = new Map<number, Diagnostic>();
  for (const { module, fromDir } of imported) {
    for (const found of implicitRelativeImports(index, file, module, fromDir)) {
      const { binding, sibling, top, fix } = found;
      if (told.has(binding.span.start)) continue;
      told.set(
        binding.span.start,
        diag(
          binding.span.range,
          'warning',
          'python2-relative-import',
          `Only Python 2 finds '${binding.module}' here: it is ${display(sibling, roots)}, which Python 2 reads ` +
            `relative to this module's package as nets import it ('${module}'); Python 3 looks for a ` +
            `top-level '${top}' and stops: No module named '${top}'. Write ${fix}, which both read.`,
        ),
      );
    }
  }
  return [...told.values()];
}

/** Where a layer module holds Python 2 code; `data` carries the Python 3 text for the quick fix. */
function python2Diagnostics(constructs: readonly Python2Construct[], imported: string): Diagnostic[] {
  return constructs.map((c) => {
    const name = describePython2(c);
    const effect = python3Effect(c.kind, imported);
    const python3 = python3Shown(c);
    const shown = python3 !== undefined && python3.length <= 60 && !python3.includes('\n');
    const data: Python2FixData | undefined = c.python3 === undefined ? undefined : { python3: c.python3 };
    return diag(
      c.span.range,
      'warning',
      'python2-syntax',
      `Python 2 only: ${name}. ${effect}${shown ? `; in Python 3: ${python3}` : ''}.`,
      data,
    );
  });
}

/**
 * What goes wrong when Caffe calls the layer's backward(top, propagate_down, bottom) by position;
 * undefined when nothing does. The names are the author's (`prop_down` is as good as
 * `propagate_down`), but a first one that names the bottoms or a last one that names the tops says
 * the order was meant the other way round (the tutorial's `backward(self, bottom, top)`).
 */
function backwardMisfit(m: MethodInfo): string | undefined {
  // Caffe passes self and three arguments: a parameter list takes them when it requires no more and
  // has room for them (a *args takes any number).
  const passed = LAYER_METHODS[3].parameters.length;
  const plain = m.parameters.filter((p) => !p.startsWith('*'));
  const anyNumber = m.parameters.some((p) => p.startsWith('*') && !p.startsWith('**'));
  const required = plain.length - m.defaults;
  if (required > passed || (plain.length < passed && !anyNumber)) {
    return `the call fails with a TypeError (${required - 1} required parameters after self, Caffe passes ${passed - 1})`;
  }
  if (plain.length < passed) return undefined;
  const first = plain[1].toLowerCase();
  const last = plain[3].toLowerCase();
  if (first.includes('bottom') || (last.includes('top') && !last.includes('bottom')))
    return `its ${plain[1]} receives the tops and its ${plain[3]} the bottoms`;
  return undefined;
}

/**
 * A direct subclass of caffe.Layer whose own setup, reshape and forward touch the tops only by index:
 * none reshapes one or hands the list to other code that might.
 */
function topsNeverReshaped(index: PythonIndex, file: string, cls: ClassInfo): boolean {
  if (cls.bases.length === 0 || cls.bases.some((b) => index.baseTarget(file, b.resolved).kind !== 'caffe'))
    return false;
  const uses = ['setup', 'reshape', 'forward'].map(
    (name) => cls.methods.find((m) => m.name === name)?.topUse,
  );
  if (uses.some((u) => u === undefined || u === 'reshapes' || u === 'other')) return false;
  return uses.includes('indexes');
}

/** True when the class or one of its indexed base classes defines `name`. */
function inheritedMethod(index: PythonIndex, file: string, cls: ClassInfo, name: string, depth = 0): boolean {
  if (cls.methods.some((m) => m.name === name)) return true;
  if (depth > 16) return false;
  for (const base of cls.bases) {
    const t = index.baseTarget(file, base.resolved);
    if (t.kind === 'class' && inheritedMethod(index, t.file, t.cls, name, depth + 1)) return true;
    if (t.kind === 'unknown' && base.resolved.kind !== 'builtin') return true; // cannot tell: stay quiet
  }
  return false;
}

function diag(
  range: Diagnostic['range'],
  severity: 'warning' | 'error' | 'information',
  code: string,
  message: string,
  data?: unknown,
): Diagnostic {
  return {
    range,
    severity: SEVERITY[severity],
    code,
    source: 'caffe-prototxt',
    message,
    ...(data === undefined ? {} : { data }),
  };
}

/** A use in a layer no TRAIN net keeps (include { phase: TEST }, exclude { phase: TRAIN }), without force_backward. */
function testOnly(use: PythonLayerUse): boolean {
  if (use.forceBackward) return false;
  const { include, exclude } = use.layer;
  const plain = (r: StateRule) =>
    r.stages.length === 0 && r.notStages.length === 0 && r.minLevel === undefined && r.maxLevel === undefined;
  return (
    (include.length > 0 && include.every((r) => r.phase === 'TEST')) ||
    exclude.some((r) => r.phase === 'TRAIN' && plain(r))
  );
}
