// Real nets made large: the largest real files of the corpus (one per Caffe fork, under the schema
// that fork's own files are accepted by) repeated N times with unique layer and blob names, so a
// 100 KB net becomes a 10 MB one that is still what a user writes: long names, real parameter blocks,
// comments where the authors put them, and still accepted by protobuf under the same schema.

import fs from 'node:fs';
import path from 'node:path';
import { corpusRoot } from './resnet152-train-val';

export interface RealNet {
  /** The corpus file, relative to files/. */
  rel: string;
  /** The schema folder name under schemas/ (bvlc, pspnet, ...). */
  schema: string;
  /** The top-level message protoc is asked to encode. */
  message: 'NetParameter' | 'SolverParameter';
  text: string;
}

/** Every accepted net of the corpus, and every solver that carries its net, largest first. */
function realNetFiles(): RealNet[] {
  const oracle = path.join(corpusRoot, 'ORACLE.tsv');
  if (!fs.existsSync(oracle)) return [];
  const out: RealNet[] = [];
  for (const row of fs.readFileSync(oracle, 'utf8').split('\n').slice(1)) {
    const [rel, kind, , acceptedBy] = row.split('\t');
    if (!rel || !acceptedBy || (kind !== 'net' && kind !== 'solver')) continue;
    const text = fs.readFileSync(path.join(corpusRoot, 'files', rel), 'utf8');
    // A solver counts only when it carries its net (net_param), as the larger ones do.
    if (kind === 'solver' && !/^\s*net_param\s*\{/m.test(text)) continue;
    const schemas = acceptedBy.split(',');
    out.push({
      rel,
      // A file belongs to BVLC's schema when BVLC's accepts it, else to the first fork that does.
      schema: schemas.includes('bvlc') ? 'bvlc' : schemas[0],
      message: kind === 'solver' ? 'SolverParameter' : 'NetParameter',
      text,
    });
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}

/** The largest file of each schema, for the `count` schemas with the largest such files. */
export function largestRealNets(count: number): RealNet[] {
  const seen = new Set<string>();
  return realNetFiles()
    .filter((net) => !seen.has(net.schema) && seen.add(net.schema))
    .slice(0, count);
}

/** The `count` largest files, each text once (some repositories hold the same net twice). */
export function largestNetFiles(count: number): RealNet[] {
  const seen = new Set<string>();
  return realNetFiles()
    .filter((net) => !seen.has(net.text) && seen.add(net.text))
    .slice(0, count);
}

/**
 * `text` with its layers repeated until the whole is at least `targetBytes`: copy k renames every
 * layer name, top and bottom to `<name>_k`, except the blobs the net declares as legacy inputs
 * (`input: "data"`), which every copy reads. What precedes the first layer and follows the last one
 * (the net's name and inputs, a solver's fields, the brace closing `net_param`) is kept once.
 */
export function repeatNet(
  text: string,
  size: { bytes: number } | { copies: number },
): { text: string; copies: number } {
  const first = text.search(/^[ \t]*layers?[ \t]*\{/m);
  if (first < 0) return { text, copies: 1 };
  const end = endOfLayers(text, first);
  const header = text.slice(0, first);
  const body = text.slice(first, end);
  const inputs = new Set([...header.matchAll(/\binput\s*:\s*["']([^"'\n]*)["']/g)].map((m) => m[1]));
  const copies =
    'copies' in size
      ? size.copies
      : Math.max(1, Math.ceil((size.bytes - (text.length - body.length)) / (body.length + 1)));
  const parts = [header];
  for (let k = 0; k < copies; k++) {
    parts.push(
      k === 0
        ? body
        : body.replace(
            /\b(name|top|bottom)(\s*:\s*)(["'])([^"'\n]*)\3/g,
            (whole, field: string, colon: string, quote: string, value: string) =>
              field !== 'name' && inputs.has(value) ? whole : `${field}${colon}${quote}${value}_${k}${quote}`,
          ),
      '\n',
    );
  }
  parts.push(text.slice(end));
  return { text: parts.join(''), copies };
}

/** The offset just after the last block that closes at the nesting level where `from` starts. */
function endOfLayers(text: string, from: number): number {
  let depth = 0;
  let end = from;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '<') depth++;
    else if (c === '}' || c === '>') {
      depth--;
      if (depth === 0) end = i + 1;
      if (depth < 0) break;
    }
  }
  return end;
}
