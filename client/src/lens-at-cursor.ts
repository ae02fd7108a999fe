// Commands run from the palette or a keybinding act like the code lens of the layer at the cursor:
// the nearest lens of that command at or above the cursor line of the active prototxt editor.
import * as vscode from 'vscode';

/** The arguments of the nearest `command` lens at or above the cursor, or undefined. */
export async function lensArgsAtCursor<T>(command: string): Promise<T | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'prototxt') return undefined;
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    editor.document.uri,
  );
  const line = editor.selection.active.line;
  const above = (lenses ?? [])
    .filter((l) => l.command?.command === command && l.range.start.line <= line)
    .sort((a, b) => b.range.start.line - a.range.start.line)[0];
  return above?.command?.arguments?.[0] as T | undefined;
}
