// Folders a script makes, and the words its sed substitutions fill in, read from the script's text as
// net writers are. A solver's snapshot folder is often missing from a checkout because the script that
// starts training makes it first (`mkdir -p snapshots` before `caffe train`, `os.makedirs(...)` in a
// notebook); a template net's placeholders are words a script's sed replaces.

import path from 'node:path';

/** A word of a folder path: letters, digits, `_`, `.`, `-`, `/`. */
const FOLDER_WORD = /^[\w.\-/]+$/;

/**
 * The folders a script's text makes: the arguments of `mkdir` (in a shell script, a notebook's `!mkdir`
 * or a command string), written out or through a variable the script assigns (`dir=snapshots` ...
 * `mkdir -p $dir`), and the argument of Python's `os.makedirs` / `os.mkdir`: a literal, or a name the
 * script assigns one.
 */
export function madeFolders(text: string): string[] {
  if (!text.includes('mkdir') && !text.includes('makedirs')) return [];
  const assigned = new Map<string, string>();
  for (const m of text.matchAll(/^\s*(?:export\s+)?(\w+)=["']?([\w.\-/]+)["']?\s*$/gm))
    assigned.set(m[1], m[2]);
  const out: string[] = [];
  const expand = (arg: string) =>
    arg.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => assigned.get(name) ?? whole);
  // The folder a shell script has changed to (`cd 002_train_seg_Full_anno` before `mkdir snapshot`),
  // relative to where it started; undefined once it is not known (`cd $CAFFE_ROOT`).
  let cwd: string | undefined = '';
  for (const line of text.split('\n')) {
    const cd = /^\s*cd\s+["']?([^\s;&|#"']+)["']?\s*(?:$|[;&#])/.exec(line);
    if (cd) {
      const to = expand(cd[1]);
      cwd = !FOLDER_WORD.test(to)
        ? undefined
        : to.startsWith('/')
          ? to
          : cwd === undefined
            ? undefined
            : path.posix.join(cwd, to);
    }
    for (const m of line.matchAll(/(?:^|[\s"'!;&|(`])mkdir\s+([^\n;&|#`\\)]*)/g)) {
      for (const quoted of m[1].split(/\s+/)) {
        // A quoted word ("$dir/vgg"), or the end of a command string (`'mkdir -p snap', shell=True`).
        const arg = quoted.replace(/^["']/, '').split(/["']/)[0];
        if (arg === '' || arg.startsWith('-')) continue;
        const word = expand(arg);
        if (!FOLDER_WORD.test(word)) continue;
        // After a cd to a folder not known (`cd $CAFFE_ROOT`), the word is taken as written.
        out.push(word.startsWith('/') || !cwd ? word : path.posix.join(cwd, word));
      }
    }
  }
  // Python: a literal, or a name assigned one (`dirname = os.path.abspath('./data')`; in a notebook's
  // JSON, a line of source starts with a quote and its quotes are written \").
  const literal = String.raw`[rRuU]?\\?["']([\w.\-/]+)\\?["']`;
  const named = new Map<string, string>();
  const assignment = String.raw`^\s*"?(\w+)\s*=\s*(?:os\.path\.(?:abspath|normpath|expanduser)\(\s*)?${literal}`;
  for (const m of text.matchAll(new RegExp(assignment, 'gm'))) named.set(m[1], m[2]);
  for (const m of text.matchAll(
    new RegExp(String.raw`\bos\.(?:makedirs|mkdir)\(\s*(?:${literal}|(\w+)\s*[,)])`, 'g'),
  )) {
    const folder = m[1] ?? (m[2] === undefined ? undefined : named.get(m[2]));
    if (folder !== undefined) out.push(folder);
  }
  return out;
}

/**
 * The words a script's `sed` substitutions replace (`sed -i "s/cls1x/${n}/g" $trainfile`,
 * DistillingCaffe's `s:<NET_HOLDER>:./net.prototxt:g`): a template net's placeholder words, where a
 * number or a path goes until the script fills them in.
 */
export function sedWords(text: string, sedScript = false): string[] {
  if (!sedScript && !text.includes('sed')) return [];
  const out: string[] = [];
  // A sed script file (DeepLab's sub.sed, which run_pascal.sh hands to sed) is all substitutions.
  const lines = sedScript ? text.split('\n') : [...text.matchAll(/\bsed\b[^\n]*/g)].map((m) => m[0]);
  for (const line of lines)
    for (const m of line.matchAll(
      /(?:^|[\s"';])s([/|#,:])(<[A-Za-z_][\w-]*>|\$\{[A-Za-z_]\w*\}|[A-Za-z_][\w-]*)\1/g,
    ))
      out.push(m[2]);
  return out;
}

/**
 * The fields a shell script appends to a prototxt it writes, as `echo "base_lr: $lr" >> $solverfile`
 * (after copying a template solver there): the template itself goes without them.
 */
export function appendedFields(text: string): string[] {
  if (!text.includes('>>')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:echo|printf)\s+(?:-e\s+)?["']?([a-z_][a-z0-9_]*)\s*:[^\n]*>>/gm))
    out.push(m[1]);
  return out;
}

/**
 * Whether a script in `scriptDir` making `made` (mkdir -p, with its parents) makes one of `places` (the
 * absolute folders Caffe may take a solver's snapshot folder for). A relative path is taken from the
 * script's folder, and one with folders also from each root, where scripts are often run.
 */
export function makesFolder(
  made: string,
  scriptDir: string,
  roots: readonly string[],
  places: readonly string[],
): boolean {
  const word = made.replace(/\\/g, '/');
  const withFolders = word
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .includes('/');
  const starts = path.isAbsolute(word) ? [''] : [scriptDir, ...(withFolders ? roots : [])];
  for (const start of starts) {
    const at = path.resolve(start, word);
    if (places.some((p) => at === p || at.startsWith(p + path.sep))) return true;
  }
  return false;
}
