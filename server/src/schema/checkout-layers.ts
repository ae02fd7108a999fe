// The layer types a Caffe checkout registers, read from its C++ sources: every layer is registered by
// `REGISTER_LAYER_CLASS(Type)` or `REGISTER_LAYER_CREATOR(Type, creator)` under `src/caffe/` (the
// layers' own files, and layer_factory.cpp for the types with engine choices). A net checked against
// the checkout's caffe.proto is built by that checkout's Caffe, so these are the types it knows: a
// fork's own (SSD's PriorBox, caffe-face's CenterLoss) are no longer unknown, and a type it lacks is
// named as such. A scan that does not find the core types every Caffe registers is not trusted (a
// checkout holding only its proto, or a fork registering layers some other way).

import fs from 'node:fs';
import path from 'node:path';

/** Where one type is registered: for messages and for going to its source. */
export interface Registration {
  type: string;
  /** Absolute path of the C++ file. */
  file: string;
  /** 0-based line of the registration. */
  line: number;
}

export interface CheckoutLayerTypes {
  /** The checkout's root folder (the one holding src/caffe/proto/caffe.proto). */
  root: string;
  types: ReadonlySet<string>;
  /** The first registration of each type. */
  registrations: ReadonlyMap<string, Registration>;
}

/** Types every Caffe registers: a scan that misses one of them read the sources wrongly. */
const CORE_TYPES = ['Convolution', 'InnerProduct', 'Pooling', 'ReLU', 'Softmax'];
/** Source files read at most, and the largest one read. */
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 2 << 20;
const SOURCE = /\.(cpp|cu|cc)$/;
const REGISTRATION = /\bREGISTER_LAYER_(?:CLASS|CREATOR)\w*\s*\(\s*([A-Za-z_]\w*)/g;

/** The registrations in one C++ source text (comments and macro definitions left out). */
export function registrationsIn(text: string): { type: string; line: number }[] {
  if (!text.includes('REGISTER_LAYER')) return [];
  const code = withoutComments(text);
  const out: { type: string; line: number }[] = [];
  for (const match of code.matchAll(REGISTRATION)) {
    const at = match.index ?? 0;
    const lineStart = code.lastIndexOf('\n', at) + 1;
    if (/^\s*#\s*define\b/.test(code.slice(lineStart, at))) continue;
    out.push({ type: match[1], line: lineCount(code, at) });
  }
  return out;
}

/**
 * The types the checkout at `root` registers, read from `src/caffe/**` (the sources' C++ files);
 * undefined when it has no such folder or the scan does not find the core types.
 */
export function readCheckoutLayerTypes(root: string): CheckoutLayerTypes | undefined {
  const registrations = new Map<string, Registration>();
  const files = sourceFiles(path.join(root, 'src', 'caffe'));
  for (const file of files) {
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const r of registrationsIn(text)) {
      if (!registrations.has(r.type)) registrations.set(r.type, { type: r.type, file, line: r.line });
    }
  }
  if (CORE_TYPES.some((t) => !registrations.has(t))) return undefined;
  return { root, types: new Set(registrations.keys()), registrations };
}

/**
 * What decides whether the checkout's answer is still current: the modification times of the
 * folders holding its sources (a layer file added or removed changes them).
 */
export function checkoutStamp(root: string): string {
  const parts: string[] = [];
  for (const dir of [path.join(root, 'src', 'caffe'), path.join(root, 'src', 'caffe', 'layers')]) {
    try {
      parts.push(String(fs.statSync(dir).mtimeMs));
    } catch {
      parts.push('-');
    }
  }
  return parts.join(' ');
}

/** The C++ files under `dir`, in name order, folders below it too (bounded). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length > 0 && out.length < MAX_FILES) {
    const current = queue.shift() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(current, e.name);
      if (e.isDirectory() && e.name !== 'test' && !e.name.startsWith('.')) queue.push(full);
      else if (e.isFile() && SOURCE.test(e.name) && out.length < MAX_FILES) out.push(full);
    }
  }
  return out;
}

/** `text` with its C++ comments blanked out (line breaks kept, so lines still count). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

function lineCount(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
