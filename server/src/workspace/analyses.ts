// The server's state, apart from the connection: settings, workspace roots, the schema provider and
// one analysis per open document version, recomputed when the document or the settings change.

import path from 'node:path';
import { analyze, type Analysis } from '../analysis/analyze';
import type { CheckoutSolvers, InstalledLayerTypes, RepositoryProto } from '../analysis/checks/context';
import type { StatedShapes } from '../analysis/shapes/input-shapes';
import type { DocumentStore, DocumentSnapshot } from '../documents';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { NetWriters } from '../training/net-writers';
import type { StartFolder } from '../training/solver-nets';
import { DeployNets } from './deploy-nets';
import { DocumentShapes, type LearnedTopsSource } from './document-shapes';
import { SchemaProvider, type SchemaForDocument } from './schema-provider';
import { RepositoryLayerTypes } from './repository-layers';
import type { Registration } from '../schema/checkout-layers';
import { templateNamed } from '../analysis/checks/syntax';

/** What the client said it can do, reduced to what features need. */
export interface ClientAbilities {
  snippets: boolean;
  markdown: boolean;
  /** Completion item label details / insert-replace support are optional niceties. */
  labelDetails: boolean;
  /** textDocument.definition.linkSupport: definition may answer with LocationLinks. */
  definitionLinks?: boolean;
  /** workspace.workspaceEdit.documentChanges: edits may name the document version they were made for. */
  versionedEdits?: boolean;
  /** textDocument.codeAction.disabledSupport: actions may be offered disabled, with the reason. */
  disabledActions?: boolean;
  /** textDocument.foldingRange.rangeLimit: the client keeps at most this many folding ranges. */
  foldingRangeLimit?: number;
  /** textDocument.codeAction.resolveSupport lists "edit": an action's edit may be left to codeAction/resolve. */
  resolveEdits?: boolean;
  /**
   * initializationOptions.commands: the client commands a code action may run (our own client's,
   * such as prototxt.addPythonPath; other editors list none).
   */
  commands?: readonly string[];
}

export const BASIC_CLIENT: ClientAbilities = { snippets: false, markdown: false, labelDetails: false };

/**
 * The name of one kind of result derived from a document version (an outline, folding ranges, the
 * name index...); `T` is what it holds, so `derived` hands back the type it was given.
 */
export class DerivedResult<T> {
  /** Never set: it only carries `T`. */
  declare private readonly holds?: T;
  /**
   * `carried`: what was made for a version is handed to the `derivedAfter` of the document's next
   * one (under the same settings and schema), to take over what an edit left as it was.
   */
  constructor(
    readonly name: string,
    readonly carried = false,
  ) {}
}

/** One analysed document version: everything a feature needs. */
export interface AnalyzedDocument {
  doc: DocumentSnapshot;
  analysis: Analysis;
  /** The net's shapes with the Python layer tops learned for the document (made on first read). */
  shapes: DocumentShapes;
  schema: SchemaForDocument;
  settings: Settings;
  client: ClientAbilities;
  /** Where the document's repository registers a layer type in its own C++ sources, if it does. */
  repositoryLayerType?: (type: string) => Registration | undefined;
  /** Every layer type the document's repository registers in its own C++ sources. */
  repositoryLayerTypes?: () => Registration[];
  /** The folders the workspace's scripts start Caffe in for this document as a solver (net-writers.ts). */
  scriptStarts?: () => StartFolder[];
  /**
   * The result `key` names for this version: made by `make` on the first ask, then kept with the
   * analysis (a new version, new settings or a new schema start over).
   */
  derived<T>(key: DerivedResult<T>, make: () => T): T;
  /**
   * `derived` for a carried key: `make` is given what was made for the document's latest version
   * before this one that made it (undefined when none did), and must give what it would without it.
   */
  derivedAfter<T>(key: DerivedResult<T>, make: (before: T | undefined) => T): T;
}

export class Analyses {
  private settingsValue: Settings = DEFAULT_SETTINGS;
  private rootPaths: string[] = [];
  private installed: InstalledLayerTypes | undefined;
  private generation = 0;
  private readonly cache = new Map<
    string,
    {
      version: number;
      generation: number;
      result: AnalyzedDocument;
      /** The latest analysis made: the version's own, else the one it would have taken over. */
      made(): Analysis | undefined;
      /** The latest results of carried keys: the version's own, else those it was handed. */
      carried(): Map<DerivedResult<unknown>, unknown>;
    }
  >();
  readonly schemas: SchemaProvider;
  /** The deploy nets beside analysed files, whose image sizes fill data layers' unknown dims. */
  private readonly deploys = new DeployNets();
  /** The scripts that write the net files solvers name (a missing one they write is a warning). */
  readonly netWriters = new NetWriters();
  /** The layer types the workspace's repositories register in their own C++ sources. */
  readonly repositoryLayers = new RepositoryLayerTypes(() => this.rootPaths);
  client: ClientAbilities = BASIC_CLIENT;

  /**
   * `learned`: the Python layer tops learned per document, which the documents' shapes take in;
   * `oneVersion`: each document is analysed once (a check), so nothing is kept for a next version.
   */
  constructor(
    readonly documents: DocumentStore,
    private readonly learned?: LearnedTopsSource,
    private readonly oneVersion = false,
  ) {
    this.schemas = new SchemaProvider(DEFAULT_SETTINGS.schema, []);
  }

  get settings(): Settings {
    return this.settingsValue;
  }

  get roots(): readonly string[] {
    return this.rootPaths;
  }

  /** New settings and/or roots: every analysis is recomputed on next use. */
  configure(settings: Settings, roots: readonly string[] = this.rootPaths): void {
    this.settingsValue = settings;
    this.rootPaths = [...roots];
    this.schemas.update(settings.schema, this.rootPaths);
    this.repositoryLayers.clear();
    this.invalidate();
  }

  /** What the user's installed Caffe registers (caffe.layer_type_list()), when its pycaffe was asked. */
  get installedLayerTypes(): InstalledLayerTypes | undefined {
    return this.installed;
  }

  /**
   * The layer types the installed Caffe registers and the interpreter that imports it (`label`), or
   * undefined when that is not known: every analysis is recomputed on next use.
   */
  setInstalledLayerTypes(installed: { types: readonly string[]; label: string } | undefined): void {
    this.installed = installed && { types: new Set(installed.types), label: installed.label };
    this.generation++;
    this.cache.clear();
  }

  /** A caffe.proto changed on disk or appeared: look again. */
  invalidate(): void {
    this.generation++;
    this.schemas.refreshDiscovery();
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /**
   * Net files created, changed or deleted on disk: when a folder whose deploy nets an analysis read
   * is among theirs, every analysis is recomputed on next use.
   */
  filesChanged(paths: readonly string[]): void {
    this.netWriters.filesChanged(paths);
    const types = this.repositoryLayers.sourcesChanged(paths);
    // A shell script may say which checkout's tools run the nets beside it (schema/checkout-scripts.ts).
    const scripts = this.schemas.scriptsChanged(paths);
    if (!this.deploys.filesChanged(paths) && !types && !scripts) return;
    this.generation++;
    this.cache.clear();
  }

  /** Where the repository holding `file` registers a layer type in its C++ sources. */
  private repositoryLayerType(file: string): (type: string) => Registration | undefined {
    return (type) => this.repositoryLayers.registration(file, type);
  }

  /** The folders the workspace's scripts start Caffe in for `file` as a solver. */
  private scriptStarts(file: string): () => StartFolder[] {
    return () => this.netWriters.startFolders(file, this.roots);
  }

  /** A script that builds `file` as a solver and steps it itself. */
  private solverStepper(file: string): () => string | undefined {
    return () => this.netWriters.stepperOf(file, this.roots);
  }

  /** A shell script that appends a field to a prototxt it writes, the nearest to `file`. */
  private fieldAppender(file: string): (field: string) => string | undefined {
    return (field) => this.netWriters.appenderOf(field, this.roots, file);
  }

  /** The filler types the headers of the repository holding `file` make. */
  private repositoryFillers(file: string): () => ReadonlySet<string> {
    return () => this.repositoryLayers.fillers(file);
  }

  /** The whole caffe.protos of the repository holding `file`, for a document checked against the bundled schema. */
  private repositoryProtos(file: string): () => readonly RepositoryProto[] {
    let found: readonly RepositoryProto[] | undefined;
    return () => (found ??= this.schemas.otherProtos(file));
  }

  /** Every layer type the repository holding `file` registers in its C++ sources. */
  private repositoryLayerTypes(file: string): () => Registration[] {
    return () => this.repositoryLayers.registrations(file);
  }

  /** The schema that applies to a document (documents without a path use the first root). */
  schemaFor(doc: DocumentSnapshot): SchemaForDocument {
    const base = doc.path ?? path.join(this.rootPaths[0] ?? process.cwd(), 'untitled.prototxt');
    return this.schemas.schemaFor(base);
  }

  /** The analysis of the current version of `uri`, or undefined when it is not open. */
  analyzed(uri: string): AnalyzedDocument | undefined {
    const doc = this.documents.get(uri);
    return doc ? this.analyzedDoc(doc) : undefined;
  }

  analyzedDoc(doc: DocumentSnapshot): AnalyzedDocument {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit.result;
    // Another version analysed under the same settings: the new analysis may take over from it.
    const same = hit !== undefined && hit.generation === this.generation;
    let previous = same ? hit.made() : undefined;
    const before = same ? hit.carried() : new Map<DerivedResult<unknown>, unknown>();

    // The schema and the analysis are made when first read: a Python document's requests (code
    // lenses, references) never read them, and it is no prototxt to parse.
    let schema: SchemaForDocument | undefined;
    let analysis: Analysis | undefined;
    let shapes: DocumentShapes | undefined;
    const settings = this.settingsValue;
    const learned = this.learned;
    const installed = this.installed;
    const deploys = this.deploys;
    const derived = new Map<DerivedResult<unknown>, unknown>();
    const schemaOf = () => (schema ??= this.schemaFor(doc));
    const analysisOf = () => {
      if (analysis) return analysis;
      const s = schemaOf();
      const earlier = previous;
      // Held only until used: a version does not keep the one before it alive.
      previous = undefined;
      return (analysis = analyze(doc.text, doc.ast, {
        schema: s.schema,
        schemaKind: s.kind,
        forks: s.forks,
        allowLayerTypes: settings.layerTypes.allow,
        ...(doc.path
          ? {
              repositoryLayerType: this.repositoryLayerType(doc.path),
              repositoryFillers: this.repositoryFillers(doc.path),
              ...(s.kind === 'bundled' ? { repositoryProtos: this.repositoryProtos(doc.path) } : {}),
              solverStepper: this.solverStepper(doc.path),
              templateWord: (word: string) => this.netWriters.fillerOf(word, this.roots),
              ...templateNamed(doc.path),
              fieldAppender: this.fieldAppender(doc.path),
            }
          : {}),
        ...registeredTypes(installed, s, this.rootPaths),
        inputShapes: statedInSettings(settings),
        ...(doc.path ? { deployFills: () => deploys.fillsFor(doc.path as string, s.schema) } : {}),
        ...(earlier ? { previous: earlier } : {}),
        ...(this.oneVersion ? { keepForNextVersion: false } : {}),
      }));
    };
    const result: AnalyzedDocument = {
      doc,
      get schema() {
        return schemaOf();
      },
      get analysis() {
        return analysisOf();
      },
      get shapes() {
        return (shapes ??= new DocumentShapes(doc.uri, analysisOf(), schemaOf().schema, learned));
      },
      settings,
      client: this.client,
      ...(doc.path
        ? {
            repositoryLayerType: this.repositoryLayerType(doc.path),
            repositoryLayerTypes: this.repositoryLayerTypes(doc.path),
            scriptStarts: this.scriptStarts(doc.path),
          }
        : {}),
      derived<T>(key: DerivedResult<T>, make: () => T): T {
        if (derived.has(key)) return derived.get(key) as T;
        const made = make();
        derived.set(key, made);
        return made;
      },
      derivedAfter<T>(key: DerivedResult<T>, make: (before: T | undefined) => T): T {
        return this.derived(key, () => {
          const earlier = before.get(key) as T | undefined;
          // Handed over once: a version does not keep the one before it alive.
          before.delete(key);
          return make(earlier);
        });
      },
    };
    this.cache.set(doc.uri, {
      version: doc.version,
      generation: this.generation,
      result,
      made: () => analysis ?? previous,
      carried: () => {
        const latest = new Map(before);
        for (const [key, value] of derived) if (key.carried) latest.set(key, value);
        return latest;
      },
    });
    return result;
  }
}

/** `prototxt.shapes.inputShapes` as stated shapes (undefined when the setting states none). */
export function statedInSettings(settings: Settings): StatedShapes | undefined {
  const stated = settings.shapes.inputShapes;
  if (stated.size === 0) return undefined;
  return new Map(
    [...stated].map(([name, shape]) => [name, { shape, source: 'the setting prototxt.shapes.inputShapes' }]),
  );
}

/**
 * What decides which layer types are registered: the installed Caffe's answer when its pycaffe was
 * asked, else the sources of the Caffe checkout whose caffe.proto the document is checked against;
 * and the solver names that checkout's sources know.
 */
function registeredTypes(
  installed: InstalledLayerTypes | undefined,
  schema: SchemaForDocument,
  roots: readonly string[],
): { installedLayerTypes?: InstalledLayerTypes; checkoutSolvers?: CheckoutSolvers } {
  const known = checkoutSolversOf(schema, roots);
  const solvers = known ? { checkoutSolvers: known } : {};
  const checkout = schema.layerTypes;
  if (!checkout) return installed ? { installedLayerTypes: installed, ...solvers } : solvers;
  const label = checkoutLabel(checkout.root, roots);
  return { installedLayerTypes: installed ?? { types: checkout.types, label, checkout: true }, ...solvers };
}

/**
 * The solver names the sources of the schema's Caffe checkout know, whoever registers layers (an older
 * Caffe whose layer registry is not read too).
 */
export function checkoutSolversOf(
  schema: SchemaForDocument,
  roots: readonly string[],
): CheckoutSolvers | undefined {
  const names = schema.checkoutSolvers;
  return names ? { ...names.names, label: checkoutLabel(names.root, roots) } : undefined;
}

/** A checkout's folder as messages name it: relative to the workspace root holding it. */
function checkoutLabel(folder: string, roots: readonly string[]): string {
  const root = roots.find((r) => !path.relative(r, folder).startsWith('..'));
  return root === undefined ? folder : path.relative(root, folder) || path.basename(folder);
}
