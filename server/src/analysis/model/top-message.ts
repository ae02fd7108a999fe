// Which message a prototxt holds: NetParameter, SolverParameter or SSD's LabelMap (or a fork's other
// list of `item`s), chosen from the top-level field names (a file with `base_lr`, `net`,
// `solver_mode`... is a solver whatever its name), or named by protobuf's text-format header comments:
//   # proto-file: src/caffe/proto/caffe.proto
//   # proto-message: caffe.SolverParameter

import type { DocumentNode, Span } from '../../parser/ast';
import type { Schema } from '../../schema/schema';

export const NET = 'caffe.NetParameter';
export const SOLVER = 'caffe.SolverParameter';
export const LABEL_MAP = 'caffe.LabelMap';

export interface TopMessageChoice {
  /** Full message name, e.g. 'caffe.SolverParameter'. */
  name: string;
  /** 'header' when a `# proto-message:` comment named it. */
  source: 'header' | 'content';
  /** The `# proto-message:` value's span, when given. */
  headerSpan?: Span;
  /** The `# proto-file:` value, as written, and its span. */
  protoFile?: { path: string; span: Span };
}

/** Top-level fields that only a solver has (BVLC and the forks agree on these). */
const SOLVER_FIELDS = new Set([
  'net',
  'net_param',
  'train_net',
  'test_net',
  'train_net_param',
  'test_net_param',
  'train_state',
  'test_state',
  'test_iter',
  'test_interval',
  'test_compute_loss',
  'test_initialization',
  'base_lr',
  'display',
  'average_loss',
  'max_iter',
  'iter_size',
  'lr_policy',
  'gamma',
  'power',
  'momentum',
  'momentum2',
  'weight_decay',
  'regularization_type',
  'stepsize',
  'stepvalue',
  'clip_gradients',
  'snapshot',
  'snapshot_prefix',
  'snapshot_diff',
  'snapshot_format',
  'snapshot_after_train',
  'solver_mode',
  'device_id',
  'random_seed',
  'type',
  'solver_type',
  'delta',
  'rms_decay',
  'layer_wise_reduce',
  'weights',
]);

/** Top-level fields of a net. */
const NET_FIELDS = new Set([
  'layer',
  'layers',
  'input',
  'input_dim',
  'input_shape',
  'state',
  'force_backward',
]);

/** What a file holds when it is not a net, in words ('a solver', 'a label map'); undefined for a net. */
export function notNetWords(top: string): string | undefined {
  const short = top.replace(/^caffe\./, '');
  if (short === 'NetParameter') return undefined;
  if (short === 'SolverParameter') return 'a solver';
  if (short === 'LabelMap') return 'a label map';
  return `a ${short}`;
}

const HEADER = /^#\s*proto-(file|message)\s*:\s*(\S+)\s*$/;

/**
 * The top message for a document. Header comments (before the first field) win; otherwise the
 * top-level names vote: solver-only names for SolverParameter, net names for NetParameter, `item`
 * for LabelMap; `schemas` (main first) add the names each message defines, so forks' fields count.
 */
export function chooseTopMessage(doc: DocumentNode, schemas: readonly Schema[] = []): TopMessageChoice {
  const firstField = doc.fields[0]?.start ?? doc.end;
  let header: TopMessageChoice | undefined;
  let protoFile: TopMessageChoice['protoFile'];
  for (const comment of doc.comments) {
    if (comment.start > firstField) break;
    const m = HEADER.exec(comment.text);
    if (!m) continue;
    const valueStart = comment.start + comment.text.indexOf(m[2], comment.text.indexOf(':'));
    const span = { start: valueStart, end: valueStart + m[2].length };
    if (m[1] === 'file') protoFile = { path: m[2], span };
    else header = { name: m[2].replace(/^\./, ''), source: 'header', headerSpan: span };
  }
  const choice = header ?? { name: fromContent(doc, schemas), source: 'content' };
  if (protoFile) choice.protoFile = protoFile;
  return choice;
}

function fromContent(doc: DocumentNode, schemas: readonly Schema[]): string {
  let net = 0;
  let solver = 0;
  let labels = 0;
  // Which message a name points to, looked up in every schema once per distinct name: a broken file
  // can repeat one name hundreds of thousands of times.
  const sideOf = new Map<string, 'net' | 'solver' | undefined>();
  const side = (name: string): 'net' | 'solver' | undefined => {
    if (sideOf.has(name)) return sideOf.get(name);
    let found: 'net' | 'solver' | undefined;
    if (NET_FIELDS.has(name)) found = 'net';
    else if (SOLVER_FIELDS.has(name)) found = 'solver';
    else if (knownIn(schemas, SOLVER, name) && !knownIn(schemas, NET, name)) found = 'solver';
    else if (knownIn(schemas, NET, name) && !knownIn(schemas, SOLVER, name)) found = 'net';
    sideOf.set(name, found);
    return found;
  };
  // Fields of one name mostly follow each other (layer after layer): the last answer is kept.
  let lastName: string | undefined;
  let lastFound: 'net' | 'solver' | undefined;
  for (let f = 0; f < doc.fields.length; f++) {
    const field = doc.fields[f];
    const name = field.name;
    if (name === 'item') labels++;
    if (name !== lastName) {
      lastName = name;
      lastFound = side(name);
    }
    const found = lastFound;
    if (found === 'net') net++;
    else if (found === 'solver') solver++;
  }
  if (labels > 0 && labels >= net && labels >= solver) return itemList(doc, schemas);
  return solver > net ? SOLVER : NET;
}

/**
 * The message of a file of `item { }` blocks: LabelMap, unless a schema has another message of items
 * whose fields fit the file's better (MobileNet-YOLO's YoloSegLabel: items with label_id, r, g, b).
 */
function itemList(doc: DocumentNode, schemas: readonly Schema[]): string {
  const used = new Set<string>();
  for (const field of doc.fields) {
    if (field.name !== 'item' || field.value?.kind !== 'message') continue;
    for (const inner of field.value.fields) used.add(inner.name);
  }
  let best = LABEL_MAP;
  let bestFit = 0;
  const seen = new Set<string>();
  for (const schema of schemas) {
    for (const message of schema.messages) {
      if (seen.has(message.fullName)) continue;
      seen.add(message.fullName);
      const item = schema.field(message, 'item');
      const itemType = item && schema.messageOf(item);
      if (!itemType) continue;
      let fit = 0;
      for (const name of used) if (schema.field(itemType, name) !== undefined) fit++;
      // LabelMap wins a tie: it is the list Caffe's own tools read.
      if (fit > bestFit || (fit === bestFit && message.fullName === LABEL_MAP)) {
        best = message.fullName;
        bestFit = fit;
      }
    }
  }
  return best;
}

function knownIn(schemas: readonly Schema[], message: string, field: string): boolean {
  return schemas.some((s) => s.field(message, field) !== undefined);
}
