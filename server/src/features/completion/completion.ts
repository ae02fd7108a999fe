// textDocument/completion: inside a Python layer's python_param its module, class and param_str keys
// (completion/python-layer.ts); elsewhere field names where a field may start, values after `:`. One
// cursor query over the cached analysis; no pass over the whole document.

import {
  CompletionTriggerKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver';
import { inLayerBlock } from '../../analysis/query';
import { fieldItems } from './fields';
import { valueItems } from './values';
import { Cursor, type AnalyzedDocument, type Services } from '../context';
import { solverPathCompletion } from '../shared/solver-paths';
import { pythonLayerCompletion } from './python-layer';

/** `:` and a space start a value, quotes start a string value (a layer type, a blob name), `/` goes
 * on into a folder of a solver's path. */
export const COMPLETION_TRIGGERS = [':', ' ', '"', "'", '/'];

export function provideCompletion(
  input: AnalyzedDocument,
  params: CompletionParams,
  services?: Services,
): CompletionList {
  const cursor = new Cursor(input, params.position);
  const python = services ? pythonLayerCompletion(cursor, services.python) : undefined;
  if (python) return { isIncomplete: false, items: python };
  const { offset, q } = cursor;
  const triggered =
    params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter
      ? params.context.triggerCharacter
      : undefined;
  // A slash asks for the entries of a folder, and only in a path.
  const trigger =
    triggered === '/' && !(q.kind === 'fieldValue' && q.value?.kind === 'string') ? 'none' : triggered;
  let items: CompletionItem[] = [];
  let isIncomplete = false;
  switch (q.kind) {
    case 'blockBody':
      // A space or a quote typed between fields is not a request for names.
      if (trigger !== undefined || !q.def) break;
      items = fieldItems({
        def: q.def,
        present: q.presentFields,
        range: q.partial
          ? input.doc.lines.rangeOf(q.partial.span.start, q.partial.span.end)
          : input.doc.lines.rangeOf(offset, offset),
        client: input.client,
        layer: inLayerBlock(q) ? q.layer : undefined,
        schema: input.schema.schema,
      });
      break;
    case 'fieldName': {
      if (trigger !== undefined || !q.parentDef) break;
      const present = new Set(q.block.fields.filter((f) => f !== q.field).map((f) => f.name));
      items = fieldItems({
        def: q.parentDef,
        present,
        range: input.doc.lines.rangeOf(q.field.nameSpan.start, q.field.nameSpan.end),
        client: input.client,
        layer: inLayerBlock(q) ? q.layer : undefined,
        schema: input.schema.schema,
        nameOnly: true,
      });
      break;
    }
    case 'fieldValue': {
      if ((trigger === '"' || trigger === "'") && q.value?.kind !== 'string') break;
      const paths = solverPathCompletion(input, q, services?.roots ?? []);
      items = paths ?? (trigger === '/' ? [] : valueItems(input, q, () => (isIncomplete = true)));
      break;
    }
    case 'none':
      break;
  }
  return { isIncomplete, items };
}
