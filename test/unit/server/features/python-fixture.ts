// Python-layer feature tests over the fixture workspaces: one PythonWorkspace per fixture root and
// feature inputs for the fixture's prototxts (optionally with a `<|>` cursor in a replacement text).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPythonParser } from '../../../../server/src/python/parser';
import { DEFAULT_SETTINGS, type Settings } from '../../../../server/src/settings';
import { PythonWorkspace } from '../../../../server/src/workspace/python-workspace';
import { featureInputFor, withCursor } from '../../../helpers/analyzed-document';
import { repoRoot } from '../../../helpers/paths';

export const FIXTURES = path.join(repoRoot, 'test/fixtures/python-workspaces');

const parser = createPythonParser();

export async function workspaceOf(name: string, settings: Settings = DEFAULT_SETTINGS) {
  const root = path.join(FIXTURES, name);
  const python = new PythonWorkspace({ createParser: () => parser });
  await python.configure([root], settings);
  return { root, python };
}

/** A feature input for `rel` under `root`: its text on disk, or `marked` (with a `<|>` cursor). */
export function inputAt(root: string, rel: string, marked?: string, settings: Partial<Settings> = {}) {
  const file = path.join(root, rel);
  const { text, offset } = marked ? withCursor(marked) : { text: readFileSync(file, 'utf8'), offset: 0 };
  const input = featureInputFor(text, { uri: pathToFileURL(file).toString(), settings });
  return { input, offset, position: input.doc.lines.positionAt(offset), file };
}

/** The fixture's prototxt text with `<|>` put before the first occurrence of `needle` (+ shift). */
export function markIn(root: string, rel: string, needle: string, shift = 0): string {
  const text = readFileSync(path.join(root, rel), 'utf8');
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in ${rel}`);
  return text.slice(0, at + shift) + '<|>' + text.slice(at + shift);
}
