// What the deploy/ files may name: the metric names the shipped programs
// export, and a small reader that finds the metric names a PromQL expression
// selects (enough for rules and dashboards; promtool checks the syntax).
import fs from 'node:fs';
import path from 'node:path';
import { selfMetricsStore } from '../../src/cli/selfmetrics.js';
import { sanitizeMetricName } from '../../src/metrics/index.js';
import { compileFile, programFiles } from '../../src/runtime/loader.js';
import { metricsOf } from '../../src/runtime/program.js';

/** Sample names the programs in `dir` export: counters and gauges as declared, histograms as _bucket, _sum, _count. */
export function exportedSampleNames(dir: string): { names: Set<string>; errors: string[] } {
  const names = new Set<string>();
  const errors: string[] = [];
  for (const file of programFiles(dir)) {
    const { name, result, error } = compileFile(file);
    if (!result?.generated) {
      errors.push(`${file}: ${error ?? 'does not compile'}`);
      continue;
    }
    for (const m of metricsOf(name, result)) {
      const s = m.spec;
      if (s.hidden || s.kind === 'text') continue;
      const exported = sanitizeMetricName(s.exportedName);
      if (s.kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(exported + suffix);
      else names.add(exported);
    }
  }
  return { names, errors };
}

/** Names of logmetrics' own metrics: those of the daemon's self-metrics store, which has every family even with no source or program. */
export function selfMetricNames(): string[] {
  return [...selfMetricsStore(undefined, [], 0).metrics()].map((m) => m.spec.exportedName);
}

const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/**
 * The metric names an expression selects, in order of appearance. Strings,
 * label matchers, ranges, grouping label lists and Grafana variables are
 * removed first; an identifier followed by "(" is a function or aggregation.
 */
export function metricNames(expr: string): string[] {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  s = s.replace(/\{[^{}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' ');
  s = s.replace(/\$\{?\w+\}?/g, ' ');
  const names: string[] = [];
  for (const m of s.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] !== undefined || NOT_METRICS.has(m[1]!.toLowerCase())) continue;
    if (!names.includes(m[1]!)) names.push(m[1]!);
  }
  return names;
}

/** A panel query with Grafana's variables filled in as an "All" selection does. */
export function fillVariables(expr: string, rateInterval = '5m'): string {
  return expr.replace(/\$__rate_interval\b/g, rateInterval).replace(/\$(job|instance|host|backend)\b/g, '.*');
}
