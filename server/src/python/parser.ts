// Loads tree-sitter (WASM) with the Python grammar. The bundled server finds both .wasm files next to
// itself (esbuild copies them into dist/); from sources (tests, tsx) they are found in node_modules.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Parser as ParserType, Tree } from 'web-tree-sitter';

// The CommonJS build, also when esbuild bundles the server as CommonJS: an `import` would make esbuild
// pick the ES module build, whose `createRequire(import.meta.url)` has no URL inside a CJS bundle.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

export class PythonParser {
  constructor(private readonly parser: ParserType) {}

  /** A syntax tree (the caller must `delete()` it), or null when tree-sitter gave up. */
  parse(source: string): Tree | null {
    return this.parser.parse(source);
  }

  dispose(): void {
    this.parser.delete();
  }
}

/**
 * web-tree-sitter keeps its WASM runtime in a process-wide variable and re-initialising it invalidates
 * every parser made before, so the runtime is started once per process. This is the only shared state.
 */
let runtimeReady: Promise<void> | undefined;

export async function createPythonParser(wasmDir?: string): Promise<PythonParser> {
  const runtimeWasm = locateWasm(RUNTIME_WASM, wasmDir, 'web-tree-sitter');
  const pythonWasm = locateWasm(PYTHON_WASM, wasmDir, 'tree-sitter-python');
  if (!runtimeWasm || !pythonWasm) {
    throw new Error(
      `Cannot find ${!runtimeWasm ? RUNTIME_WASM : PYTHON_WASM}` +
        (wasmDir ? ` in ${wasmDir}` : ' next to the server or in node_modules'),
    );
  }
  runtimeReady ??= Parser.init({ locateFile: () => runtimeWasm }).catch((e: unknown) => {
    runtimeReady = undefined;
    throw e;
  });
  await runtimeReady;
  const language = await Language.load(pythonWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return new PythonParser(parser);
}

function locateWasm(file: string, wasmDir: string | undefined, packageName: string): string | undefined {
  if (wasmDir !== undefined) {
    const p = path.join(wasmDir, file);
    return existsSync(p) ? p : undefined;
  }
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const beside = path.join(here, file);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', packageName, file);
    if (existsSync(p)) return p;
    if (path.dirname(dir) === dir) break;
  }
  const fromCwd = path.join(process.cwd(), 'node_modules', packageName, file);
  return existsSync(fromCwd) ? fromCwd : undefined;
}
