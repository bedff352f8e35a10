// The status page at `/`: one self-contained HTML document (inline CSS, no
// scripts, no external resources) for a person checking on the daemon.
// Everything that comes from programs, files or logs is escaped.

import type { ProgramLogStatus, ProgramStatus, SourceStatus } from './types.js';

/** What the status page shows. */
export interface StatusPageData {
  version: string;
  startedAt: number;
  now: number;
  programs: ProgramStatus[];
  sources: SourceStatus[];
  metrics: { metrics: number; series: number };
}

/** `s` safe in HTML text and in quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A duration in its largest unit and the next one: "3d 4h", "1h 0m", "5m 12s", "42s". */
export function formatDuration(ms: number): string {
  const units = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const;
  const total = Math.max(0, Math.floor(ms / 1000));
  let first = units.findIndex(([, size]) => total >= size);
  if (first < 0) first = units.length - 1;
  const [bigUnit, bigSize] = units[first]!;
  const big = Math.floor(total / bigSize);
  if (first === units.length - 1) return `${big}${bigUnit}`;
  const [smallUnit, smallSize] = units[first + 1]!;
  return `${big}${bigUnit} ${Math.floor((total % bigSize) / smallSize)}${smallUnit}`;
}

/** Bytes in binary units with one decimal: "512 B", "1.5 MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A number cell; `warn` marks a non-zero problem counter. */
function num(n: number, warn = false): string {
  return `<td class="num${warn && n > 0 ? ' warn' : ''}">${count(n)}</td>`;
}

/** The whole status page. */
export function renderStatusPage(d: StatusPageData): string {
  const failed = d.programs.filter((p) => p.state === 'failed').length;
  const notMatching = d.programs.reduce((n, p) => n + (p.logs ?? []).filter((l) => l.notMatching !== undefined).length, 0);
  const started = new Date(d.startedAt).toISOString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>logmetrics ${escapeHtml(d.version)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>logmetrics</h1>
<span class="version">${escapeHtml(d.version)}</span>
<nav><a href="metrics">/metrics</a><a href="json">/json</a><a href="healthz">/healthz</a></nav>
</header>
<main>
<section class="summary">
<div><span class="label">Uptime</span><span class="value" title="started ${started}">${formatDuration(d.now - d.startedAt)}</span></div>
<div><span class="label">Programs</span><span class="value">${count(d.programs.length)}${failed > 0 ? ` <span class="badge failed">${failed} failed</span>` : ''}${notMatching > 0 ? ` <span class="badge failed">${notMatching} not matching</span>` : ''}</span></div>
<div><span class="label">Sources</span><span class="value">${count(d.sources.length)}</span></div>
<div><span class="label">Metrics</span><span class="value">${count(d.metrics.metrics)}</span></div>
<div><span class="label">Series</span><span class="value">${count(d.metrics.series)}</span></div>
</section>
<h2>Programs</h2>
${programsTable(d.programs, d.now)}
<h2>Programs by log</h2>
${matchingTable(d.programs, d.now)}
<h2>Sources</h2>
${sourcesTable(d.sources, d.now)}
</main>
<footer>Started ${started} · page rendered ${new Date(d.now).toISOString()}</footer>
</body>
</html>
`;
}

function programsTable(programs: ProgramStatus[], now: number): string {
  if (programs.length === 0) return '<p class="empty">No programs loaded.</p>';
  const rows = programs.map((p) => {
    const loaded = p.loadedAt === undefined ? '' : `${formatDuration(now - p.loadedAt)} ago`;
    const loadedTitle = p.loadedAt === undefined ? '' : ` title="${new Date(p.loadedAt).toISOString()}"`;
    const hasError = p.error !== undefined && p.error !== '';
    const row = `<tr class="${p.state}${hasError ? ' with-error' : ''}">
<td><span class="name">${escapeHtml(p.name)}</span><span class="file">${escapeHtml(p.file)}</span></td>
<td><span class="badge ${p.state}">${p.state}</span></td>
<td class="when"${loadedTitle}>${loaded}</td>
${num(p.lines)}${num(p.runtimeErrors, true)}
</tr>`;
    const error = hasError ? `\n<tr class="error-row"><td colspan="5"><pre>${escapeHtml(p.error!)}</pre></td></tr>` : '';
    return row + error;
  });
  return `<div class="scroll"><table>
<thead><tr><th>Program</th><th>State</th><th>Loaded</th><th class="num">Lines</th><th class="num">Runtime errors</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`;
}

/** A table cell: "5m 12s ago" with the exact time as a tooltip; "never" for 0 or undefined. */
function ago(at: number | undefined, now: number): string {
  if (at === undefined || at === 0) return '<td class="when">never</td>';
  return `<td class="when" title="${new Date(at).toISOString()}">${formatDuration(now - at)} ago</td>`;
}

/** Matched lines in per cent, one decimal; "—" for a program without a top-level pattern block. */
function ratio(l: ProgramLogStatus): string {
  if (l.matched === undefined) return '<td class="num" title="the program has no top-level pattern block">—</td>';
  if (l.lines === 0) return '<td class="num"></td>';
  return `<td class="num${l.notMatching ? ' warn' : ''}">${((100 * l.matched) / l.lines).toFixed(1)}%</td>`;
}

/** Per program and log: lines, lines a top-level pattern matched, the ratio, errors, the last line, and the not-matching warning. */
function matchingTable(programs: ProgramStatus[], now: number): string {
  const rows = programs.flatMap((p) =>
    (p.logs ?? []).map((l) => {
      const warn = l.notMatching;
      const row = `<tr class="${warn ? 'with-error' : ''}">
<td><span class="name">${escapeHtml(p.name)}</span></td>
<td><span class="file">${escapeHtml(l.log)}</span></td>
${num(l.lines)}${l.matched === undefined ? '<td class="num">—</td>' : num(l.matched)}${ratio(l)}${num(l.runtimeErrors, true)}${ago(l.lastLineAt, now)}
<td>${warn ? '<span class="badge failed">not matching</span>' : ''}</td>
</tr>`;
      if (!warn) return row;
      const text = `${p.name} ${warn.message} of ${l.log} (${new Date(warn.at).toISOString()}); a sample line:\n${JSON.stringify(warn.sample)}`;
      return `${row}\n<tr class="error-row"><td colspan="8"><pre>${escapeHtml(text)}</pre></td></tr>`;
    }),
  );
  if (rows.length === 0) return '<p class="empty">No lines run through programs yet.</p>';
  return `<div class="scroll"><table>
<thead><tr><th>Program</th><th>Log</th><th class="num">Lines</th><th class="num">Matched</th><th class="num">Ratio</th><th class="num">Runtime errors</th><th>Last line</th><th></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`;
}

function sourcesTable(sources: SourceStatus[], now: number): string {
  if (sources.length === 0) return '<p class="empty">No log sources followed yet.</p>';
  const rows = sources.map(
    (s) => `<tr>
<td><span class="name">${escapeHtml(s.name)}</span></td>
<td>${escapeHtml(s.kind)}</td>
${num(s.lines)}<td class="num" title="${count(s.bytes)} bytes">${formatBytes(s.bytes)}</td>${ago(s.lastReadAt, now)}${num(s.rotations)}${num(s.truncations)}${num(s.errors, true)}${num(s.longLinesCut, true)}
</tr>`,
  );
  return `<div class="scroll"><table>
<thead><tr><th>Source</th><th>Kind</th><th class="num">Lines</th><th class="num">Bytes</th><th>Last read</th><th class="num">Rotations</th><th class="num">Truncations</th><th class="num">Errors</th><th class="num">Long lines cut</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`;
}

const STYLE = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --accent: #0969da;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--fg); background: #fff; }
header { display: flex; align-items: baseline; gap: 12px; padding: 14px 32px; background: #24292f; color: #fff; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header .version { color: #9ea7b3; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
header nav { margin-left: auto; display: flex; gap: 18px; }
header nav a { color: #fff; text-decoration: none; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
header nav a:hover { text-decoration: underline; }
main { max-width: 1200px; margin: 0 auto; padding: 8px 32px 24px; }
h2 { font-size: 16px; font-weight: 600; margin: 28px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 12px; margin-top: 20px; }
.summary > div { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: var(--bg); }
.summary .label { display: block; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.summary .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
table { width: 100%; border-collapse: collapse; }
th, td { padding: 7px 12px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
tbody tr:last-child > td { border-bottom: none; }
th { background: var(--bg); font-weight: 600; font-size: 13px; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.warn { color: var(--bad); font-weight: 600; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll > table { border: none; }
td:first-child { min-width: 220px; }
td.when { white-space: nowrap; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.file { display: block; color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 20px; }
.badge.loaded { color: var(--ok); background: var(--ok-bg); }
.badge.failed { color: var(--bad); background: var(--bad-bg); }
.summary .badge { vertical-align: middle; }
tr.with-error > td { border-bottom: none; }
tr.error-row > td { padding-top: 0; }
pre { margin: 0; padding: 10px 12px; overflow-x: auto; background: #fff8f7; border: 1px solid #ffcecb; border-left: 3px solid var(--bad);
  border-radius: 6px; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #3d1114; white-space: pre; }
.empty { color: var(--muted); font-style: italic; }
footer { max-width: 1200px; margin: 0 auto; padding: 8px 32px 32px; color: var(--muted); font-size: 12px; }
`;
