// Which caffe.proto a document is checked against: the configured path(s) (prototxt.schema.paths or
// the CLI's --schema; in the order written, the first file that reads or shipped schema named
// `bundled:NAME`), else the caffe.proto of the Caffe checkout the document belongs to in its own
// workspace root (schema/discovery.ts), else the bundled BVLC schema (with the bundled forks for the
// severity policy). A proto that only adds to Caffe's goes into the schema chosen: listed with it, or
// the one the document's repository holds. User protos are read once per path and modification
// time (proto-files.ts). No LSP imports: the CLI uses it too.

import path from 'node:path';
import type { ForkSchema } from '../analysis/model/resolve';
import { standingErrors, withAdditions } from '../schema/additions';
import { bundledChoice, bundledForkSchemas, isBundledSetting, unknownBundledChoice } from './bundled-choices';
import { loadBundledSchema } from '../schema/bundled';
import type { CheckoutLayerTypes } from '../schema/checkout-layers';
import type { CheckoutSolverNames } from '../schema/checkout-names';
import { MissingSubmodules, type CaffeSubmodule } from './git-submodules';
import { caffeRootOf, findProtoFiles, nearestProto, type FindProtoOptions } from '../schema/discovery';
import { Schema } from '../schema/schema';
import { ProjectFolders, ToolCheckouts } from './folder-memos';
import { SCHEMA_EXCLUDE_DEFAULT } from '../settings';
import { holdsRepository, isFile } from '../util/fs-probe';
import type { RepositoryProto } from '../analysis/checks/context';
import { repositoryOf, repositoryProtos } from './repository-protos';
import { isInside } from '../util/path-inside';
import { addsOnly, protoProblem, ProtoFiles, type ReadProtoFile } from './proto-files';

export interface SchemaSettings {
  /** prototxt.schema.paths: absolute, or relative to a workspace root; `bundled:NAME` a bundled schema. */
  paths: readonly string[];
  /** prototxt.schema.autoDiscover */
  autoDiscover: boolean;
  /** prototxt.schema.exclude: globs of folders (relative to a root) never searched for a caffe.proto. */
  exclude?: readonly string[];
}

export interface SchemaForDocument {
  schema: Schema;
  kind: 'bundled' | 'user';
  /** Bundled forks consulted for fields BVLC lacks (bundled schema only; else empty). */
  forks: readonly ForkSchema[];
  origin: 'configured' | 'discovered' | 'bundled';
  /** The caffe.proto in use, for user schemas. */
  path?: string;
  /** Problems met on the way, e.g. a configured path that does not exist or a proto's syntax errors. */
  problems: string[];
  /** For a proto at its place in a Caffe checkout: the layer types that checkout's sources register. */
  layerTypes?: CheckoutLayerTypes;
  /**
   * For a proto at its place in a Caffe checkout: the solver names its sources know (also of an older
   * Caffe whose layer types are not read), and the checkout's root folder.
   */
  checkoutSolvers?: { root: string; names: CheckoutSolverNames };
  /** For a proto at its place in a Caffe checkout: the attribute its Python layers get param_str as. */
  checkoutParamStr?: { root: string; attribute: 'param_str' | 'param_str_' };
  /** A bundled schema chosen as the one in use: the setting that chose it (`bundled:ssd`). */
  setting?: string;
  /** The protos of additions merged into the schema, absolute. */
  additions?: readonly string[];
  /**
   * Bundled schemas only: the Caffe submodules of the document's repository that are not checked out
   * (its own caffe.proto would be found there otherwise). With `setting`, the one whose bundled fork's
   * schema is in use.
   */
  submodules?: readonly CaffeSubmodule[];
}

const NET = 'caffe.NetParameter';

/** A proto as read, kept by path until its modification time or size changes. */
type CachedProto = ReadProtoFile;

export class SchemaProvider {
  private readonly files = new ProtoFiles();
  /** Folders holding a checkout nested in them: whether they are projects of their own (nets beside it). */
  private projects = new ProjectFolders();
  /** The checkouts the scripts of a folder run Caffe's tools from, per folder. */
  private tools = new ToolCheckouts();
  private discovered: { root: string; protos: string[] }[] | undefined;
  private bundled: { schema: Schema; forks: ForkSchema[] } | undefined;
  /** The Caffe submodules of a document's repository not checked out, per folder of documents. */
  private readonly submodules = new MissingSubmodules();

  constructor(
    private settings: SchemaSettings,
    private roots: readonly string[],
    private readonly discoveryOptions: FindProtoOptions = {},
  ) {}

  /** New settings or workspace roots; discovered protos are looked for again on next use. */
  update(settings: SchemaSettings, roots: readonly string[] = this.roots): void {
    this.settings = settings;
    this.roots = roots;
    this.discovered = undefined;
    this.submodules.clear();
    this.projects = new ProjectFolders();
    this.tools = new ToolCheckouts();
  }

  /**
   * Shell scripts changed on disk: the checkouts whose tools they run are read again (true when one
   * changed, and schemas may then be chosen otherwise).
   */
  scriptsChanged(paths: readonly string[]): boolean {
    if (!paths.some((p) => /\.(?:sh|bash)$/i.test(p))) return false;
    this.tools = new ToolCheckouts();
    return true;
  }

  /** Forget the discovered protos (a caffe.proto was added or removed). Read protos stay cached by mtime. */
  refreshDiscovery(): void {
    this.discovered = undefined;
    this.submodules.clear();
    this.projects = new ProjectFolders();
    this.tools = new ToolCheckouts();
  }

  /** The schema for a document at `documentPath` (absolute). Never throws. */
  schemaFor(documentPath: string): SchemaForDocument {
    const problems: string[] = [];
    const { base, additions } = this.configured(problems);
    if (base) {
      // What a repository adds to Caffe goes into the schema chosen for its nets (PSANet's layer into
      // the PSPNet fork it is built on): the protos of additions listed, and the one it holds.
      const found = this.discoveredAdditions(documentPath);
      const all = found && !additions.some((a) => a.file === found.file) ? [...additions, found] : additions;
      return all.length > 0 ? this.mergedInto(base, all) : base;
    }
    if (additions.length > 0) return this.withAdditions(additions, 'configured', problems);
    if (this.settings.autoDiscover) {
      const nearest = this.discoveredFor(documentPath);
      const read = nearest === undefined ? undefined : this.files.read(nearest, problems);
      if (nearest !== undefined && read !== undefined) {
        // A caffe.proto that defines no net is no schema of nets, unless it adds to Caffe's.
        if (addsOnly(read)) return this.withAdditions([{ file: nearest, read }], 'discovered', problems);
        if (read.schema.message(NET) !== undefined) return this.user(read, nearest, 'discovered', problems);
      }
    }
    const submodules = this.settings.autoDiscover ? this.submodules.of(documentPath) : [];
    // The one Caffe submodule missing is a bundled fork's repository (py-faster-rcnn's caffe-fast-rcnn,
    // ICNet's PSPNet): the bundled copy of that fork's caffe.proto is the nearest thing to its own.
    const fork = submodules.length === 1 ? submodules[0].forkName : undefined;
    const setting = fork === undefined ? undefined : `bundled:${fork}`;
    const forkSchema = setting === undefined ? undefined : this.chosenBundled(setting);
    if (forkSchema)
      return {
        schema: forkSchema,
        kind: 'user',
        forks: [],
        origin: 'bundled',
        problems,
        setting,
        submodules,
      };
    return {
      ...this.bundledSchemas(),
      kind: 'bundled',
      origin: 'bundled',
      problems,
      ...(submodules.length > 0 ? { submodules } : {}),
    };
  }

  /**
   * The configured paths (in the order written): the first shipped schema chosen by name or proto of a
   * net that reads is the base; every proto of additions listed is kept to go into it. Once the base is
   * found, only protos of additions are looked at (a later path is a fallback, not read otherwise).
   */
  private configured(problems: string[]): { base?: SchemaForDocument; additions: Addition[] } {
    let base: SchemaForDocument | undefined;
    const additions: Addition[] = [];
    for (const written of this.settings.paths) {
      if (isBundledSetting(written)) {
        if (base) continue;
        const schema = this.chosenBundled(written);
        if (schema)
          base = { schema, kind: 'user', forks: [], origin: 'configured', problems, setting: written };
        else problems.push(unknownBundledChoice(written));
        continue;
      }
      for (const resolved of this.resolvedPaths(written)) {
        const own: string[] = [];
        if (!isFile(resolved)) own.push(`Schema path not found: ${written}`);
        const read = own.length === 0 ? this.files.read(resolved, own) : undefined;
        if (read && addsOnly(read)) {
          additions.push({ file: resolved, read });
          break;
        }
        if (base) continue;
        problems.push(...own);
        if (read) {
          base = this.user(read, resolved, 'configured', problems);
          break;
        }
      }
    }
    return { base, additions };
  }

  /** The discovered proto of additions for a document, when the one it belongs to is such a proto. */
  private discoveredAdditions(documentPath: string): Addition | undefined {
    if (!this.settings.autoDiscover) return undefined;
    const nearest = this.discoveredFor(documentPath);
    const read = nearest === undefined ? undefined : this.files.read(nearest, []);
    return nearest !== undefined && read !== undefined && addsOnly(read)
      ? { file: nearest, read }
      : undefined;
  }

  /** The last merge made into each base schema, made again when a proto of additions changes. */
  private readonly merges = new WeakMap<
    Schema,
    { reads: CachedProto[]; schema: Schema; problems: string[] }
  >();

  /** `base` with the additions merged into its schema (base's own definitions win). */
  private mergedInto(base: SchemaForDocument, additions: readonly Addition[]): SchemaForDocument {
    const reads = additions.map((a) => a.read);
    let merge = this.merges.get(base.schema);
    if (!merge || merge.reads.length !== reads.length || merge.reads.some((r, i) => r !== reads[i])) {
      const data = reads.reduce((d, r) => withAdditions(d, r.schema.data), base.schema.data);
      const files = additions.map((a) => a.file).join(', ');
      const schema = new Schema(data, {
        ...base.schema.source,
        label: `${base.schema.source.label} with the additions of ${files}`,
        path: base.schema.source.path ?? additions[0].file,
      });
      const problems = additions.flatMap((a) =>
        standingErrors(a.read.errors, data).map((e) => protoProblem(a.file, e)),
      );
      merge = { reads, schema, problems };
      this.merges.set(base.schema, merge);
    }
    // The base's checkout facts are read again with it: they go with the merged schema too.
    if (base.schema.checkout) merge.schema.checkout = base.schema.checkout;
    else delete merge.schema.checkout;
    return {
      ...base,
      schema: merge.schema,
      problems: [...base.problems, ...merge.problems],
      additions: additions.map((a) => a.file),
    };
  }

  /** Bundled schemas chosen by `bundled:NAME`, made once each. */
  private readonly chosen = new Map<string, Schema | undefined>();

  private chosenBundled(written: string): Schema | undefined {
    if (!this.chosen.has(written)) this.chosen.set(written, bundledChoice(written));
    return this.chosen.get(written);
  }

  private bundledSchemas(): { schema: Schema; forks: ForkSchema[] } {
    return (this.bundled ??= { schema: loadBundledSchema(), forks: bundledForkSchemas() });
  }

  /**
   * Protos that only add to Caffe's schema (schema/additions.ts), with no schema chosen: the bundled
   * schema with their additions, the bundled forks still told apart.
   */
  private withAdditions(
    additions: readonly Addition[],
    origin: 'configured' | 'discovered',
    problems: string[],
  ): SchemaForDocument {
    const { schema, forks } = this.bundledSchemas();
    const bundled: SchemaForDocument = { schema, kind: 'bundled', forks, origin, problems };
    const merged = this.mergedInto(bundled, additions);
    return { ...merged, path: additions[0].file };
  }

  /** Every caffe.proto under the workspace roots (found once, then reused until refreshed). */
  candidates(): string[] {
    return this.byRoot().flatMap((r) => r.protos);
  }

  /** The discovered proto for a document: only its own workspace root's, the nearest Caffe checkout. */
  private discoveredFor(documentPath: string): string | undefined {
    const file = path.resolve(documentPath);
    // Roots without a proto are left out first: a check of many folders has a root per folder.
    const holding = this.byRoot()
      .filter((r) => r.protos.length > 0 && isInside(file, r.root))
      .sort((a, b) => b.root.length - a.root.length);
    for (const { root, protos } of holding) {
      const found = nearestProto(
        documentPath,
        protos,
        root,
        holdsRepository,
        (folder, checkout) => this.projects.get(folder, checkout),
        (folder, top) => this.tools.get(folder, top),
      );
      if (found) return found;
    }
    for (const { root, protos } of holding) {
      const found = this.repositoryAdditions(file, protos, root);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A repository of new layers may keep the caffe.proto of its additions apart from its nets
   * (layers/caffe.proto beside proto/): the only proto of additions in the prototxt's repository,
   * away from Caffe's place. It only adds to the bundled schema, so it can hide no error of Caffe's.
   */
  private repositoryAdditions(file: string, protos: readonly string[], root: string): string | undefined {
    const inside = repositoryOf(file, root);
    if (inside === undefined) return undefined;
    const found = protos.filter(
      (proto) => caffeRootOf(proto) === undefined && isInside(proto, inside) && this.files.addsOnly(proto),
    );
    return found.length === 1 ? found[0] : undefined;
  }

  /**
   * The whole caffe.protos of the repository holding `documentPath`, for a document none of them is
   * the schema of (schema/discovery.ts found none nearer); read when asked.
   */
  otherProtos(documentPath: string): RepositoryProto[] {
    const file = path.resolve(documentPath);
    const holding = this.byRoot().find((r) => r.protos.length > 0 && isInside(file, r.root));
    if (!holding) return [];
    return repositoryProtos(file, holding.root, holding.protos, (p) => this.files.read(p, [])?.schema);
  }

  private byRoot(): { root: string; protos: string[] }[] {
    if (!this.settings.autoDiscover) return [];
    const exclude = this.settings.exclude ?? SCHEMA_EXCLUDE_DEFAULT;
    this.discovered ??= this.roots.map((r) => {
      const root = path.resolve(r);
      return { root, protos: findProtoFiles(root, { exclude, ...this.discoveryOptions }) };
    });
    return this.discovered;
  }

  /** Where a configured path may be: as written when absolute, else in each workspace root. */
  private resolvedPaths(written: string): string[] {
    if (path.isAbsolute(written)) return [written];
    if (this.roots.length === 0) return [path.resolve(written)];
    return this.roots.map((root) => path.resolve(root, written));
  }

  /**
   * A proto already read and parsed elsewhere (the CLI's check of `--schema`), kept as if read here:
   * it is read again only when its modification time or size changes.
   */
  adopt(file: string, read: ReadProtoFile): void {
    this.files.adopt(file, read);
  }

  private user(
    read: CachedProto,
    file: string,
    origin: 'configured' | 'discovered',
    problems: string[],
  ): SchemaForDocument {
    const checkout = this.files.checkout(file);
    const layerTypes = checkout?.layerTypes;
    const solverNames = checkout && Object.keys(checkout.solvers).length > 0 ? checkout.solvers : undefined;
    // The proto is its checkout's: what the checkout's sources say goes with the schema.
    if (layerTypes) read.schema.checkout = layerTypes;
    else delete read.schema.checkout;
    return {
      schema: read.schema,
      kind: 'user',
      forks: [],
      origin,
      path: file,
      problems: [...problems, ...read.problems],
      ...(layerTypes ? { layerTypes } : {}),
      ...(checkout && solverNames ? { checkoutSolvers: { root: checkout.root, names: solverNames } } : {}),
      ...(checkout?.paramStrAttribute
        ? { checkoutParamStr: { root: checkout.root, attribute: checkout.paramStrAttribute } }
        : {}),
    };
  }
}

/** A proto of additions and the file it was read from. */
interface Addition {
  file: string;
  read: CachedProto;
}
