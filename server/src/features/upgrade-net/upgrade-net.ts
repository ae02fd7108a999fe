// The `prototxt/upgradeNet` request: the whole text of an open V0/V1 net rewritten in the current
// format (analysis/upgrade.ts), or a message saying why nothing was done.

import { indentUnit } from '../../analysis/transforms/format';
import { upgradeNet } from '../../analysis/transforms/upgrade';
import type { UpgradeNetArgs, UpgradeNetResult } from '../../../../common/protocol';
import type { AnalyzedDocument } from '../context';

export function provideUpgradeNet(input: AnalyzedDocument): UpgradeNetResult {
  const outcome = upgradeNet(
    input.doc.text,
    { indent: indentUnit(input.settings.format.indent) },
    input.schema.schema,
  );
  return outcome.text !== undefined
    ? { text: outcome.text, message: outcome.message }
    : { message: outcome.message };
}

/** The request handler: `params.uri` names an open document. */
export function handleUpgradeNet(
  params: UpgradeNetArgs,
  lookup: (uri: string) => AnalyzedDocument | undefined,
): UpgradeNetResult {
  if (typeof params?.uri !== 'string') return { message: 'upgradeNet: params.uri must be a document URI.' };
  const input = lookup(params.uri);
  return input ? provideUpgradeNet(input) : { message: `${params.uri} is not open.` };
}
