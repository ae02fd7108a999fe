// One measured figure and how it is printed: its value, and beside it the anchor measured in the
// same run (as a ratio) and/or the target it is held to, with "met" or "NOT met".

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Ratio against an anchor measured in the same run, and the target ratio. */
  ratio?: { anchor: string; value: number; target?: number; higherIsBetter: boolean };
  /** A target in the figure's own unit (e.g. p95 < 20 ms). */
  target?: { value: number; higherIsBetter?: boolean };
  /** Context printed after the figure (sizes, counts). */
  note?: string;
}

function verdict(value: number, target: number, higherIsBetter: boolean): string {
  return (higherIsBetter ? value >= target : value <= target) ? 'met' : 'NOT met';
}

function digits(value: number, unit: string): string {
  if (unit === 'ms' && value < 10) return value.toFixed(2);
  if (unit === 'ms' || unit === 'MB' || unit === 'KB' || unit === 'items') return value.toFixed(0);
  return value.toFixed(2);
}

export function formatFigure(f: Figure): string {
  let line = `${f.name}: ${digits(f.value, f.unit)} ${f.unit}`;
  if (f.target) {
    const better = f.target.higherIsBetter ?? false;
    line += ` (target ${better ? '>=' : '<'} ${f.target.value} ${f.unit}: ${verdict(f.value, f.target.value, better)})`;
  }
  if (f.ratio) {
    const r = f.ratio;
    line += ` | ${r.value.toFixed(2)}x ${r.anchor}`;
    if (r.target !== undefined) {
      line += ` (target ${r.higherIsBetter ? '>=' : '<='} ${r.target}x: ${verdict(r.value, r.target, r.higherIsBetter)})`;
    }
  }
  if (f.note) line += ` [${f.note}]`;
  return line;
}

export function printFigures(figures: readonly Figure[]): void {
  for (const f of figures) console.log(formatFigure(f));
}
