// The one glob matcher of the project (the Python index's exclude globs, the client's solver file
// names). A glob is compiled into a small automaton and every name is matched by walking the automaton
// over it once, keeping the set of states it can be in: time linear in the name for a given pattern,
// whatever the pattern (`*a*a*a*a*z` cannot backtrack). Patterns are bounded in length and in `{}`
// alternatives, so a setting cannot make matching expensive either.
//
//   `*` any run of characters but '/', `?` one of them, `**` any run including '/', `**/` (two or more
//   stars, then '/') zero or more whole folders, `{a,b}` alternatives (not nested); every other character
//   stands for itself.

export const MAX_GLOB_LENGTH = 1000;
export const MAX_GLOB_ALTERNATIVES = 64;

type Step =
  | { kind: 'char'; ch: string }
  | { kind: 'one' } // ?
  | { kind: 'star' } // * within a name
  | { kind: 'any' } // ** not followed by '/'
  | { kind: 'skip'; to: number }; // reads nothing: go on at the next step, or jump `to` steps ahead

export interface GlobOptions {
  /** A match of the pattern also matches everything below it (`build` matches `build/x/y.py`). */
  withContents?: boolean;
}

/** Why a glob cannot be used, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  const alternatives = expand(glob);
  if (alternatives === undefined) return `more than ${MAX_GLOB_ALTERNATIVES} {} alternatives`;
  return undefined;
}

/** A matcher for `glob`; a glob with a problem (see globProblem) matches nothing. */
export function compileGlob(glob: string, options: GlobOptions = {}): (text: string) => boolean {
  if (globProblem(glob) !== undefined) return () => false;
  const programs = (expand(glob) ?? []).map(compile);
  return (text) => programs.some((p) => run(p, text, options.withContents === true));
}

/** `{a,b}` alternatives spelled out (in order); undefined past MAX_GLOB_ALTERNATIVES. */
function expand(glob: string): string[] | undefined {
  let out = [''];
  for (let i = 0; i < glob.length; i++) {
    const close = glob[i] === '{' ? glob.indexOf('}', i) : -1;
    if (close < 0) {
      out = out.map((s) => s + glob[i]);
      continue;
    }
    const alts = glob.slice(i + 1, close).split(',');
    if (out.length * alts.length > MAX_GLOB_ALTERNATIVES) return undefined;
    out = out.flatMap((s) => alts.map((a) => s + a));
    i = close;
  }
  return out;
}

function compile(glob: string): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      let j = i;
      while (glob[j] === '*') j++;
      if (glob[j] === '/') {
        // `**/`: nothing, or any run of characters ending with '/'.
        steps.push({ kind: 'skip', to: 3 }, { kind: 'any' }, { kind: 'char', ch: '/' });
        i = j;
      } else {
        steps.push({ kind: 'any' });
        i = j - 1;
      }
    } else if (c === '*') {
      // Several stars in a row are one.
      if (steps[steps.length - 1]?.kind !== 'star') steps.push({ kind: 'star' });
    } else if (c === '?') steps.push({ kind: 'one' });
    else steps.push({ kind: 'char', ch: c });
  }
  return steps;
}

/** Walks the automaton of `steps` over `text` once, tracking every state it can be in. */
function run(steps: readonly Step[], text: string, withContents: boolean): boolean {
  const end = steps.length;
  let active = new Uint8Array(end + 1);
  let next = new Uint8Array(end + 1);
  active[0] = 1;
  closure(steps, active);
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (withContents && c === '/' && active[end]) return true;
    next.fill(0);
    let any = false;
    for (let s = 0; s < end; s++) {
      if (!active[s]) continue;
      const step = steps[s];
      switch (step.kind) {
        case 'char':
          if (step.ch === c) next[s + 1] = 1;
          break;
        case 'one':
          if (c !== '/') next[s + 1] = 1;
          break;
        case 'star':
          if (c !== '/') next[s] = 1;
          break;
        case 'any':
          next[s] = 1;
          break;
        case 'skip':
          break;
      }
    }
    for (let s = 0; s <= end; s++) any ||= next[s] === 1;
    if (!any) return false;
    closure(steps, next);
    [active, next] = [next, active];
  }
  return active[end] === 1;
}

/** Steps that may match nothing let the automaton move on without reading a character. */
function closure(steps: readonly Step[], states: Uint8Array): void {
  for (let s = 0; s < steps.length; s++) {
    if (!states[s]) continue;
    const step = steps[s];
    if (step.kind === 'star' || step.kind === 'any') states[s + 1] = 1;
    else if (step.kind === 'skip') {
      states[s + 1] = 1;
      states[s + step.to] = 1;
    }
  }
}
