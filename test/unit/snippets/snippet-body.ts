// Reads VS Code snippet bodies: finds their tab stops and expands them with the default text, the
// way the editor would if the user pressed Tab through every placeholder.

export interface SnippetEntry {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

export interface TabStop {
  index: number;
  /** Default text (placeholder), first choice, or undefined for a bare `$n`. */
  value?: string;
}

export interface ParsedBody {
  tabStops: TabStop[];
  /** Expanded text: placeholders replaced by their defaults, `$0` by nothing. */
  text: string;
  problems: string[];
}

export function bodyText(entry: SnippetEntry): string {
  return Array.isArray(entry.body) ? entry.body.join('\n') : entry.body;
}

/** Parses the snippet grammar subset we use: `$n`, `${n}`, `${n:default}`, `${n|a,b|}`, `\$`. */
export function parseBody(body: string): ParsedBody {
  const tabStops: TabStop[] = [];
  const problems: string[] = [];
  const defaults = new Map<number, string>();
  const pending: { index: number; at: number }[] = [];
  let pos = 0;

  function parse(stopAt: string | null): string {
    let out = '';
    while (pos < body.length) {
      const c = body[pos];
      if (stopAt !== null && c === stopAt) return out;
      if (c === '\\' && (body[pos + 1] === '$' || body[pos + 1] === '}' || body[pos + 1] === '\\')) {
        out += body[pos + 1];
        pos += 2;
      } else if (c === '$') {
        out += tabStop();
      } else {
        out += c;
        pos++;
      }
    }
    if (stopAt !== null) problems.push(`unclosed \${ at the end of the body`);
    return out;
  }

  function tabStop(): string {
    const bare = /^\$(\d+)/.exec(body.slice(pos));
    if (bare) {
      pos += bare[0].length;
      const index = Number(bare[1]);
      tabStops.push({ index });
      pending.push({ index, at: -1 });
      return `\uE000${index}\uE000`;
    }
    const braced = /^\$\{(\d+)([:|}])/.exec(body.slice(pos));
    if (!braced) {
      problems.push(`"$" at offset ${pos} is neither a numbered tab stop nor escaped`);
      pos++;
      return '$';
    }
    const index = Number(braced[1]);
    pos += braced[0].length;
    let value: string | undefined;
    if (braced[2] === ':') {
      value = parse('}');
      pos++;
    } else if (braced[2] === '|') {
      const end = body.indexOf('|}', pos);
      if (end < 0) {
        problems.push(`unclosed choice for tab stop ${index}`);
        pos = body.length;
        return '';
      }
      const choices = body.slice(pos, end).split(',');
      if (choices.some((ch) => ch === '')) problems.push(`empty choice for tab stop ${index}`);
      value = choices[0];
      pos = end + 2;
    }
    tabStops.push({ index, value });
    if (value !== undefined) {
      const known = defaults.get(index);
      if (known !== undefined && known !== value) {
        problems.push(`tab stop ${index} has two different defaults: "${known}" and "${value}"`);
      }
      defaults.set(index, value);
    }
    return `\uE000${index}\uE000`;
  }

  const raw = parse(null);
  const text = raw.replace(/\uE000(\d+)\uE000/g, (_m, n: string) => resolve(Number(n), 0));
  function resolve(index: number, depth: number): string {
    const v = defaults.get(index) ?? '';
    return depth > 5 ? v : v.replace(/\uE000(\d+)\uE000/g, (_m, n: string) => resolve(Number(n), depth + 1));
  }
  problems.push(...numberingProblems(tabStops));
  return { tabStops, text, problems };
}

/** Tab stops must be numbered 1..n without gaps; `$0` (the final cursor) at most once. */
function numberingProblems(stops: TabStop[]): string[] {
  const problems: string[] = [];
  const numbers = [...new Set(stops.map((s) => s.index))].filter((n) => n > 0).sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i + 1)
      problems.push(`tab stops are not numbered 1..${numbers.length}: found ${numbers.join(',')}`);
  });
  if (stops.filter((s) => s.index === 0).length > 1) problems.push('more than one $0');
  return [...new Set(problems)];
}
