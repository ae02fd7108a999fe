// Where a field the schema in use lacks most likely comes from, when it is no slip (no look-alike, not
// misplaced): a whole caffe.proto the repository keeps apart, a layer the repository's own sources
// register, a layer type no known Caffe registers (the field beside it, or in one of its standard
// blocks, or, a pass over the whole document, anywhere in a net that uses one with its own block), or
// a fork's type that another Caffe registers under the same name. Each is that Caffe's field: a
// warning, with the words that say so.

import path from 'node:path';
import type { FieldNode } from '../../parser/ast';
import type { Registration } from '../../schema/checkout-layers';
import type { AnalysisDiagnostic } from '../diagnostic';
import type { ResolvedBlock } from '../model/resolve';
import { forkLabel, listed, type CheckContext, type RepositoryProto } from './context';
import {
  forkTypeOfBlock,
  repositoryTypeOfBlock,
  strangerNetType,
  unknownTypeAround,
  unknownTypeOfBlock,
} from './stranger-types';

export type FieldOrigin =
  | { kind: 'repository-proto'; proto: RepositoryProto }
  | { kind: 'repository-type'; registration: Registration }
  | { kind: 'stranger-type'; type: string }
  | { kind: 'stranger-layer'; type: string }
  | { kind: 'fork-type'; type: string; forks: readonly string[] };

/**
 * The origin of the unknown field `node` of `parent` (the walk's block `at`), in the order the stories
 * are tried; undefined when none fits. `suggestions` are the schema's look-alike names: with one, a
 * slip is the likelier story for all but a block beside an unregistered type.
 */
export function unknownFieldOrigin(
  ctx: CheckContext,
  node: FieldNode,
  parent: ResolvedBlock,
  suggestions: readonly string[],
  at: number,
): FieldOrigin | undefined {
  const guess = suggestions.length === 0;
  const bundled = ctx.schemaKind === 'bundled';
  // Under the bundled schema, a whole caffe.proto the repository keeps apart from its nets may be the
  // one its Caffe has (forMobileUNet/caffe.proto): the first that defines the field is named.
  if (guess && parent.schema === ctx.schema) {
    const proto = ctx
      .repositoryProtos?.()
      .find((p) => p.schema.field(parent.def.fullName, node.name) !== undefined);
    if (proto) return { kind: 'repository-proto', proto };
  }
  // A layer's block beside a type the repository's own sources register (arcface-caffe's
  // AdaCosAddmScale): that layer's addition to caffe.proto, which the schema in use lacks.
  const registration = guess ? repositoryTypeOfBlock(ctx, parent, node) : undefined;
  if (registration) return { kind: 'repository-type', registration };
  if (!bundled) return undefined;
  // A layer's block beside a type no known Caffe registers (openpose_train's OPData with
  // op_transform_param): both are that Caffe's, whose proto is not in the workspace.
  const strangerType = unknownTypeOfBlock(parent, node);
  if (strangerType) return { kind: 'stranger-type', type: strangerType };
  if (!guess) return undefined;
  // A name like none in a block of such a layer (BinaryConvolution's convolution_param with
  // binaryconnect_term): that Caffe's message of the same name has it.
  const strangerLayer = unknownTypeAround(ctx, at, parent);
  if (strangerLayer) return { kind: 'stranger-layer', type: strangerLayer };
  // A block beside a type only forks register, none of which defines it (happynear's Normalize with
  // normalize_param): another Caffe's layer of that name, not the forks'.
  const forkType = forkTypeOfBlock(parent, node);
  return forkType ? { kind: 'fork-type', ...forkType } : undefined;
}

/** A plain unknown-field error: no look-alike, no origin, no other words (see fields.ts). */
const PLAIN = /^Message type "[\w.]+" has no field named "[^"]+"\.$/;

/**
 * `diagnostics` (of the whole document) with each plain unknown-field error made a warning that says
 * why, when the net uses a layer type no known Caffe registers with a block of its own (strangerNetType):
 * any other name like none may be that Caffe's too. A pass over the document, not a check of one block:
 * an edit of one layer's type changes what is said of every other block (new objects, in place).
 */
export function softenInStrangerNets(diagnostics: AnalysisDiagnostic[], ctx: CheckContext): void {
  if (ctx.schemaKind !== 'bundled') return;
  let type: string | undefined | null = null;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    if (d.code !== 'unknown-field' || d.severity !== 'error' || d.suggestions || !PLAIN.test(d.message))
      continue;
    if (type === null) type = strangerNetType(ctx);
    if (type === undefined) return;
    diagnostics[i] = {
      ...d,
      severity: 'warning',
      message:
        `${d.message.slice(0, -1)}: this net uses layer type "${type}" with a block of its own, which neither ` +
        'BVLC Caffe nor the known forks have, so it is written for another Caffe, which may add this field ' +
        "too. Check the net against that Caffe's caffe.proto (prototxt.schema.paths or --schema).",
    };
  }
}

/** What the message says of `origin`, after "has no field named X". */
export function originWords(
  ctx: CheckContext,
  node: FieldNode,
  parent: ResolvedBlock,
  origin: FieldOrigin,
): string {
  const check = "Check the net against that Caffe's caffe.proto (prototxt.schema.paths or --schema).";
  switch (origin.kind) {
    case 'repository-proto':
      return `. ${origin.proto.label} in this repository defines it: if the net is written for that Caffe, check it against that proto (prototxt.schema.paths or --schema).`;
    case 'repository-type':
      return `: it goes with the layer's type "${origin.registration.type}", which this repository's ${path.basename(origin.registration.file)} registers, so it is that layer's addition to caffe.proto, which the schema in use lacks. Add it to your Caffe's caffe.proto and check the net against that (prototxt.schema.paths or --schema).`;
    case 'stranger-type':
      return `: ${besideType(node.name, origin.type)} "${origin.type}", which neither BVLC Caffe nor the known forks register, so both are another Caffe's. ${check}`;
    case 'stranger-layer':
      return `: the layer's type "${origin.type}" is one neither BVLC Caffe nor the known forks register, and the Caffe that does likely adds the field to its ${parent.def.name}. ${check}`;
    case 'fork-type': {
      const forks = listed(origin.forks.map((f) => forkLabel(ctx, f)));
      const register = origin.forks.length === 1 ? 'registers' : 'register';
      return `: it goes with the layer's type "${origin.type}", which BVLC Caffe lacks and ${forks} ${register} without this field, so the layer is another Caffe's "${origin.type}". ${check}`;
    }
  }
}

/**
 * "it goes with the layer's type" for a block named as the type (`image_labelmap_data_param` of
 * ImageLabelmapData), else "it is beside the layer's type": NormFace's general_triplet_loss_param on a
 * GeneralContrastiveLoss layer is read by another type of that Caffe, if any.
 */
function besideType(block: string, type: string): string {
  const stem = block.replace(/_param$/, '').replace(/_/g, '');
  const name = type.toLowerCase();
  return name.includes(stem) || stem.includes(name)
    ? "it goes with the layer's type"
    : "it is beside the layer's type";
}
