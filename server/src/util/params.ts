// The shape of document request params, checked before a feature sees them: a client that sends a
// position of the wrong type gets a precise InvalidParams answer instead of a crash deep inside.

/** The params each request needs beyond `textDocument`, by the handler name used in server.ts. */
const REQUIRED: Record<string, readonly ParamKey[]> = {
  hover: ['position'],
  completion: ['position'],
  definition: ['position'],
  references: ['position'],
  prepareRename: ['position'],
  rename: ['position', 'newName'],
  selectionRange: ['positions'],
  rangeFormatting: ['range'],
  codeAction: ['range'],
  inlayHint: ['range'],
};

type ParamKey = 'position' | 'positions' | 'range' | 'newName' | 'context';

const CHECKS: Record<ParamKey, (value: unknown) => string | undefined> = {
  position: (v) => positionProblem(v),
  positions: (v) => {
    if (!Array.isArray(v)) return 'must be an array of positions';
    for (let i = 0; i < v.length; i++) {
      const p = positionProblem(v[i]);
      if (p) return `[${i}] ${p}`;
    }
    return undefined;
  },
  range: (v) => {
    if (!isObject(v)) return 'must be an object { start, end }';
    const start = positionProblem(v.start);
    if (start) return `.start ${start}`;
    const end = positionProblem(v.end);
    return end ? `.end ${end}` : undefined;
  },
  newName: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
  context: (v) => (isObject(v) ? undefined : 'must be an object'),
};

/**
 * The first problem with the params of request `name` (a required param missing, or a position,
 * range or name of the wrong type), as a sentence; undefined when they are well formed.
 * Positions past the end of the document are well formed: features clamp them.
 */
export function paramsProblem(name: string, params: object): string | undefined {
  const given = params as Record<string, unknown>;
  for (const key of REQUIRED[name] ?? []) {
    if (given[key] === undefined) return `${name}: missing ${key}`;
  }
  for (const key of Object.keys(CHECKS) as ParamKey[]) {
    if (given[key] === undefined) continue;
    const problem = CHECKS[key](given[key]);
    if (problem) return `${name}: ${key} ${problem}`;
  }
  return undefined;
}

function positionProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'must be an object { line, character }';
  if (!isIndex(v.line))
    return `line must be a non-negative integer, not ${JSON.stringify(v.line) ?? 'undefined'}`;
  if (!isIndex(v.character)) {
    return `character must be a non-negative integer, not ${JSON.stringify(v.character) ?? 'undefined'}`;
  }
  return undefined;
}

function isIndex(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
