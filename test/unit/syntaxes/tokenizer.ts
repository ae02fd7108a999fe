// Loads the extension's TextMate grammar with the same engine VS Code uses (vscode-textmate +
// vscode-oniguruma, both installed with vscode-tmgrammar-test) and tokenizes text line by line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { repoRoot } from '../../helpers/paths';

export { repoRoot };

export const grammarPath = path.join(repoRoot, 'syntaxes/prototxt.tmLanguage.json');

export interface LineToken {
  text: string;
  start: number;
  end: number;
  scopes: string[];
}

export interface TokenizedLine {
  line: string;
  tokens: LineToken[];
  /** Scope names of the rule stack left open at the end of the line (outermost first). */
  openScopes: string[];
}

/** A grammar loaded once per test file; the tokenizer itself keeps no state between calls. */
export async function loadPrototxtGrammar(): Promise<vsctm.IGrammar> {
  const require = createRequire(__filename);
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.prototxt'
        ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const grammar = await registry.loadGrammar('source.prototxt');
  if (!grammar) throw new Error(`cannot load ${grammarPath}`);
  return grammar;
}

/** Tokenizes a whole text; CRLF and a missing final newline are handled like the editor does. */
export function tokenizeText(grammar: vsctm.IGrammar, text: string): TokenizedLine[] {
  let stack: vsctm.StackElement = vsctm.INITIAL;
  const out: TokenizedLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    out.push({
      line,
      tokens: r.tokens.map((t) => ({
        text: line.slice(t.startIndex, t.endIndex),
        start: t.startIndex,
        end: t.endIndex,
        scopes: t.scopes,
      })),
      openScopes: stackScopes(grammar, stack),
    });
  }
  return out;
}

/** Scopes still open after a line: the scopes an empty continuation line would get. */
function stackScopes(grammar: vsctm.IGrammar, stack: vsctm.StackElement): string[] {
  return grammar.tokenizeLine('', stack).tokens[0]?.scopes ?? [];
}
