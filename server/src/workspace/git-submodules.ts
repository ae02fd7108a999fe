// A repository whose Caffe is a git submodule (py-faster-rcnn's caffe-fast-rcnn, TSN's lib/caffe-action)
// and was cloned without it: the submodule's folder is empty, so no caffe.proto is found and its nets
// are checked against the bundled schemas. The repository's .gitmodules says which Caffe that is and
// where it goes; checking it out gives the caffe.proto the nets are written for.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED_FORKS } from '../schema/bundled';

/** A Caffe submodule of a repository, not checked out. */
export interface CaffeSubmodule {
  /** Its path in the repository, as .gitmodules writes it. */
  path: string;
  /** The repository it is cloned from, as written. */
  url: string;
  /** The bundled fork it is, when its URL is that fork's repository: the fork's label. */
  fork?: string;
  /** That bundled fork's name (`bundled:NAME` chooses its schema). */
  forkName?: string;
  /** Neither BVLC's repository nor a bundled fork's: its caffe.proto may have fields none of the bundled has. */
  own?: true;
}

/** The `path` and `url` of each `[submodule "..."]` section of a .gitmodules text. */
export function parseGitmodules(text: string): { path: string; url: string }[] {
  const out: { path: string; url: string }[] = [];
  let current: { path?: string; url?: string } | undefined;
  const flush = () => {
    if (current?.path && current.url) out.push({ path: current.path, url: current.url });
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      flush();
      current = /^\[\s*submodule\b/i.test(line) ? {} : undefined;
      continue;
    }
    const m = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!current || !m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].replace(/^"(.*)"$/, '$1').trim();
    if (key === 'path') current.path = value;
    else if (key === 'url') current.url = value;
  }
  flush();
  return out;
}

/** `owner/name` of a GitHub-style URL (https, ssh or git@host:owner/name), lower case; else undefined. */
function ownerAndName(url: string): string | undefined {
  const m = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

/** A folder or repository name that says it is a Caffe: `caffe-fast-rcnn`, `3D-Caffe`, `deeplab-public-ver2`. */
const CAFFE_NAME = /caffe|^deeplab/i;

/**
 * The submodules of `.gitmodules` text in the repository at `root` that are a Caffe (a bundled fork's
 * repository, or a name with "caffe" in it) and whose folder holds no caffe.proto at Caffe's place.
 */
export function missingCaffeSubmodules(
  root: string,
  text: string,
  exists: (file: string) => boolean = fs.existsSync,
): CaffeSubmodule[] {
  const out: CaffeSubmodule[] = [];
  for (const sub of parseGitmodules(text)) {
    const repo = ownerAndName(sub.url);
    const fork = repo && BUNDLED_FORKS.find((f) => f.repository.toLowerCase() === repo);
    // DeepLab's Caffe goes by its own name (train-DeepLab's submodule `code`, from .../deeplab.git).
    const named =
      CAFFE_NAME.test(path.basename(sub.path)) ||
      (repo !== undefined && CAFFE_NAME.test(repo.split('/')[1] ?? repo));
    if (!fork && !named) continue;
    if (exists(path.join(root, sub.path, 'src', 'caffe', 'proto', 'caffe.proto'))) continue;
    const own = !fork && repo !== 'bvlc/caffe';
    out.push({
      path: sub.path,
      url: sub.url,
      ...(fork ? { fork: fork.label, forkName: fork.name } : {}),
      ...(own ? { own } : {}),
    });
  }
  return out;
}

/**
 * The repository holding `file` that has a .gitmodules (the nearest folder up with one, not past a
 * folder with `.git`, which is where a repository starts), with that file's text; undefined if none.
 */
export function gitmodulesOf(file: string): { root: string; text: string } | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const modules = path.join(dir, '.gitmodules');
    try {
      return { root: dir, text: fs.readFileSync(modules, 'utf8') };
    } catch {
      // No .gitmodules here: on up, unless this folder is where the repository starts.
    }
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

/** The Caffe submodules not checked out of the repository holding each document, kept per folder. */
export class MissingSubmodules {
  private byFolder = new Map<string, readonly CaffeSubmodule[]>();

  of(documentPath: string): readonly CaffeSubmodule[] {
    const dir = path.dirname(documentPath);
    let found = this.byFolder.get(dir);
    if (found === undefined) {
      const modules = gitmodulesOf(documentPath);
      found = modules ? missingCaffeSubmodules(modules.root, modules.text) : [];
      this.byFolder.set(dir, found);
    }
    return found;
  }

  /** Forget what was read (a caffe.proto came or went: a submodule may have been checked out). */
  clear(): void {
    this.byFolder = new Map();
  }
}
