// Figures and the tables that print them: ours beside mtail's, and the ratio.

export type Unit = 'lines/s' | 'bytes' | 'seconds' | 'bytes/series' | 'ratio' | 'core';

/** One measured quantity: our median, mtail's median from the same run when it was measured. */
export interface Figure {
  scenario: string;
  what: string;
  unit: Unit;
  /** Whether a higher or a lower number is the better one. */
  better: 'higher' | 'lower';
  ours: number;
  mtail?: number;
  /** Why there is no mtail figure (not installed, skipped, not comparable). */
  mtailNote?: string;
}

/** A count for a label: 1M, 5M, 1.5M, or 20,000 below a million. */
export function formatCount(n: number): string {
  return n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n.toLocaleString('en');
}

function si(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

/** A value in its unit, for people. */
export function formatValue(n: number, unit: Unit): string {
  switch (unit) {
    case 'lines/s':
      return `${si(n)} lines/s`;
    case 'bytes':
      return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
    case 'seconds':
      return n < 1 ? `${(n * 1000).toFixed(1)} ms` : `${n.toFixed(2)} s`;
    case 'bytes/series':
      return `${n.toFixed(0)} B/series`;
    case 'ratio':
      return `${n.toFixed(2)}×`;
    case 'core':
      return `${(n * 100).toFixed(1)}% of a core`;
  }
}

/** ours ÷ mtail, with a word on who is ahead. */
function ratio(f: Figure): string {
  if (f.mtail === undefined || f.mtail === 0) return '';
  const r = f.ours / f.mtail;
  const ahead = f.better === 'higher' ? r >= 1 : r <= 1;
  return `${r.toFixed(2)}× (${ahead ? 'ours' : 'mtail'} better)`;
}

/** Aligns rows of cells into columns. */
function columns(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/** A table of figures under a title; `withScenario` adds the scenario column (the summary). */
export function formatFigures(title: string, figures: Figure[], withScenario = false): string {
  const head = [...(withScenario ? ['scenario'] : []), 'figure', 'logmetrics', 'mtail', 'ours/mtail', 'better when'];
  const rows = figures.map((f) => [
    ...(withScenario ? [f.scenario] : []),
    f.what,
    formatValue(f.ours, f.unit),
    f.mtail !== undefined ? formatValue(f.mtail, f.unit) : f.mtailNote ?? '-',
    ratio(f),
    f.better,
  ]);
  const rule = '-'.repeat(Math.max(title.length, 20));
  return `\n${title}\n${rule}\n${columns([head, ...rows])}\n`;
}
