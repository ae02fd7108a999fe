// What the Python 2 forms that python2.ts finds are called, what Python 3 does with each (the error it
// stops with, at import or when the line runs) and what it has instead: the words of the diagnostics
// on Python files and on nets, and the tables the finding reads.

import type { Python2Construct, Python2Kind } from './module-info';

/** How each construct is named in a message. */
export const PYTHON2_NAMES: Readonly<Record<Python2Kind, string>> = {
  print: 'a print statement',
  'print-chevron': "'print >>file'",
  exec: 'an exec statement',
  backquote: 'backquotes for repr()',
  'not-equal': "the '<>' operator",
  long: 'a long integer literal (L suffix)',
  octal: "an octal literal without '0o'",
  'ur-string': "a 'ur' string prefix",
  'raise-comma': "'raise E, value'",
  'tuple-parameter': 'a tuple parameter',
  module: 'an import of a Python 2 module',
  builtin: 'a Python 2 builtin',
  'dict-method': 'a Python 2 dict method',
};

/** What a construct is, for a message: "a print statement", "an import of cPickle (pickle in Python 3)". */
export function describePython2(c: Python2Construct): string {
  const name = c.name;
  if (name === undefined) return PYTHON2_NAMES[c.kind];
  switch (c.kind) {
    case 'module': {
      const now = PYTHON3_MODULES.get(name);
      return `an import of ${name} (${now ? `${now} in Python 3` : 'gone in Python 3'})`;
    }
    case 'builtin':
      return `${name}, a builtin Python 3 lacks`;
    case 'dict-method':
      return `dict.${name}(), which Python 3 dicts lack`;
    default:
      return PYTHON2_NAMES[c.kind];
  }
}

/**
 * Whether Python 3 stops importing a module that holds it. Not for `print >>f, x`, also an expression in
 * Python 3 (a shift of the print function, in a tuple), nor for builtins and dict methods: the module
 * imports, and fails with a TypeError, NameError or AttributeError when the line runs.
 */
export function stopsImport(kind: Python2Kind): boolean {
  return kind !== 'print-chevron' && kind !== 'builtin' && kind !== 'dict-method';
}

/** The Python 3 form as a reader sees it: `.items()` for a method renamed (the fix replaces the name). */
export function python3Shown(c: Python2Construct): string | undefined {
  if (c.python3 === undefined) return undefined;
  return c.kind === 'dict-method' && /^\w+$/.test(c.python3) ? `.${c.python3}()` : c.python3;
}

/** What Python 3 does with the construct (`imported`: what the import of the file is, e.g. "the layer"). */
export function python3Effect(kind: Python2Kind, imported: string): string {
  switch (kind) {
    case 'module':
      return `Python 3 has no such module, so importing ${imported} stops with a ModuleNotFoundError`;
    case 'print-chevron':
      return 'Python 3 reads it as a shift of the print function and stops with a TypeError when the line runs';
    case 'builtin':
    case 'dict-method':
      return `Python 3 stops with ${python3Error(kind) === 'AttributeError' ? 'an' : 'a'} ${python3Error(kind)} when the line runs`;
    default:
      return `Python 3 cannot compile this file, so importing ${imported} stops with a SyntaxError`;
  }
}

/** The error Python 3 stops with, at import (`stopsImport`) or when the line runs. */
export function python3Error(kind: Python2Kind): string {
  switch (kind) {
    case 'module':
      return 'ModuleNotFoundError';
    case 'print-chevron':
      return 'TypeError';
    case 'builtin':
      return 'NameError';
    case 'dict-method':
      return 'AttributeError';
    default:
      return 'SyntaxError';
  }
}

/**
 * Python 2's standard modules that Python 3 renamed (the new name) or dropped (''). A fix is offered
 * for a rename; a dropped one (StringIO, urllib2, ...) needs its uses changed too. Left out: names a
 * project's own module may well have (thread, commands, sets, md5), which Python 3 imports fine.
 */
export const PYTHON3_MODULES: ReadonlyMap<string, string> = new Map([
  ['cPickle', 'pickle'],
  ['Queue', 'queue'],
  ['ConfigParser', 'configparser'],
  ['__builtin__', 'builtins'],
  ['copy_reg', 'copyreg'],
  ['SocketServer', 'socketserver'],
  ['Tkinter', 'tkinter'],
  ['httplib', 'http.client'],
  ['cookielib', 'http.cookiejar'],
  ['xmlrpclib', 'xmlrpc.client'],
  ['HTMLParser', 'html.parser'],
  ['htmlentitydefs', 'html.entities'],
  ['urlparse', 'urllib.parse'],
  ['StringIO', ''],
  ['cStringIO', ''],
  ['urllib2', ''],
]);

/** Python 2's builtins that Python 3 lacks, with the one that does the same. */
export const PYTHON3_BUILTINS: ReadonlyMap<string, string> = new Map([
  ['xrange', 'range'],
  ['unicode', 'str'],
  ['basestring', 'str'],
  ['raw_input', 'input'],
  ['unichr', 'chr'],
]);

/** Python 2's dict methods that Python 3 dicts lack, with the one that does the same ('' for has_key). */
export const PYTHON3_DICT_METHODS: ReadonlyMap<string, string> = new Map([
  ['iteritems', 'items'],
  ['itervalues', 'values'],
  ['iterkeys', 'keys'],
  ['has_key', ''],
]);
