// What the analyzer learns from one Python file: the shapes shared by the index, the resolver and features.
// Offsets count UTF-16 code units like the rest of the engine; `range` is the same span as 0-based positions.

import type { Range } from '../util/ranges';

export interface PySpan {
  start: number;
  end: number;
  range: Range;
}

/**
 * One name bound by an import statement.
 * `import a.b` binds `a` (module `a`, but `a.b` is reachable); `import a.b as c` binds `c` to `a.b`;
 * `from ..m import N as L` binds `L` to `N` of module `m`, two levels up (level 2).
 */
export interface ImportBinding {
  kind: 'import' | 'from';
  /** Dotted module as written, without the leading dots of a relative import. */
  module: string;
  /** Number of leading dots (0 for an absolute import). */
  level: number;
  /** The imported name of a `from` import, `*` for a wildcard import. */
  name?: string;
  alias?: string;
  /** The local name the statement binds (undefined for `from m import *`). */
  local?: string;
  /** Set when importing the module may skip the statement or survive its failure (imports.ts). */
  conditional?: true;
  /** The statement. */
  span: PySpan;
  /** The module name of an absolute `from` import: where the dot of a relative one would go. */
  moduleSpan?: PySpan;
}

/** A dotted reference resolved through the module's imports. */
export type ResolvedName =
  | { kind: 'local'; name: string }
  | {
      kind: 'imported';
      /** Module part, absolute or relative (see `level`). */
      module: string;
      level: number;
      /** The last segment: the class (or function) looked up in that module. */
      name: string;
      /** Written qualified name, `..pkg.mod.Name` for relative ones. */
      qualified: string;
      /** True when the name is only reachable through `from m import *`. */
      viaWildcard: boolean;
      /** Through a wildcard import: the module it imports from (`config` of `from config import *`). */
      wildcardModule?: string;
    }
  | { kind: 'builtin'; name: string }
  | { kind: 'unresolved'; text: string };

export interface BaseClassRef {
  /** The base as written, e.g. `caffe.Layer`, `c.Layer`, `L`, `proposal_layer.ProposalLayer`. */
  text: string;
  resolved: ResolvedName;
  span: PySpan;
}

export interface MethodInfo {
  name: string;
  /** Parameter names as written, splats with their stars (`*args`, `**kw`); `*` and `/` markers are left out. */
  parameters: string[];
  /** How many of them have a default value (`extra=None`): a call may leave those out. */
  defaults: number;
  nameSpan: PySpan;
  /** The parenthesised parameter list. */
  parametersSpan: PySpan;
  /** From `def` (or `async def`) up to the closing parenthesis of the parameters. */
  signatureSpan: PySpan;
  /** The whole definition including its decorators and body. */
  span: PySpan;
  /**
   * For setup, reshape and forward: what the body does with its tops parameter. `reshapes`: calls
   * `top[i].reshape(...)`; `indexes`: only indexes it (`top[0].data`, `len(top)`); `other`: anything
   * that could reshape through another name (passed on, iterated, kept); `none`: never names it.
   */
  topUse?: 'reshapes' | 'indexes' | 'other' | 'none';
}

export type ParamFormat = 'json' | 'yaml' | 'eval' | 'literal_eval' | 'float' | 'int' | 'split' | 'raw';

/** One place where the class turns `self.param_str` (or `self.param_str_`) into values. */
export interface ParamRead {
  format: ParamFormat;
  attribute: 'param_str' | 'param_str_';
  /** The parser as written, e.g. `yaml.load`, `json.loads`, `eval`, `.split`. */
  callee: string;
  /** Separator of a `.split(sep)` call as a Python string value; undefined for `.split()` (whitespace). */
  separator?: string;
  /**
   * `.replace(old, new)` calls on the string before it is parsed, in the order they run, each with
   * literal arguments (`json.loads(self.param_str.replace("'", '"'))` reads single quotes as double).
   */
  replaces?: [string, string][];
  /** Where the result is kept: a local name (`params`), `self.params`, or undefined when used in place. */
  holder?: string;
  method: string;
  /** The whole call (or the attribute itself for `raw`). */
  span: PySpan;
}

export interface ParamKeyAccess {
  access: 'subscript' | 'get' | 'in' | 'index';
  /** The whole access: `params['k']`, `params.get('k', 1)`, `'k' in params`, or the unpacking target. */
  span: PySpan;
  /** The key literal itself (or the integer index). */
  keySpan: PySpan;
  /** Source text of the default of `.get('k', d)` / `.pop('k', d)` / `.setdefault('k', d)`. */
  default?: string;
  /** Read in a function the layer calls only on some paths (under an `if`, in a loop or a `try`). */
  maybe?: true;
}

/** One key the class reads from its parsed parameters (or one position of a `.split` result). */
export interface ParamKey {
  name: string;
  /** Read by subscript without any `in` check, `.get` or default for the same key in the class. */
  required: boolean;
  /** Source text of the first default seen, `None` for `.get('k')`. */
  default?: string;
  accesses: ParamKeyAccess[];
}

export interface ClassInfo {
  name: string;
  nameSpan: PySpan;
  span: PySpan;
  bases: BaseClassRef[];
  methods: MethodInfo[];
  paramReads: ParamRead[];
  paramKeys: ParamKey[];
  /** `eval(self.param_str)` calls (directly or through a local alias), for a warning. */
  evalCalls: PySpan[];
  /** Set when the class body calls `blobs.add_blob(...)`: the layer has parameters to learn. */
  addsBlobs?: true;
  /** Set when its parsed parameters go where keys may be read unseen (`Loader(params)`): paramKeys may miss some. */
  keysOpen?: true;
}

export interface SysPathEntry {
  via: 'sys.path.insert' | 'sys.path.append' | 'add_path' | 'site.addsitedir';
  /** The absolute folder, or undefined when the argument could not be worked out statically. */
  folder?: string;
  /**
   * A relative path as written (`sys.path.insert(0, 'lib')`): Python takes it from the folder the
   * script is started in, the script's own (`folder`) or, as often, the repository's root.
   */
  relative?: string;
  /** Source text of the argument. */
  argument: string;
  span: PySpan;
  /**
   * The argument, when the path it gives starts with `~` and nothing expands it: Python takes that
   * for a folder named `~` (sys.path entries are never expanded), not the home folder.
   */
  tilde?: PySpan;
}

export type Python2Kind =
  | 'print'
  | 'print-chevron'
  | 'exec'
  | 'backquote'
  | 'not-equal'
  | 'long'
  | 'octal'
  | 'ur-string'
  | 'raise-comma'
  | 'tuple-parameter'
  | 'module'
  | 'builtin'
  | 'dict-method';

/** Python 2 code that Python 3 cannot run (python2.ts says which and why). */
export interface Python2Construct {
  kind: Python2Kind;
  span: PySpan;
  /** The Python 3 text for the span, when one does the same. */
  python3?: string;
  /** The name involved: the module imported, the builtin or the method used. */
  name?: string;
}

/** A `yaml.load(text)` call without a Loader (yaml-load.ts), with its two fixes where they apply. */
export interface YamlLoadCall {
  /** The whole call. */
  span: PySpan;
  /** `yaml.load` as written: `safeLoad` replaces it. */
  function: PySpan;
  safeLoad?: string;
  /** Where `loaderText` goes (an empty span before the closing parenthesis). */
  loaderAt?: PySpan;
  loaderText?: string;
}

/** A module-level assignment to a plain name (each name of `A, B = ...` gets one). */
export interface ModuleAssignment {
  name: string;
  /** The right side when it is a plain name (`Smooth = SmoothL1`): an alias of what that name is. */
  alias?: string;
  /** The whole statement. */
  span: PySpan;
}

export interface ModuleInfo {
  file: string;
  imports: ImportBinding[];
  classes: ClassInfo[];
  sysPath: SysPathEntry[];
  /**
   * Set when the module is a script that builds a net or solver through pycaffe (sys-path.ts): run,
   * its own folder is first on Python's search path, where the layer modules it names are found.
   */
  runsCaffe?: true;
  /** ERROR and MISSING nodes of the syntax tree (first few); analysis still covers the rest. */
  syntaxErrors: PySpan[];
  /** Python 2 code (the first few, python2.ts); absent when there is none. */
  python2?: Python2Construct[];
  /**
   * The names a module-level `__all__` lists (a list or tuple of string literals): what `from m import *`
   * takes from it. Absent without one, or when it is computed.
   */
  publicNames?: string[];
  /** `yaml.load` calls that PyYAML 6 refuses (yaml-load.ts); absent when there is none. */
  yamlLoads?: YamlLoadCall[];
  /**
   * Module-level names bound by an assignment (`Smooth = SmoothL1`, `Layer = make_layer(...)`), in
   * source order, dunder names left out; absent when there is none.
   */
  assignments?: ModuleAssignment[];
  /** Set when the file could not be parsed at all (the other lists are then empty). */
  failure?: string;
}
