// Top shapes of Python layers learned by running their reshape (the editor's `Infer top shapes` lens,
// a layer run, or the CLI's `shapes --run-python`), remembered for the session by the object that owns
// the store (one per language server or CLI run; no module-level state).
//
// An entry is keyed by (document uri, layer name, phase) and holds the bottom shapes it was run with: it
// answers inference only while the layer's inferred bottoms are exactly those, and while the layer still
// names the same module, class and param_str (when the entry recorded them) — an edit upstream or in the
// layer makes its tops unknown again instead of stale.

import { firstField, scalarText } from '../model/net-read';
import type { NetLayer, Phase } from '../model/net';
import type { LearnedTops, PythonTopsLookup } from './infer';
import type { Shape } from './types';

/** What one run of a Python layer's reshape taught (the `prototxt/pythonLayerShapes` parameters). */
export interface LearnedLayerShapes {
  /** The prototxt document that declares the layer. */
  uri: string;
  layerName: string;
  phase: Phase;
  bottomShapes: Shape[];
  topShapes: Shape[];
  /** Learnable parameters the layer made in setup (sum of its blobs' counts), when reported. */
  params?: number;
  /** `python_param` of the layer that was run; a later lookup must see the same ones. */
  module?: string;
  layerClass?: string;
  paramStr?: string;
}

/** Entries kept per (uri, layer, phase): older bottom shapes stay usable after an undo. */
const ENTRIES_PER_LAYER = 8;

interface Entry {
  bottoms: Shape[];
  learned: LearnedTops;
  module?: string;
  layerClass?: string;
  paramStr?: string;
}

export class PythonShapeStore {
  private readonly byUri = new Map<string, Map<string, Entry[]>>();
  private readonly generations = new Map<string, number>();

  /** Remembers a result; the newest entry for the same bottoms replaces the older one. */
  learn(shapes: LearnedLayerShapes): void {
    let layers = this.byUri.get(shapes.uri);
    if (!layers) this.byUri.set(shapes.uri, (layers = new Map()));
    const key = layerKey(shapes.layerName, shapes.phase);
    const entry: Entry = {
      bottoms: shapes.bottomShapes.map((s) => [...s]),
      learned: {
        tops: shapes.topShapes.map((s) => [...s]),
        ...(shapes.params !== undefined ? { params: shapes.params } : {}),
      },
      module: shapes.module,
      layerClass: shapes.layerClass,
      paramStr: shapes.paramStr,
    };
    const kept = (layers.get(key) ?? []).filter((e) => !sameShapes(e.bottoms, entry.bottoms));
    layers.set(key, [entry, ...kept].slice(0, ENTRIES_PER_LAYER));
    this.generations.set(shapes.uri, this.generation(shapes.uri) + 1);
  }

  /** Changes each time something is learned for `uri` (0 before): cached shapes of an older one are stale. */
  generation(uri: string): number {
    return this.generations.get(uri) ?? 0;
  }

  /** The inference look-up for one document; undefined when nothing was learned for it. */
  lookupFor(uri: string): PythonTopsLookup | undefined {
    const layers = this.byUri.get(uri);
    if (!layers) return undefined;
    return (layer, bottoms, phase) => {
      if (layer.name === '') return undefined;
      const entries = layers.get(layerKey(layer.name, phase));
      const found = entries?.find((e) => sameShapes(e.bottoms, bottoms) && sameCode(e, layer));
      return found?.learned;
    };
  }

  /**
   * Forgets what was learned from layers whose module is one of `files` (a `module: "a.b"` is
   * a/b.py or a/b/__init__.py under some folder): their code changed, so their shapes may have too.
   * Returns the documents that lost something. A change to a base class in another module is not
   * seen here.
   */
  forgetModuleFiles(files: readonly string[]): string[] {
    const paths = files.map((f) => f.replace(/\\/g, '/'));
    const touched = (module: string | undefined) => {
      if (module === undefined) return true;
      const stem = '/' + module.trim().split('.').join('/');
      return paths.some((p) => ('/' + p).endsWith(stem + '.py') || ('/' + p).endsWith(stem + '/__init__.py'));
    };
    const out: string[] = [];
    for (const [uri, layers] of this.byUri) {
      let lost = false;
      for (const [key, entries] of layers) {
        const kept = entries.filter((e) => !touched(e.module));
        if (kept.length === entries.length) continue;
        lost = true;
        if (kept.length > 0) layers.set(key, kept);
        else layers.delete(key);
      }
      if (!lost) continue;
      if (layers.size === 0) this.byUri.delete(uri);
      this.generations.set(uri, this.generation(uri) + 1);
      out.push(uri);
    }
    return out;
  }

  /** Everything learned for a document, e.g. when it is deleted. */
  forget(uri: string): void {
    if (this.byUri.delete(uri)) this.generations.set(uri, this.generation(uri) + 1);
  }
}

function layerKey(name: string, phase: Phase): string {
  return `${phase}\u0000${name}`;
}

export function sameShapes(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  return (
    a.length === b.length && a.every((s, i) => s.length === b[i].length && s.every((d, j) => d === b[i][j]))
  );
}

/** The layer still runs the code the entry was learned from (fields the entry did not record match). */
function sameCode(entry: Entry, layer: NetLayer): boolean {
  const block = layer.paramBlocks.get('python_param');
  const text = (name: string) => (block ? scalarText(firstField(block.fields, name)?.value) : undefined);
  if (entry.module !== undefined && entry.module !== text('module')) return false;
  if (entry.layerClass !== undefined && entry.layerClass !== text('layer')) return false;
  if (entry.paramStr !== undefined && entry.paramStr !== (text('param_str') ?? '')) return false;
  return true;
}

/** Checks what a client sent; a string says what is wrong. */
export function parseLearnedShapes(value: unknown): LearnedLayerShapes | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object';
  const v = value as Record<string, unknown>;
  if (typeof v.uri !== 'string' || v.uri === '') return "'uri' must be a document URI";
  if (typeof v.layerName !== 'string' || v.layerName === '') return "'layerName' must name the layer";
  if (v.phase !== 'TRAIN' && v.phase !== 'TEST') return "'phase' must be TRAIN or TEST";
  const bottoms = shapeList(v.bottomShapes);
  if (typeof bottoms === 'string') return `'bottomShapes': ${bottoms}`;
  const tops = shapeList(v.topShapes);
  if (typeof tops === 'string') return `'topShapes': ${tops}`;
  const out: LearnedLayerShapes = {
    uri: v.uri,
    layerName: v.layerName,
    phase: v.phase,
    bottomShapes: bottoms,
    topShapes: tops,
  };
  if (v.params !== undefined) {
    if (typeof v.params !== 'number' || !Number.isSafeInteger(v.params) || v.params < 0)
      return "'params' must be a non-negative integer";
    out.params = v.params;
  }
  for (const key of ['module', 'layerClass', 'paramStr'] as const) {
    const field = v[key];
    if (field === undefined) continue;
    if (typeof field !== 'string') return `'${key}' must be a string`;
    out[key] = field;
  }
  return out;
}

function shapeList(value: unknown): Shape[] | string {
  if (!Array.isArray(value)) return 'expected a list of shapes';
  const out: Shape[] = [];
  for (const [i, s] of value.entries()) {
    if (!Array.isArray(s) || !s.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
      return `shape #${i} must be a list of non-negative integers`;
    out.push([...(s as number[])]);
  }
  return out;
}
