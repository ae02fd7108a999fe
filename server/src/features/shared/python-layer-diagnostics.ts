// The Python-layer problems of a prototxt (a module or class that is not found, a class that is no
// caffe.Layer, param_str that does not parse in the class's format or lacks a key it reads): they need
// the workspace's Python index, so they are checked apart from the analysis. Diagnostics publishes
// them; quick fixes start from them.

import type { AnalysisDiagnostic } from '../../analysis/diagnostic';
import { checkPythonLayers } from '../../analysis/python-layers';
import { netsOf } from '../../analysis/model/embedded-nets';
import type { AnalyzedDocument } from '../../workspace/analyses';
import type { PythonWorkspace } from '../../workspace/python-workspace';
import { prototxtDir } from './python-layer-at';

/** The Python-layer problems of a prototxt, in offsets (empty for solvers without nets and other files). */
export function pythonLayerDiagnostics(
  input: AnalyzedDocument,
  python: PythonWorkspace,
): AnalysisDiagnostic[] {
  const options = {
    index: python.index,
    ready: python.ready,
    fromDir: prototxtDir(input, python),
    roots: python.workspaceRoots,
    paramStrFormat: input.settings.paramStr.format,
    interpreter: input.settings.python.interpreter,
    pythonMajor: python.pythonMajor,
    installedModules: python.installedModules,
    paramStrAttribute: input.schema.checkoutParamStr,
  };
  // A net file's net, or the nets a solver embeds.
  return netsOf(input.analysis).flatMap((net) => checkPythonLayers(net, options));
}
