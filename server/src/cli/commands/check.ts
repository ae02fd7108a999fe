// `caffe-prototxt check [options] PATH...`: the diagnostics the editor shows, for prototxt files and
// Python layer files, gathered by the language server's own code over the same workspace.

import path from 'node:path';
import { probeLayerTypes } from '../../../../common/run/layer-types';
import { ownEntry } from '../../../../common/tables';
import { checkedFiles, binaryReport, readChecked, type ReadFile } from '../check-files';
import { readStdinFile, STDIN_PATH, stdinUsageProblem } from '../stdin';
import { validateSchemaFile } from '../check-schema';
import type { ReadProtoFile } from '../../workspace/proto-files';
import { bundledChoice, isBundledSetting, unknownBundledChoice } from '../../workspace/bundled-choices';
import { CheckWorkspace, workspaceRootOf, type CheckedFile } from '../check-workspace';
import { formatReports, REPORT_FORMATS, type ReportFormat } from '../report-formats';
import { plural, problemCounts, type FileReport } from '../format';
import type { CliCommand, CliIo } from '../io';
import { DEFAULT_MAX_DIAGNOSTICS } from '../../analysis/diagnostic-cap';
import { codeProblem, SCHEMA_EXCLUDE_DEFAULT } from '../../settings';

const USAGE = `Usage: caffe-prototxt check [options] PATH...
       caffe-prototxt check [options] --stdin-name PATH - [PATH...]

Checks Caffe prototxt files (nets, solvers, label maps) against caffe.proto, and Python layers: the
modules and classes nets name, param_str in the class's format, and the layer classes of Python files
given by name or found in folders. Folders are walked for *.prototxt, *.pt, solver files without an
extension and *.py files with layer classes (node_modules and .git are skipped). The diagnostics are
the ones the editor shows.

Options:
  --schema FILE            check against this caffe.proto (default: the proto of the Caffe checkout
                           the file belongs to in its workspace, src/caffe/proto/caffe.proto, else the
                           bundled BVLC schema); a proto that only adds to Caffe's (no NetParameter)
                           goes into the schema given with it (repeat --schema: bundled:pspnet and
                           the caffe.proto of a layer built on PSPNet), else into the bundled BVLC
                           schema, and one the file's repository holds goes in too; bundled:NAME
                           checks against a schema shipped with the tool as the one in use:
                           bundled:bvlc, bundled:ssd, bundled:fastrcnn,
                           bundled:nvidia, bundled:ducha, bundled:sphereface, bundled:pspnet,
                           bundled:rfcn, bundled:segnet, bundled:tsn, bundled:caffeonspark,
                           bundled:deeplab, bundled:deconvnet, bundled:synopsys
  --schema-exclude GLOB    leave folders out of the search for caffe.proto (repeatable; default
                           node_modules and .git)
  --root DIR               the workspace root (default: the nearest folder above the current one
                           with a .git; for a file outside it, its own repository's, else the
                           current folder when it holds the file, else the given folder the file
                           was found in, else its own folder; never a home folder or disk root)
  --python-path DIR        an extra folder Python layer modules are found in (repeatable; the
                           folders of PYTHONPATH are used too)
  --python PATH            ask this interpreter's pycaffe which layer types its Caffe registers
                           (caffe.layer_type_list(); runs the interpreter, importing caffe from
                           --python-path and PYTHONPATH) and report the other types as Caffe
                           does at run time; also which modules it can import, to report a layer
                           module's import of one it lacks; without it no Python is run
  --format FORMAT          text: path:line:col: severity: message [code] (default);
                           json: one array of { path, diagnostics: [...] }, 1-based positions;
                           sarif: SARIF 2.1.0 for code scanning;
                           github: GitHub Actions workflow annotations
  --allow-layer-type TYPE  accept a layer type registered by a plugin (repeatable)
  --ignore CODE            leave out the diagnostics of this code, the one in brackets (repeatable;
                           e.g. python2-syntax; the editor's setting: prototxt.diagnostics.ignore)
  --max-diagnostics N      list at most N diagnostics per file and one that counts the rest, as the
                           editor does (default: ${DEFAULT_MAX_DIAGNOSTICS}; 0 lists all)
  --stdin-name PATH        with the PATH -: the prototxt read from standard input is checked as if it
                           were this file (its workspace, caffe.proto, solvers and paths; an
                           editor's unsaved text), and reported under this name instead of <stdin>
  -h, --help               show this text

Symbolic links are followed; FIFOs, devices, sockets, unreadable folders, broken links and link
cycles are never opened: given as a PATH they stop the check, inside a folder they are skipped, each
named on stderr and counted in a last line there (the output on stdout stays one valid document).
That last line also sums up what was found when there is an error or a warning: how many of each
severity, in how many of the files checked. When the PATHs hold no file to check, a line says so.

Exit status: 1 when any error was reported or a file could not be read, 0 otherwise; 2 on bad usage
or a PATH that does not exist or cannot be checked.
`;

/** Paths left out that are named one by one on stderr; the count says how many there were in all. */
const LEFT_OUT_LISTED = 20;

interface CheckArgs {
  /** `--schema`, in the order given: one schema of nets at most, and protos of additions. */
  schemas: string[];
  schemaExclude: string[];
  root?: string;
  pythonPaths: string[];
  python?: string;
  format: ReportFormat;
  allow: string[];
  /** Diagnostic codes left out (`--ignore`). */
  ignore: string[];
  paths: string[];
  maxDiagnostics: number;
  /** The file standard input stands for (`-` among the paths). */
  stdinName?: string;
}

function parseArgs(args: readonly string[]): CheckArgs | { help: true } | { problem: string } {
  const out: CheckArgs = {
    format: 'text',
    allow: [],
    ignore: [],
    paths: [],
    schemas: [],
    schemaExclude: [],
    pythonPaths: [],
    maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    const needs = (what: string): string | { problem: string } => {
      const v = value();
      return v === undefined || v === '' ? { problem: `${flag} needs ${what}` } : v;
    };
    if (flag === '-h' || flag === '--help') return { help: true };
    const takes: Record<string, [string, (v: string) => void]> = {
      '--schema': ['a file', (v) => out.schemas.push(v)],
      '--schema-exclude': ['a glob', (v) => out.schemaExclude.push(v)],
      '--root': ['a folder', (v) => (out.root = v)],
      '--python-path': ['a folder', (v) => out.pythonPaths.push(v)],
      '--python': ['an interpreter', (v) => (out.python = v)],
      '--allow-layer-type': ['a type', (v) => out.allow.push(v)],
      '--stdin-name': ['a path', (v) => (out.stdinName = v)],
    };
    const take = ownEntry(takes, flag);
    if (take) {
      const [what, set] = take;
      const v = needs(what);
      if (typeof v !== 'string') return v;
      set(v);
    } else if (flag === '--format') {
      const v = value();
      if (!REPORT_FORMATS.includes(v as ReportFormat))
        return { problem: `--format must be ${REPORT_FORMATS.join(', ')}, not ${v ?? 'nothing'}` };
      out.format = v as ReportFormat;
    } else if (flag === '--ignore') {
      const v = needs('a diagnostic code');
      if (typeof v !== 'string') return v;
      const problem = codeProblem(v);
      if (problem) return { problem: `--ignore: ${problem}` };
      out.ignore.push(v);
    } else if (flag === '--max-diagnostics') {
      const v = value();
      if (v === undefined || !/^\d{1,9}$/.test(v))
        return { problem: `--max-diagnostics needs a whole number (0 for all), not ${v ?? 'nothing'}` };
      out.maxDiagnostics = Number(v);
    } else if (flag === '--') {
      out.paths.push(...args.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag !== '-') return { problem: `unknown option ${flag}` };
    else out.paths.push(arg);
  }
  if (out.paths.length === 0) return { problem: 'no PATH given' };
  const stdin = out.paths.filter((p) => p === STDIN_PATH).length;
  const problem = stdinUsageProblem(stdin, out.stdinName, 'among the PATHs');
  return problem === undefined ? out : { problem };
}

export const checkCommand: CliCommand = {
  summary: 'check prototxt files and Python layers as the editor does',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv);
    if ('help' in args) {
      io.stdout(USAGE);
      return 0;
    }
    if ('problem' in args) {
      io.stderr(`caffe-prototxt check: ${args.problem}\n\n${USAGE}`);
      return 2;
    }
    const onDisk = args.paths.filter((p) => p !== STDIN_PATH);
    const { files, missing, refused, skipped } = checkedFiles(onDisk, io.cwd);
    if (missing.length > 0 || refused.length > 0) {
      if (missing.length > 0)
        io.stderr(`caffe-prototxt check: no such file or folder: ${missing.join(', ')}\n`);
      for (const r of refused) io.stderr(`caffe-prototxt check: cannot check ${r.path}: ${r.reason}\n`);
      return 2;
    }
    for (const s of skipped.slice(0, LEFT_OUT_LISTED))
      io.stderr(`caffe-prototxt check: skipped ${s.path}: ${s.reason}\n`);
    const schemas = givenSchemas(args.schemas, io);
    if (typeof schemas === 'string') {
      io.stderr(`caffe-prototxt check: ${schemas}\n`);
      return 2;
    }
    const fromStdin = onDisk.length < args.paths.length ? await readStdinFile(args.stdinName, io) : undefined;
    if (typeof fromStdin === 'string') {
      io.stderr(`caffe-prototxt check: ${fromStdin}\n`);
      return 2;
    }
    const installed = await installedLayerTypes(args, io);
    if (installed === 'bad-usage') return 2;
    // Standard input stands for its file: that file on disk (given, or found in a folder) is not read.
    const checked = fromStdin
      ? [...files.filter((f) => f.absolute !== fromStdin.absolute), fromStdin]
      : files;
    const { reports, unreadable } = await checkAll(checked, args, schemas, io, installed, fromStdin);
    const errors = reports.reduce(
      (n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length,
      0,
    );
    if (args.format !== 'text') io.stdout(formatReports(args.format, reports, io.cwd));
    const leftOut = skipped.length + unreadable;
    if (reports.length === 0 && leftOut === 0) {
      // Nothing was checked: said, so that a hook pointed at the wrong folder does not pass in silence.
      io.stderr(
        `caffe-prototxt check: no file to check in ${onDisk.join(', ')}: none is a *.prototxt, *.pt, ` +
          'solver file without an extension or Python layer file\n',
      );
      return 0;
    }
    const found = problemCounts(reports);
    if (leftOut > 0 || found !== '') {
      // One last line on stderr: how many files, what was found in them, and what was left out.
      const more =
        skipped.length > LEFT_OUT_LISTED
          ? `, ${skipped.length - LEFT_OUT_LISTED} of them not named above`
          : '';
      const left =
        leftOut > 0
          ? `, ${leftOut} left out (${skipped.length} skipped in folders${more}, ${unreadable} unreadable)`
          : '';
      io.stderr(`caffe-prototxt check: ${plural(reports.length, 'file')} checked${found}${left}\n`);
    }
    return errors + unreadable > 0 ? 1 : 0;
  },
};

/**
 * With `--python`: what the interpreter's Caffe registers, labelled with the interpreter as given;
 * undefined (with a note) when its caffe cannot tell; 'bad-usage' when the interpreter is missing.
 */
async function installedLayerTypes(
  args: CheckArgs,
  io: CliIo,
): Promise<{ types: string[]; label: string; major?: number; modules?: string[] } | undefined | 'bad-usage'> {
  if (args.python === undefined) return undefined;
  const python = /[\\/]/.test(args.python) ? path.resolve(io.cwd, args.python) : args.python;
  const probe = await probeLayerTypes({
    python,
    pythonPath: args.pythonPaths.map((p) => path.resolve(io.cwd, p)),
    cwd: io.cwd,
  });
  if (probe.ok)
    return {
      types: probe.types,
      label: args.python,
      major: probe.major,
      ...(probe.modules ? { modules: probe.modules } : {}),
    };
  if (probe.reason === 'no-python') {
    io.stderr(`caffe-prototxt check: --python: ${probe.message}\n`);
    return 'bad-usage';
  }
  io.stderr(
    `caffe-prototxt check: layer types are not checked against the installed Caffe: ${probe.message}\n`,
  );
  return undefined;
}

/** A `--schema` as given: a proto file (read) or the bundled schema it chooses (`bundled:ssd`). */
interface GivenSchema {
  path: string;
  read?: ReadProtoFile;
}

/**
 * The `--schema`s, each checked (a bundled name that exists, a proto that reads); at most one of them
 * a schema of nets (a bundled one or a proto that defines NetParameter), the others protos of
 * additions, which go into it. Else why not.
 */
function givenSchemas(written: readonly string[], io: CliIo): GivenSchema[] | string {
  const given: GivenSchema[] = [];
  const bases: string[] = [];
  // The same schema given twice is given once.
  for (const w of new Set(written)) {
    if (isBundledSetting(w)) {
      if (!bundledChoice(w)) return `cannot use --schema ${w}: ${unknownBundledChoice(w)}`;
      given.push({ path: w });
      bases.push(w);
      continue;
    }
    const file = path.resolve(io.cwd, w);
    if (given.some((g) => g.path === file)) continue;
    const valid = validateSchemaFile(file, w);
    if (typeof valid === 'string') return valid;
    given.push({ path: file, read: valid.proto });
    if (valid.proto.schema.message('caffe.NetParameter') !== undefined) bases.push(w);
  }
  if (bases.length > 1)
    return `--schema ${bases[0]} and --schema ${bases[1]} are both schemas of nets: give one, and any number of protos that only add to Caffe's`;
  return given;
}

/** Checks every file (text output is printed as each file is done); every report, and how many files could not be read. */
async function checkAll(
  files: readonly CheckedFile[],
  args: CheckArgs,
  /** The --schema files (read), or the bundled schema one chooses (`bundled:ssd`). */
  schemas: readonly GivenSchema[],
  io: CliIo,
  installed: { types: string[]; label: string; major?: number; modules?: string[] } | undefined,
  /** The file standard input stands for, already read. */
  stdin?: ReadFile,
): Promise<{ reports: FileReport[]; unreadable: number }> {
  const texts = new Map<string, string>();
  const read: { file: CheckedFile; kind: 'text' | 'binary' | 'unreadable' }[] = [];
  for (const file of files) {
    try {
      const r = file === stdin ? stdin : readChecked(file);
      if (r.text !== undefined) texts.set(file.absolute, r.text);
      read.push({ file, kind: r.text === undefined ? 'binary' : 'text' });
    } catch (error) {
      io.stderr(`${file.shown}: cannot read: ${(error as Error).message}\n`);
      read.push({ file, kind: 'unreadable' });
    }
  }
  const roots = [...new Set(files.map((f) => workspaceRootOf(f.absolute, io.cwd, args.root, f.folder)))];
  const envPaths = (process.env.PYTHONPATH ?? '').split(path.delimiter).filter((p) => p !== '');
  const workspace = new CheckWorkspace({
    roots,
    schemas,
    schemaExclude: args.schemaExclude.length > 0 ? args.schemaExclude : SCHEMA_EXCLUDE_DEFAULT,
    allowLayerTypes: args.allow,
    ignore: args.ignore,
    ...(installed ? { installedLayerTypes: installed } : {}),
    pythonPaths: [...args.pythonPaths, ...envPaths].map((p) => path.resolve(io.cwd, p)),
    ...(args.python !== undefined ? { interpreter: args.python } : {}),
    ...(installed?.major !== undefined ? { pythonMajor: installed.major } : {}),
    ...(installed?.modules
      ? {
          installedModules: {
            names: new Set(installed.modules),
            label: installed.label,
            ...(installed.major !== undefined ? { major: installed.major } : {}),
          },
        }
      : {}),
    maxDiagnostics: args.maxDiagnostics,
  });
  const leftOut = await workspace.preparePython(files, texts);
  const reports: FileReport[] = [];
  const shown = new Set<string>();
  for (const { file, kind } of read) {
    if (leftOut.has(file.absolute)) continue;
    const text = texts.get(file.absolute);
    let report: FileReport;
    if (kind === 'binary') {
      // Found in a folder, a binary .pt is PyTorch's (its tensors and models take that extension).
      if (file.found && file.absolute.endsWith('.pt')) continue;
      report = binaryReport(file);
    } else if (kind === 'unreadable' || text === undefined) continue;
    else {
      const outcome = await workspace.check(file, text);
      for (const problem of outcome.schemaProblems) {
        if (!shown.has(problem)) io.stderr(`caffe-prototxt check: ${problem}\n`);
        shown.add(problem);
      }
      report = outcome.report;
    }
    if (args.format === 'text') io.stdout(formatReports('text', [report], io.cwd));
    reports.push(report);
  }
  return { reports, unreadable: read.filter((r) => r.kind === 'unreadable').length };
}
