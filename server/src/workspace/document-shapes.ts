// The shapes editor features show for one analysed document version: the analysis's own inference,
// or, once Python layer tops were learned for the document (PythonShapeStore), inference again with
// those tops. The learned layer is keyed explicitly by the store's generation for the document, so a
// result is reused until something new is learned or forgotten; reading it changes nothing else.

import type { Analysis } from '../analysis/analyze';
import type { AnalysisDiagnostic } from '../analysis/diagnostic';
import type { NetModel, Phase } from '../analysis/model/net';
import { inferShapes, type PythonTopsLookup, type ShapeResult } from '../analysis/shapes';
import { inferNetShapes, shapeDiagnostics, type NetShapes } from '../analysis/shapes/net-shapes';
import type { Schema } from '../schema/schema';

/** What is learned for one document: a generation (0: nothing) and the tops themselves. */
export interface LearnedTopsSource {
  generation(uri: string): number;
  lookupFor(uri: string): PythonTopsLookup | undefined;
}

interface Computed {
  generation: number;
  /** The learned tops at that generation; undefined when nothing is learned for the document. */
  tops?: PythonTopsLookup;
  net?: NetShapes;
  diagnostics?: readonly AnalysisDiagnostic[];
  phases: Map<Phase, ShapeResult>;
}

export class DocumentShapes {
  private computed?: Computed;

  constructor(
    private readonly uri: string,
    private readonly analysis: Analysis,
    private readonly schema: Schema,
    private readonly learned?: LearnedTopsSource,
  ) {}

  /** The learned tops in use, undefined when nothing is learned for the document. */
  get pythonTops(): PythonTopsLookup | undefined {
    return this.current().tops;
  }

  /** Every phase worth inferring (see inferNetShapes); empty for solvers and label maps. */
  get net(): NetShapes {
    const c = this.current();
    if (!c.tops) return this.analysis.shapes;
    const net = this.analysis.net;
    const inputShapes = this.analysis.inputShapes;
    return (c.net ??= net ? inferNetShapes(net, this.schema, { pythonTops: c.tops, inputShapes }) : {});
  }

  /**
   * The shapes of a net a solver embeds (`net_param`): the analysis's, else (inferred with the image
   * sizes of deploy nets beside the file, which it does not keep) inferred again once for this version.
   */
  embedded(net: NetModel): NetShapes {
    const kept = this.analysis.embeddedShapes?.get(net);
    if (kept) return kept;
    let shapes = this.embeddedAgain.get(net);
    if (!shapes) {
      shapes = inferNetShapes(net, this.schema);
      this.embeddedAgain.set(net, shapes);
    }
    return shapes;
  }

  private readonly embeddedAgain = new Map<NetModel, NetShapes>();

  /** The shapes of one phase, also one that inferNetShapes leaves out (the graph shows any phase). */
  inPhase(phase: Phase): ShapeResult | undefined {
    const net = this.analysis.net;
    if (!net) return undefined;
    const known = this.net[phase];
    if (known) return known;
    const c = this.current();
    let result = c.phases.get(phase);
    if (!result) {
      const inputShapes = this.analysis.inputShapes;
      result = inferShapes(net, phase, this.schema, undefined, { pythonTops: c.tops, inputShapes });
      c.phases.set(phase, result);
    }
    return result;
  }

  /** The shape problems with what is learned (the analysis's own when nothing is). */
  get diagnostics(): readonly AnalysisDiagnostic[] {
    const c = this.current();
    if (!c.tops) return this.analysis.shapeDiagnostics;
    if (!c.diagnostics) {
      const undefinedBottoms = new Set(
        this.analysis.diagnostics.filter((d) => d.code === 'undefined-bottom').map((d) => d.start),
      );
      c.diagnostics = shapeDiagnostics(this.net, undefinedBottoms);
    }
    return c.diagnostics;
  }

  private current(): Computed {
    const generation = this.learned?.generation(this.uri) ?? 0;
    if (this.computed?.generation !== generation) {
      const tops = generation === 0 ? undefined : this.learned?.lookupFor(this.uri);
      this.computed = { generation, tops, phases: new Map() };
    }
    return this.computed;
  }
}
