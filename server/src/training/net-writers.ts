// Net files a script writes. Many Caffe repositories make their nets with pycaffe's net spec (a
// notebook or a `net.py` writes `train.prototxt`) or a shell script that fills in a template, so a
// solver may name a net file that is not in the checkout until that script has run. A Python file or
// notebook of the workspace that names the file in a string, or a shell script that writes it, is taken
// as its writer: the missing file is then a warning that says to run it first, not an
// error. A script naming the whole path is preferred to one naming only the file name (`train.prototxt`
// is a common name), and the warning says which it is. One walk of the workspace reads every path the
// scripts name, kept until a Python file changes.

import path from 'node:path';
import { readTextUpTo } from '../util/fs-probe';
import { filesUnder } from '../util/walk';
import { appendedFields, madeFolders, makesFolder, sedWords } from './folder-makers';
import type { StartFolder } from './solver-nets';

const SCRIPT = /\.(py|ipynb|sh)$/;
/** The largest script read. */
const MAX_BYTES = 4 << 20;

/**
 * The file paths a script's text names at the end of a string literal (`'train.prototxt'`,
 * `"nets/train.prototxt"`, `f"{out}/train.prototxt"`; in a notebook's JSON a quote is written \\"),
 * with `/` separators.
 */
export function namedPaths(text: string): string[] {
  // Read back from each quote over the word before it, never past the quote before: one pass over the
  // text. (A pattern that scans forward over such words backtracks through each long one, the base64
  // of a notebook's images, from every place in it.)
  const out: string[] = [];
  let floor = 0;
  for (const quote of text.matchAll(/["']/g)) {
    const q = quote.index;
    let end = q;
    // The backslash of a quote written \" (a notebook's JSON) is not part of the word.
    if (end > floor && text.charCodeAt(end - 1) === BACKSLASH) end--;
    let start = end;
    while (start > floor && isPathChar(text.charCodeAt(start - 1))) start--;
    floor = q + 1;
    if (start === end) continue;
    const word = text.slice(start, end);
    if (FILE_EXTENSION.test(word)) out.push(word.replace(/\\/g, '/'));
  }
  return out;
}

const BACKSLASH = 92;
/** A file name's extension at the end of a word. */
const FILE_EXTENSION = /\.[A-Za-z0-9]{1,12}$/;

/** A character of a path word: a letter, digit, `_`, `.`, `-`, `/` or `\`. */
function isPathChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 47 ||
    c === BACKSLASH
  );
}

/** The part of an option's name that says it names an output. */
const OUTPUT_PART = '(?:o|out|output|outfile|save|dest|quantized)';
const PATH_WORD = String.raw`["']?([\w.\-/]*\.[A-Za-z0-9]{1,12})["']?`;
const WORD_END = String.raw`(?=\s*(?:$|[;&|#]))`;

/**
 * The file paths a shell script writes: the target of a redirection (`> out.prototxt`), the last
 * word of a `cp`, `mv` or `ln`, the value of a tool's output option (`--model_quantized=q.prototxt`)
 * or the second argument of Caffe's upgrade tools, written out or through a variable the script assigns
 * (`trainfile=example/train.prototxt` ... `cp template.prototxt $trainfile`). A path the script only
 * reads, tests or prints (`TRAIN_MODEL=x` passed to a tool, `test -f x`) is not its output.
 */
export function shellWrittenPaths(text: string): string[] {
  const out: string[] = [];
  const assigned = new Map<string, string>();
  for (const m of text.matchAll(
    new RegExp(String.raw`^\s*(?:export\s+)?(\w+)=${PATH_WORD}${WORD_END}`, 'gm'),
  ))
    assigned.set(m[1], m[2]);
  const target = String.raw`(?:${PATH_WORD}|["']?\$\{?(\w+)\}?["']?)${WORD_END}`;
  // Within a command: the word ends at a space or a line continuation as well.
  const word = String.raw`(?:${PATH_WORD}|["']?\$\{?(\w+)\}?["']?)(?=\s|$|[;&|#])`;
  const writes = [
    new RegExp(String.raw`>>?\s*${target}`, 'gm'),
    new RegExp(String.raw`^\s*(?:cp|mv|ln)\b[^\n;&|#]*\s${target}`, 'gm'),
    // A tool's output option: one whose name has a part that says so (`-o`, `--output`,
    // `--model_quantized` of Ristretto's quantize, `--save-net`), then `=` or a space.
    new RegExp(
      String.raw`(?:^|\s)--?(?:[A-Za-z0-9]+[_-])*${OUTPUT_PART}(?:[_-][\w-]*)?(?:=|\s+)${word}`,
      'gm',
    ),
    // Caffe's upgrade tools write their second argument.
    new RegExp(String.raw`upgrade_(?:net|solver)_proto_(?:text|binary)\s+\S+\s+${word}`, 'gm'),
  ];
  for (const pattern of writes)
    for (const m of text.matchAll(pattern)) {
      const written = m[1] ?? (m[2] === undefined ? undefined : assigned.get(m[2]));
      if (written !== undefined) out.push(written);
    }
  return out;
}

/** Whether `text` names the file `name` at the end of a string literal. */
export function namesInString(text: string, name: string): boolean {
  return text.includes(name) && namedPaths(text).some((p) => p === name || p.endsWith(`/${name}`));
}

/** A script that names a missing net file: the path as the solver writes it, or only its file name. */
export interface NetWriter {
  /** The script, relative to its workspace root. */
  script: string;
  /** Whether the script names the whole path (`gen/train.prototxt`), not just `train.prototxt`. */
  wholePath: boolean;
  /** For a file name alone: how many other scripts name a file of that name too. */
  others?: number;
  /**
   * For a path written as a file name alone, which the script names only inside a folder
   * (MobileNet-SSD's gen_model.sh writes example/MobileNetSSD_train.prototxt): that path.
   */
  inFolder?: string;
}

/** Of `scripts` (relative to one of `roots`), the one whose folder shares the most folders with `file`'s. */
function nearest(scripts: readonly string[], roots: readonly string[], file: string): string {
  const folders = path.dirname(file).split(path.sep);
  const shared = (script: string): number => {
    let best = 0;
    for (const root of roots) {
      const own = path.dirname(path.join(root, script)).split(path.sep);
      let n = 0;
      while (n < own.length && n < folders.length && own[n] === folders[n]) n++;
      best = Math.max(best, n);
    }
    return best;
  };
  let pick = scripts[0];
  let most = shared(pick);
  for (const script of scripts.slice(1)) {
    const n = shared(script);
    if (n > most) [pick, most] = [script, n];
  }
  return pick;
}

/** A path a script names, with the script (relative to its root, and absolute). */
interface Named {
  script: string;
  file: string;
  path: string;
  /** The script runs a solver's iterations itself (`solver.step(n)`, `apply_update()`). */
  steps?: true;
}

/** A script's call that runs a solver's iterations itself, which max_iter does not end. */
const STEPS = /\.(?:step|apply_update)\(/;

/** A folder a script makes, with the script (relative to its root, and absolute). */
interface Made {
  script: string;
  file: string;
  folder: string;
}

/** What one walk of the scripts reads: the paths they name, by file name, the folders they make and the words their sed substitutions replace. */
interface ScriptReading {
  byName: Map<string, Named[]>;
  made: Made[];
  /** The first script replacing each word. */
  sed: Map<string, string>;
  /** The first Python or MATLAB script naming each upper-case word in quotes (a template's value). */
  quoted: Map<string, string>;
  /** The first Python or MATLAB script replacing each upper-case word (`.replace('WORD', ...)`). */
  replaced: Map<string, string>;
  /** The shell scripts appending each field to a prototxt they write. */
  appended: Map<string, string[]>;
}

/**
 * The code of a Python file or notebook, without its comment lines: a notebook's code cells (not its
 * markdown or outputs), each line that starts with `#` blanked. A path a comment or a note mentions
 * ("the model from words_net.prototxt") is not one the script writes. A notebook that is not JSON is
 * read as it is.
 */
function pythonCode(text: string, notebook: boolean): string {
  let code = text;
  if (notebook) {
    try {
      const cells: unknown = (JSON.parse(text) as { cells?: unknown }).cells;
      if (Array.isArray(cells)) {
        code = cells
          .filter((c: { cell_type?: unknown }) => c?.cell_type === 'code')
          .map((c: { source?: unknown }) =>
            Array.isArray(c.source) ? c.source.join('') : String(c.source ?? ''),
          )
          .join('\n');
      }
    } catch {
      // Not JSON: read as text.
    }
  }
  return code.replace(/^[ \t]*#.*$/gm, '');
}

/** Upper-case words a script writes in quotes: the values it may fill a template's placeholders with. */
function quotedWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/['"]([A-Z][A-Z0-9]*_[A-Z0-9_]*|[A-Z]{3,}[0-9]*)['"]/g)) out.push(m[1]);
  return out;
}

/** Upper-case words a replacement call of a script takes: `.replace('SOLVER_DIR', out)`, `strrep(s, 'N', n)`. */
function replacedWords(text: string): string[] {
  const out: string[] = [];
  for (const call of text.matchAll(/(?:\.replace|\bstrrep|\bregexprep|\bre\.sub)\s*\(([^)\n]*)\)/g))
    out.push(...quotedWords(call[1]));
  return out;
}

export class NetWriters {
  /** Per set of roots: by file name, each script naming a path of that name, in walk order. */
  private readonly named = new Map<string, ScriptReading>();

  constructor(private readonly limits: { maxDirs?: number } = {}) {}

  /**
   * A script under `roots` that names the file `written` (a solver's net path): one naming the whole
   * path first, else one naming its file name; of several, the nearest to `near` (the solver's file:
   * the script whose folder shares the most folders with the solver's), else the first.
   */
  writerOf(written: string, roots: readonly string[], near?: string): NetWriter | undefined {
    const whole = written.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    const name = path.posix.basename(whole);
    if (name === '') return undefined;
    const naming = this.naming(roots, name);
    // Several scripts naming the whole path (a project's copies, another Caffe checkout's notebook):
    // the nearest to the solver.
    // A file name alone is the whole path only where a script names it alone too.
    const same = (n: Named) =>
      n.path.replace(/^(\.\/)+/, '') === whole || (whole !== name && n.path.endsWith(`/${whole}`));
    const exact = [...new Set(naming.filter(same).map((n) => n.script))];
    if (exact.length > 0)
      return { script: near === undefined ? exact[0] : nearest(exact, roots, near), wholePath: true };
    const scripts = [...new Set(naming.map((n) => n.script))];
    if (scripts.length === 0) return undefined;
    const script = near === undefined ? scripts[0] : nearest(scripts, roots, near);
    const inFolder = whole === name ? naming.find((n) => n.script === script && !same(n))?.path : undefined;
    return {
      script,
      wholePath: false,
      ...(scripts.length > 1 ? { others: scripts.length - 1 } : {}),
      ...(inFolder !== undefined ? { inFolder } : {}),
    };
  }

  /**
   * The folders scripts start Caffe in for the solver `solverFile`: a script naming it by a relative
   * path with folders (`../solver.prototxt`) that leads to it from the script's own folder, other than
   * the solver's folder.
   */
  startFolders(solverFile: string, roots: readonly string[]): StartFolder[] {
    const out: StartFolder[] = [];
    const solverDir = path.dirname(solverFile);
    for (const n of this.naming(roots, path.basename(solverFile))) {
      if (!n.path.includes('/') || path.isAbsolute(n.path)) continue;
      const folder = path.dirname(n.file);
      if (folder === solverDir || path.resolve(folder, n.path) !== solverFile) continue;
      if (!out.some((s) => s.folder === folder)) out.push({ folder, script: n.script });
    }
    return out;
  }

  /**
   * A script under `roots` that makes one of `places` (the folders a snapshot folder of the solver
   * `solverFile` was looked for in), relative to its root; the nearest to the solver when several do.
   */
  makerOf(places: readonly string[], roots: readonly string[], solverFile: string): string | undefined {
    const scripts = this.reading(roots).made.flatMap((m) =>
      makesFolder(m.folder, path.dirname(m.file), roots, places) ? [m.script] : [],
    );
    return scripts.length === 0 ? undefined : nearest([...new Set(scripts)], roots, solverFile);
  }

  /**
   * A script under `roots` that names the solver `solverFile` (from its own folder or a root) and
   * runs a solver's iterations itself, relative to its root.
   */
  stepperOf(solverFile: string, roots: readonly string[]): string | undefined {
    const found = this.naming(roots, path.basename(solverFile)).find(
      (n) =>
        n.steps === true &&
        (path.resolve(path.dirname(n.file), n.path) === solverFile ||
          roots.some((r) => path.resolve(r, n.path) === solverFile)),
    );
    return found?.script;
  }

  /**
   * How a script under `roots` fills in the template word `word`, as a message says it: its sed
   * substitutions (`gen_model.sh replaces cls1x with sed`), else a Python or MATLAB script naming it
   * in quotes as a value to put in (rcnn-depth's `'N_CLASSES', sprintf('%d', ...)`, a `.replace('NUM_CLASSES', ...)`).
   * `replacedOnly` for a word that is a folder of a path (`ZOO/train.prototxt`): there only a
   * replacement (sed, `.replace('WORD', ...)`, `strrep(s, 'WORD', ...)`) tells a placeholder, as a
   * folder's name is often quoted for other ends.
   */
  fillerOf(word: string, roots: readonly string[], replacedOnly = false): string | undefined {
    const reading = this.reading(roots);
    const sed = reading.sed.get(word);
    if (sed !== undefined) return `${sed} replaces ${word} with sed`;
    const replacing = reading.replaced.get(word);
    if (replacing !== undefined) return `${replacing} replaces '${word}'`;
    const quoting = replacedOnly ? undefined : reading.quoted.get(word);
    return quoting === undefined ? undefined : `${quoting} fills in '${word}'`;
  }

  /**
   * A shell script under `roots` that appends `field` to a prototxt it writes, relative to its root; of
   * several, the nearest to `near` (the solver's file).
   */
  appenderOf(field: string, roots: readonly string[], near: string): string | undefined {
    const scripts = this.reading(roots).appended.get(field);
    return scripts === undefined ? undefined : nearest(scripts, roots, near);
  }

  /** The scripts under `roots` naming a path whose file name is `name`. */
  private naming(roots: readonly string[], name: string): readonly Named[] {
    return this.reading(roots).byName.get(name) ?? [];
  }

  private reading(roots: readonly string[]): ScriptReading {
    const key = roots.join('\0');
    let reading = this.named.get(key);
    if (!reading) this.named.set(key, (reading = this.walk(roots)));
    return reading;
  }

  /** Files changed on disk: when a script is among them, every answer is looked for again. */
  filesChanged(paths: readonly string[]): void {
    if (paths.some((p) => SCRIPT.test(p) || /\.(?:m|sed)$/.test(p))) this.named.clear();
  }

  /** One walk of the roots: every path each script names, by file name, and the folders it makes. */
  private walk(roots: readonly string[]): ScriptReading {
    const byName = new Map<string, Named[]>();
    const made: Made[] = [];
    const sed = new Map<string, string>();
    const quoted = new Map<string, string>();
    const replaced = new Map<string, string>();
    const appended = new Map<string, string[]>();
    for (const { root, file, name: fileName } of filesUnder(roots, { maxDirs: this.limits.maxDirs })) {
      const matlab = fileName.endsWith('.m');
      const sedScript = fileName.endsWith('.sed');
      if (!SCRIPT.test(fileName) && !matlab && !sedScript) continue;
      const text = readTextUpTo(file, MAX_BYTES);
      if (text === undefined) continue;
      const script = path.relative(root, file);
      if (sedScript) {
        for (const word of sedWords(text, true)) if (!sed.has(word)) sed.set(word, script);
        continue;
      }
      if (!fileName.endsWith('.sh')) {
        for (const word of quotedWords(text)) if (!quoted.has(word)) quoted.set(word, script);
        for (const word of replacedWords(text)) if (!replaced.has(word)) replaced.set(word, script);
      }
      if (matlab) continue;
      for (const folder of new Set(madeFolders(text))) made.push({ script, file, folder });
      for (const word of sedWords(text)) if (!sed.has(word)) sed.set(word, script);
      if (fileName.endsWith('.sh'))
        for (const field of new Set(appendedFields(text)))
          appended.set(field, [...(appended.get(field) ?? []), script]);
      const code = fileName.endsWith('.sh') ? text : pythonCode(text, fileName.endsWith('.ipynb'));
      const paths = fileName.endsWith('.sh') ? shellWrittenPaths(text) : namedPaths(code);
      const steps = !fileName.endsWith('.sh') && STEPS.test(code);
      for (const named of new Set(paths)) {
        const name = path.posix.basename(named);
        const entry: Named = steps ? { script, file, path: named, steps } : { script, file, path: named };
        const list = byName.get(name);
        if (list) list.push(entry);
        else byName.set(name, [entry]);
      }
    }
    return { byName, made, sed, quoted, replaced, appended };
  }
}
