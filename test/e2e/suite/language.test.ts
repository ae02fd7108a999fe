import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { extensionId, openFixture, positionOf, revertAndClose, waitFor } from './helpers';

interface GrammarContribution {
  language?: string;
  scopeName: string;
  path: string;
}

suite('language and grammar', () => {
  test('prototxt is a registered language', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('prototxt'), `languages: ${languages.join(', ')}`);
  });

  test('a .prototxt file opens with language id prototxt', async () => {
    const editor = await openFixture('broken.prototxt');
    assert.equal(editor.document.languageId, 'prototxt');
    await revertAndClose(editor.document);
  });

  test('toggling a line comment uses #', async () => {
    const editor = await openFixture('net.prototxt');
    const document = editor.document;
    try {
      const line = positionOf(document, 'name: "TinyNet"').line;
      editor.selection = new vscode.Selection(line, 0, line, 0);
      await vscode.commands.executeCommand('editor.action.commentLine');
      const text = await waitFor('the line to be commented', () => {
        const current = document.lineAt(line).text;
        return current.startsWith('#') ? current : undefined;
      });
      assert.match(text, /^#\s*name: "TinyNet"$/);
    } finally {
      await revertAndClose(document);
    }
  });

  test('the contributed TextMate grammar ships and is scoped source.prototxt', () => {
    const extension = vscode.extensions.getExtension(extensionId());
    assert.ok(extension);
    const grammars = (extension.packageJSON as { contributes?: { grammars?: GrammarContribution[] } })
      .contributes?.grammars;
    const grammar = grammars?.find((g) => g.language === 'prototxt');
    assert.ok(grammar, 'package.json contributes a grammar for prototxt');
    assert.equal(grammar.scopeName, 'source.prototxt');
    const file = path.join(extension.extensionPath, grammar.path);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { scopeName?: string; patterns?: unknown[] };
    assert.equal(parsed.scopeName, 'source.prototxt');
    assert.ok(
      Array.isArray(parsed.patterns) && parsed.patterns.length > 0,
      `${grammar.path} has top-level patterns`,
    );
  });
});
