// Names and argument shapes shared by the VS Code client and the language server.
// Editor-neutral: plain strings and JSON-serialisable types only (no `vscode`, no LSP library types).

import type { GraphPart } from './graph/types';

/** Command ids contributed by the extension (package.json `contributes.commands`). */
export const Commands = {
  restartServer: 'prototxt.restartServer',
  chooseSchema: 'prototxt.chooseSchema',
  showOutput: 'prototxt.showOutput',
  addTypeStubs: 'prototxt.addTypeStubs',
  runLayer: 'prototxt.runLayer',
  checkGradients: 'prototxt.checkGradients',
  /** Run layer / Check gradients under the debugger (same arguments as prototxt.runLayer). */
  debugLayer: 'prototxt.debugLayer',
  debugGradients: 'prototxt.debugGradients',
  /** Run a layer after asking how to fill its bottoms (random, zeros, .npy files). */
  runLayerWithOptions: 'prototxt.runLayerWithOptions',
  /** Reopen the results view of the last layer run. */
  showRunResults: 'prototxt.showRunResults',
  /** Learn a Python layer's top shapes by running its reshape (arguments: InferPythonShapesArgs). */
  inferPythonShapes: 'prototxt.inferPythonShapes',
  showGraph: 'prototxt.showGraph',
  /** A solver's learning rate over its iterations, in a webview (arguments: ShowLrScheduleArgs). */
  showLrSchedule: 'prototxt.showLrSchedule',
  /** The loss, test outputs and rate of a `caffe train` log, following the file as it grows. */
  plotTrainingLog: 'prototxt.plotTrainingLog',
  upgradeNet: 'prototxt.upgradeNet',
  /** Ask the interpreter's pycaffe again which layer types its Caffe registers (trusted workspaces only). */
  refreshInstalledLayerTypes: 'prototxt.refreshInstalledLayerTypes',
  /**
   * Internal: show a list of locations as a reference peek. Arguments: the document URI, the
   * position (LSP, 0-based) and LSP `Location`s — plain JSON, so that any client can handle it.
   */
  showReferences: 'prototxt.showReferences',
  /**
   * Internal: run by the quick fix of a Python module that is off the search path, on the user's
   * choice; appends a folder to `prototxt.python.extraPaths` (arguments: {@link AddPythonPathArgs}).
   * Offered only to clients that list it in initializationOptions.commands.
   */
  addPythonPath: 'prototxt.addPythonPath',
  /**
   * Internal: run by the quick fix of a warning about what only forks define, on the user's choice;
   * sets prototxt.schema.paths of the workspace to a shipped schema (arguments:
   * {@link UseBundledSchemaArgs}). Offered only to clients that list it in initializationOptions.commands.
   */
  useBundledSchema: 'prototxt.useBundledSchema',
  /** Internal (not in the palette): returns {@link ClientStatus}; used by the e2e suite. */
  getStatus: 'prototxt.getStatus',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Arguments of `prototxt.addPythonPath`: the folder (absolute path) and the prototxt it is for. */
export interface AddPythonPathArgs {
  folder: string;
  uri: string;
}

/** Arguments of `prototxt.useBundledSchema`: the setting that chooses the schema (`bundled:rfcn`) and the prototxt it is for. */
export interface UseBundledSchemaArgs {
  setting: string;
  uri: string;
}

/** Where the schema in use for a document came from. */
export type SchemaKind = 'bundled' | 'configured' | 'discovered';

/** Server -> client notification: the schema the server uses for one document. */
/** Server -> client: what is known of a document's shapes changed without an edit (learned Python
 * layer tops were dropped because their code changed); views showing its shapes ask again. */
export const ShapesChangedNotification = 'prototxt/shapesChanged';

export interface ShapesChangedParams {
  uri: string;
}

export const SchemaStatusNotification = 'prototxt/schemaStatus';

export interface SchemaStatusParams {
  /** The document this status applies to. */
  uri: string;
  /** Short human label, e.g. `BVLC (bundled)` or `ssd/caffe.proto`. */
  label: string;
  /** Absolute path of the caffe.proto, absent for the bundled schema. */
  path?: string;
  /** A bundled schema chosen as the one in use: the setting that chose it (`bundled:ssd`). */
  setting?: string;
  kind: SchemaKind;
  /** Problems met while loading the configured/discovered schema (the server fell back). */
  problems?: string[];
}

/**
 * Client -> server notification: the layer types the user's installed Caffe registers, as its pycaffe's
 * caffe.layer_type_list() lists them (the client asks only in a trusted workspace), or `types: null`
 * when that is not known (no pycaffe, not asked). A layer of another type gets Caffe's run-time error.
 */
export const InstalledLayerTypesNotification = 'prototxt/installedLayerTypes';

export interface InstalledLayerTypesParams {
  types: string[] | null;
  /** The interpreter that imports that Caffe, as messages name it (e.g. `/usr/bin/python3`). */
  label: string;
  /** Its major version (2 or 3), when it said: Python 2 code in layer modules is no problem under 2. */
  pythonMajor?: number;
  /**
   * The top-level modules it can import (its own listing), when it could tell: an import of a module
   * neither it nor the workspace has is then reported.
   */
  modules?: string[];
}

/** Client -> server request: the caffe.proto files the server can see for a document. */
export const ListSchemasRequest = 'prototxt/listSchemas';

export interface ListSchemasParams {
  /** The document the user is choosing a schema for, when there is one. */
  uri?: string;
}

export interface SchemaCandidate {
  /** Absolute path of a caffe.proto file. */
  path: string;
  /** Short label (path relative to the workspace root, or the fork's name). */
  label: string;
  /** Optional detail, e.g. how many messages it declares or why it was found. */
  detail?: string;
}

export interface ListSchemasResult {
  candidates: SchemaCandidate[];
  /** The schemas shipped with the extension that may be chosen by name (`bundled:ssd` in prototxt.schema.paths). */
  bundled?: { setting: string; label: string }[];
  /** The schema in use for `uri`, when known. */
  current?: SchemaStatusParams;
}

/** Arguments of `prototxt.runLayer` / `prototxt.checkGradients` as proposed by a code lens. */
export interface RunLayerArgs {
  /** The prototxt that declares the layer, or the Python file holding the class. */
  uri: string;
  /** Name of the prototxt layer (absent when run from a Python class with defaults). */
  layerName?: string;
  /** Dotted Python module (`python_param.module`). */
  module: string;
  /** Layer class name (`python_param.layer`). */
  layerClass: string;
  /** The unescaped `param_str` value, when the prototxt gives one. */
  paramStr?: string;
  phase?: 'TRAIN' | 'TEST';
  /** Known bottom shapes, `null` where inference could not tell. */
  bottomShapes?: (number[] | null)[];
  /** Why each bottom of unknown shape is unknown, in words (`null` for the known ones). */
  bottomNotes?: (string | null)[];
  /** Folders to put on PYTHONPATH (module resolution roots). */
  searchPaths?: string[];
  gradcheck?: boolean;
  /**
   * Set when run from a Python class: the prototxt layers that use it. The client asks which one to
   * run (then runs that layer's own code lens) or runs the class with defaults.
   */
  usages?: RunLayerUsage[];
}

/** A prototxt layer that uses a Python layer class. */
export interface RunLayerUsage {
  /** The prototxt file. */
  uri: string;
  layerName: string;
  /**
   * The phase the layer's own lens runs it in: a net may name one layer per phase (py-faster-rcnn's
   * TRAIN and TEST "proposal" layers), and this tells which of them.
   */
  phase?: 'TRAIN' | 'TEST';
}

/** Arguments of `prototxt.inferPythonShapes`: a run lens's, plus the bottoms of each phase to run. */
export interface InferPythonShapesArgs extends RunLayerArgs {
  /** The phases the layer is kept in whose bottom shapes are all known, with those shapes. */
  phases: { phase: 'TRAIN' | 'TEST'; bottomShapes: number[][] }[];
}

/**
 * Client -> server request: a Python layer's top shapes, learned by running its reshape (or a whole
 * run) with these bottom shapes in this phase. The server remembers them for the session and uses
 * them in shape inference while the layer's inferred bottoms are exactly these.
 */
export const PythonLayerShapesRequest = 'prototxt/pythonLayerShapes';

export interface PythonLayerShapesParams {
  /** The prototxt that declares the layer. */
  uri: string;
  layerName: string;
  phase: 'TRAIN' | 'TEST';
  bottomShapes: number[][];
  topShapes: number[][];
  /** Learnable parameters the layer made (sum of its blobs' counts), when known. */
  params?: number;
  /** `python_param` of the layer that ran; the shapes apply only while the layer still names them. */
  module?: string;
  layerClass?: string;
  paramStr?: string;
}

export interface PythonLayerShapesResult {
  accepted: boolean;
  /** Why the shapes were refused, when they were. */
  message?: string;
}

/** Arguments of `prototxt.showGraph`. */
export interface ShowGraphArgs {
  uri: string;
}

/** Arguments of `prototxt.showLrSchedule`. */
export interface ShowLrScheduleArgs {
  /** The solver. */
  uri: string;
}

/**
 * Client -> server request behind the schedule view: the learning rate of a solver (an open document)
 * at each iteration, as `caffe-prototxt lr --json` samples it.
 */
export const LrScheduleRequest = 'prototxt/lrSchedule';

export interface LrScheduleParams {
  uri: string;
}

export interface LrScheduleResult {
  /** The policy and the parameters it reads, in one line. */
  description: string;
  /** Set when there is a schedule to draw. */
  policy?: string;
  /** Both sides of every step plus an even sampling over [0, end]; lr null where it is not a number. */
  points: { iter: number; lr: number | null }[];
  /** The last iteration sampled: max_iter, or a range chosen when max_iter is not set. */
  end: number;
  /** Why nothing can be drawn, or what the picture assumes. */
  note?: string;
}

/** Arguments of `prototxt.upgradeNet`. */
export interface UpgradeNetArgs {
  uri: string;
}

/** Result of the internal `prototxt.getStatus` command. */
export interface ClientStatus {
  schemaLabel: string;
  schemaPath?: string;
  schemaKind?: SchemaKind;
  serverRunning: boolean;
  /** The open graph views. */
  graphs?: GraphViewStatus[];
  /** The open schedule and training-log views. */
  plots?: PlotViewStatus[];
}

/** What an open plot view shows (for the e2e suite). */
export interface PlotViewStatus {
  kind: 'lrSchedule' | 'trainingLog';
  /** The solver or the log file. */
  uri: string;
  /** The page's script ran and said so. */
  pageReady: boolean;
  /** What the page last drew: panels, points and the last iteration shown. */
  rendered?: { panels: number; points: number; lastIter: number | null };
}

/** What an open graph view shows (for the e2e suite). */
export interface GraphViewStatus {
  /** The prototxt it draws. */
  uri: string;
  /** The net file a solver's graph shows (the graph's `source`). */
  source?: string;
  /** The page's script ran and said so. */
  pageReady: boolean;
  /** The webview accepted the last graph posted to it. */
  graphDelivered: boolean;
  phase: 'TRAIN' | 'TEST';
  /** The nodes of the last graph the page received; absent before the first. */
  nodes?: { id: string; name: string; kind: string; inPlace: string[]; clickOffset: number }[];
  /** The layer the page was last told to outline (follows the editor's cursor); null for none. */
  highlighted: string | null;
  /** Why the view opened on its phase (set when the server chose it). */
  phaseReason?: string;
  /** The part of the net shown, when it is too large to show whole. */
  part?: GraphPart;
  /** What the page last said it shows; absent before it drew a graph. */
  page?: GraphPageReport;
}

/** What the graph page shows, as the page itself measures it (computed styles, the DOM's text). */
export interface GraphPageReport {
  /** The caption above the graph, as displayed. */
  caption: string;
  /** The caption's tooltip (the whole caption, and why this phase). */
  captionTitle: string;
  /** The caption is displayed whole: nothing of it is cut off or hidden. */
  captionWhole: boolean;
  /** The theme class VS Code puts on the page's body: vscode-light, vscode-dark, vscode-high-contrast(-light). */
  themeKind: string;
  /** Computed colours of page parts, and the resolved values of the theme variables they should use. */
  colours: {
    pageBackground: string;
    editorBackgroundVar: string;
    pressedButtonBackground: string;
    buttonBackgroundVar: string;
    buttonBorder: string;
    contrastBorderVar: string;
  };
  /** The zoom of the view (1 = the SVG's own size). */
  scale: number;
  /** The id of the node the view opened around, when any. */
  focusNodeId?: string;
  /** That node lies wholly inside the viewport. */
  focusVisible?: boolean;
}

/** Internal commands for the e2e suite: neither in the palette nor in the manifest. */
export const TestCommands = {
  /**
   * Hands a message to the graph view of a document as if its page had posted it (e.g. the
   * `{ type: 'reveal', offset }` of a click on a node). Arguments: the document URI and the message.
   * Resolves to false when no graph view of that document is open, else true once it was handled.
   */
  graphPageMessage: 'prototxt.graphPageMessage',
} as const;

/**
 * Client -> server request behind `prototxt.upgradeNet`: rewrite a V0/V1 net into the current format.
 * The server answers with the whole new text, or with a message saying why it cannot.
 */
export const UpgradeNetRequest = 'prototxt/upgradeNet';

export interface UpgradeNetResult {
  /** The upgraded document text; absent when nothing was changed or the upgrade is impossible. */
  text?: string;
  /** What was done, or why nothing was. */
  message: string;
}

/**
 * Client -> server request behind the graph view: the laid-out network graph of one phase of a
 * document (`provideGraph` in server/src/features/graph/graph.ts). The result is plain JSON (`LaidOutGraph`).
 */
export const GraphRequest = 'prototxt/graph';

export interface GraphParams {
  uri: string;
  /** Absent: the phase the file is used in (the answer's `phase`, with `phaseReason`). */
  phase?: 'TRAIN' | 'TEST';
  /**
   * A document offset. A net too large to lay out whole is shown in part (the answer's `part` and a
   * note say which): the part that holds the layer written here; absent, the first part.
   */
  around?: number;
  /**
   * The document `around` is an offset of, when it is not `uri`'s: the net file of a solver (the
   * answer's `source`). An offset of another document than the one shown is not used.
   */
  aroundIn?: string;
}

export type { LaidOutGraph as GraphResult } from './graph/types';
