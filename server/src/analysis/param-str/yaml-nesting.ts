// A linear pre-scan of YAML text that finds nesting too deep for the recursive `yaml` parser before
// the text reaches it (deeply nested text makes that parser overflow the stack or abort the process).
// It over-estimates rather than under-estimates: every open flow bracket and every block level
// (an indentation step, or a compact `- `/`? `/`: ` on one line) counts as one level.

/** The offset of the first place nested deeper than `max` levels, or -1 when the text stays within it. */
export function yamlTooDeepAt(text: string, max: number): number {
  const indents: number[] = [];
  let flow = 0;
  let quote: '' | '"' | "'" = '';
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    if (quote === '' && flow === 0) {
      while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
      const blank = i === lineEnd || text[i] === '#' || text[i] === '\r';
      if (!blank) {
        const column = i - lineStart;
        while (indents.length > 0 && indents[indents.length - 1] >= column) indents.pop();
        indents.push(column);
        // Compact nesting on one line: `- - x`, `? - x`, `- key: - x` are each one level more.
        if (indents.length > max) return i;
        while (isIndicator(text, i, lineEnd)) {
          indents.push(i + 2 - lineStart);
          if (indents.length > max) return i;
          i += 2;
          while (i < lineEnd && text[i] === ' ') i++;
        }
      }
    }
    let valueStart = true;
    for (; i < lineEnd; i++) {
      const c = text[i];
      if (quote !== '') {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if (c === '"' || c === "'") {
        if (flow > 0 || valueStart) quote = c;
        valueStart = false;
      } else if (c === '[' || c === '{') {
        // In block context a bracket opens a collection only where a value starts.
        if (flow > 0 || valueStart) {
          flow++;
          if (flow + indents.length > max) return i;
        }
      } else if (c === ']' || c === '}') {
        if (flow > 0) flow--;
      } else if (c !== ' ' && c !== '\t') {
        valueStart =
          flow > 0 ? c === ',' || c === ':' : (c === ':' || c === '-' || c === '?') && isGap(text, i + 1);
      }
    }
    lineStart = lineEnd + 1;
  }
  return -1;
}

function isGap(text: string, i: number): boolean {
  return i >= text.length || text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r';
}

function isIndicator(text: string, i: number, lineEnd: number): boolean {
  const c = text[i];
  return (c === '-' || c === '?' || c === ':') && i + 1 < lineEnd && text[i + 1] === ' ';
}
