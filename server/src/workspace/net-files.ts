// The workspace's net files as the graph of a solver reads them (features/graph/solver-net-file.ts):
// an open document's analysis first, else the disk, each with the schema that applies to its path.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentStore } from '../documents';
import type { Schema } from '../schema/schema';
import type { Analyses, AnalyzedDocument } from './analyses';

/** How the graph of a solver reaches the files of the workspace. */
export interface NetFiles {
  roots: readonly string[];
  isFile(file: string): boolean;
  /** The analysis of the file's open document; undefined when it is not open. */
  opened(file: string): AnalyzedDocument | undefined;
  /** The file's text on disk; undefined when it cannot be read. */
  read(file: string): string | undefined;
  schemaFor(file: string): Schema | undefined;
}

/** A net file larger than this is not read for a solver's graph (the editor would not open it either). */
const MAX_NET_FILE_BYTES = 256 * 1024 * 1024;

export function workspaceNetFiles(analyses: Analyses, documents: DocumentStore): NetFiles {
  const isFile = (file: string): boolean => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  return {
    get roots() {
      return analyses.roots;
    },
    isFile,
    opened(file) {
      const direct = analyses.analyzed(pathToFileURL(file).toString());
      if (direct) return direct;
      // A client may spell the URI of the same file otherwise (percent-encoding, drive letters).
      const wanted = path.resolve(file);
      const doc = documents.all().find((d) => d.path !== undefined && path.resolve(d.path) === wanted);
      return doc ? analyses.analyzed(doc.uri) : undefined;
    },
    read(file) {
      try {
        const stat = fs.statSync(file);
        if (!stat.isFile() || stat.size > MAX_NET_FILE_BYTES) return undefined;
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    schemaFor: (file) => analyses.schemas.schemaFor(file).schema,
  };
}
