// What two Python-layer messages say, kept apart from the checks that decide when they are said: a
// layer class bound where the index cannot see it, and a class reading the param_str attribute the
// checkout's Caffe does not set.

import type { OpaqueBinding } from '../python/class-bases';
import type { ClassInfo } from '../python/module-info';
import { display } from './workspace-path';

/**
 * What the information on a layer class the index cannot see says: where the trail goes dark, and
 * why the class is taken to exist rather than called missing.
 */
export function opaqueMessage(name: string, binding: OpaqueBinding, roots: readonly string[]): string {
  const where = `${display(binding.file, roots)} line ${binding.span.range.start.line + 1}`;
  const unchecked = `so layer '${name}' is not checked here`;
  const add =
    ' To check it, add the folder of its sources to the setting prototxt.python.extraPaths (the CLI: --python-path DIR).';
  switch (binding.kind) {
    case 'assignment':
      return `${where} binds '${name}' by an assignment, not a class statement, ${unchecked}.`;
    case 'import':
      return `${where} imports '${name}' from '${binding.module}', which is not in the workspace, ${unchecked}.${add}`;
    case 'wildcard':
      return (
        `No class '${name}' is found, but ${where} imports everything from '${binding.module}', which is not ` +
        `in the workspace and may define it, ${unchecked}.${add}`
      );
  }
}

/**
 * The problem of a layer class whose param_str reads all use the attribute the checkout's
 * python_layer.hpp does not set (py-faster-rcnn's `self.param_str_` under BVLC's `self.param_str`);
 * undefined when a read uses the one it sets.
 */
export function paramStrAttributeProblem(
  name: string,
  cls: ClassInfo,
  written: string,
  set: { root: string; attribute: 'param_str' | 'param_str_' },
  roots: readonly string[],
): string | undefined {
  const reads = cls.paramReads;
  if (reads.length === 0 || reads.some((r) => r.attribute === set.attribute)) return undefined;
  const read = reads[0];
  return (
    `${name} reads self.${read.attribute} (${written} line ${read.span.range.start.line + 1}), but the ` +
    `Caffe checkout at ${display(set.root, roots)}, whose caffe.proto this file is checked ` +
    `against, gives Python layers self.${set.attribute} (its python_layer.hpp): the read stops with ` +
    `AttributeError ('${name}' object has no attribute '${read.attribute}') when Caffe sets the layer ` +
    `up. Read self.${set.attribute}.`
  );
}
