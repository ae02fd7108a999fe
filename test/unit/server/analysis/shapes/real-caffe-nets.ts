// Which corpus nets the real (BVLC) Caffe can build, per phase, and the text it is given: the net as
// written for deploy nets; for train/val nets, each data reader kept in the phase replaced by an Input
// layer (a DummyData layer in V1 files) of the shapes this project infers for it (from its parameters,
// else from a deploy net beside it, as `caffe-prototxt shapes` does).

import fs from 'node:fs';
import path from 'node:path';
import { buildNet, type NetModel, type Phase } from '../../../../../server/src/analysis/model/net';
import { layersInPhase } from '../../../../../server/src/analysis/model/net-filter';
import { inferLayerShapes } from '../../../../../server/src/analysis/shapes/infer';
import { isComplete, type ShapeResult } from '../../../../../server/src/analysis/shapes';
import type { FieldNode, Span } from '../../../../../server/src/parser/ast';
import { shapesFromDeployBeside } from '../../../../../server/src/cli/commands/shapes-inputs';
import { parse } from '../../../../../server/src/parser/parse';
import type { Schema } from '../../../../../server/src/schema/schema';
import { corpusDir } from '../../../../helpers/resources';

/** Layers that read their data from files or databases: Caffe cannot build them without those. */
const READERS = new Set(['Data', 'ImageData', 'WindowData', 'HDF5Data']);

export interface PreparedNet {
  file: string;
  phase: Phase;
  /** What Caffe is given. */
  text: string;
  /** This project's inference for the net as written. */
  shapes: ShapeResult;
  readersReplaced: number;
}

export interface Skipped {
  file: string;
  phase: Phase;
  why: string;
}

/** The corpus nets that BVLC's protobuf accepts, as paths under files/. */
export function bvlcNets(): string[] {
  return fs
    .readFileSync(path.join(corpusDir, 'ORACLE.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter(([, kind, , accepted]) => kind === 'net' && accepted.split(',').includes('bvlc'))
    .map(([rel]) => rel);
}

function dims(shape: readonly number[]): string {
  return `shape { ${shape.map((d) => `dim: ${d}`).join(' ')} }`;
}

function quoted(name: string): string {
  return JSON.stringify(name);
}

/** The replacement of one reader whose tops are all known. */
function replacement(net: NetModel, name: string, tops: string[], shapes: (readonly number[])[]): string {
  const topLines = tops.map((t) => `top: ${quoted(t)}`).join(' ');
  const shapeText = shapes.map(dims).join(' ');
  return net.format === 'v1'
    ? `layers { name: ${quoted(name)} type: DUMMY_DATA ${topLines} dummy_data_param { ${shapeText} } }`
    : `layer { name: ${quoted(name)} type: "Input" ${topLines} input_param { ${shapeText} } }`;
}

interface Edit extends Span {
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const FILLERS = new Set(['weight_filler', 'bias_filler', 'filler']);

/**
 * The filler blocks of every layer. Left out of what Caffe builds: shapes and counts do not depend on
 * them, and drawing tens of millions of random weights is most of the time a net takes to build.
 */
function fillers(fields: readonly FieldNode[]): FieldNode[] {
  const found: FieldNode[] = [];
  for (const f of fields) {
    if (f.value?.kind !== 'message') continue;
    if (FILLERS.has(f.name)) found.push(f);
    else found.push(...fillers(f.value.fields));
  }
  return found;
}

/** Every (net, phase) Caffe can be asked to build, or why not. */
export function prepareNets(
  files: readonly string[],
  schema: Schema,
  caffeTypes: ReadonlySet<string>,
): { prepared: PreparedNet[]; skipped: Skipped[] } {
  const prepared: PreparedNet[] = [];
  const skipped: Skipped[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(corpusDir, 'files', file), 'utf8');
    const doc = parse(text);
    if (doc.errors.length > 0) continue;
    const net = buildNet(doc, schema);
    const hasReaders = net.layers.some((l) => READERS.has(l.type));
    for (const phase of hasReaders ? (['TRAIN', 'TEST'] as const) : (['TEST'] as const)) {
      const kept = layersInPhase(net, phase);
      const skip = (why: string) => skipped.push({ file, phase, why });
      // Readers are replaced; V0 padding layers are merged into the next convolution by Caffe's upgrade.
      const foreign = kept.find(
        (l) =>
          !caffeTypes.has(l.type) && !READERS.has(l.type) && !(l.type === 'Padding' && net.format === 'v0'),
      );
      if (kept.length === 0) {
        skip('no layers');
        continue;
      }
      if (foreign) {
        skip(`layer type ${foreign.type || '(none)'} is not registered in BVLC Caffe`);
        continue;
      }
      if (kept.some((l) => l.type === 'Python')) {
        skip('a Python layer (its module is not here)');
        continue;
      }
      let shapes = inferLayerShapes(net, kept, phase, schema);
      // What `shapes` does for a data layer it cannot size: C×H×W of a deploy net beside the file.
      const beside = shapesFromDeployBeside(path.join(corpusDir, 'files', file), net, schema);
      if (beside && beside.size > 0)
        shapes = inferLayerShapes(net, kept, phase, schema, { inputShapes: beside });
      const readers = shapes.layers.filter((l) => READERS.has(l.layer.type));
      if (readers.length > 0 && net.format === 'v0') {
        skip('a V0 net with data readers');
        continue;
      }
      const unknown = readers.find((l) => !l.tops.every(isComplete));
      if (unknown) {
        skip(`the shapes of data layer ${unknown.layer.name} are not known here`);
        continue;
      }
      const edits: Edit[] = readers.map((r) => ({
        start: r.layer.node.start,
        end: r.layer.node.end,
        text: replacement(
          net,
          r.layer.name,
          r.layer.tops.map((t) => t.name),
          r.tops as (readonly number[])[],
        ),
      }));
      const outside = (f: Span) => !edits.some((e) => f.start >= e.start && f.end <= e.end);
      edits.push(
        ...fillers(doc.fields)
          .filter(outside)
          .map((f) => ({ start: f.start, end: f.end, text: '' })),
      );
      prepared.push({ file, phase, text: applyEdits(text, edits), shapes, readersReplaced: readers.length });
    }
  }
  return { prepared, skipped };
}
