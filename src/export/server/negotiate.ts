// Content negotiation for /metrics: which exposition format (Accept) and
// whether to gzip (Accept-Encoding). Follows what Prometheus's client library
// does with a scraper's Accept header: the media ranges sorted by quality, the
// first one we can serve wins, and anything else falls back to text 0.0.4.

/** One media range of an Accept header. */
export interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

/** The exposition formats /metrics can serve. */
export type MetricsFormat = 'prometheus' | 'openmetrics' | 'protobuf';

/** Parses an Accept header into media ranges, best first (quality, then specificity, then order). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined) return [];
  const ranges: { range: MediaRange; index: number }[] = [];
  for (const [index, part] of header.split(',').entries()) {
    const [mediaType = '', ...paramParts] = part.split(';');
    const slash = mediaType.indexOf('/');
    if (slash < 0) continue;
    const type = mediaType.slice(0, slash).trim().toLowerCase();
    const subtype = mediaType.slice(slash + 1).trim().toLowerCase();
    if (type === '' || subtype === '') continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = unquote(p.slice(eq + 1).trim());
      if (key === 'q') q = parseQuality(value);
      else params.set(key, value);
    }
    ranges.push({ range: { type, subtype, params, q }, index });
  }
  ranges.sort((a, b) => b.range.q - a.range.q || specificity(b.range) - specificity(a.range) || a.index - b.index);
  return ranges.map((r) => r.range);
}

/**
 * The format for a scrape: OpenMetrics when the best acceptable range we can serve is
 * application/openmetrics-text (version 0.0.1, 1.0.0 or none), protobuf when it is
 * application/vnd.google.protobuf for io.prometheus.client.MetricFamily, delimited
 * (what a Prometheus with native histograms asks for first), otherwise text 0.0.4.
 */
export function negotiateFormat(accept: string | undefined): MetricsFormat {
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) break;
    const version = r.params.get('version');
    if (r.type === 'text' && r.subtype === 'plain' && (version === undefined || version === '0.0.4')) {
      return 'prometheus';
    }
    if (
      r.type === 'application' &&
      r.subtype === 'openmetrics-text' &&
      (version === undefined || version === '1.0.0' || version === '0.0.1')
    ) {
      return 'openmetrics';
    }
    if (
      r.type === 'application' &&
      r.subtype === 'vnd.google.protobuf' &&
      r.params.get('proto') === 'io.prometheus.client.MetricFamily' &&
      r.params.get('encoding') === 'delimited'
    ) {
      return 'protobuf';
    }
  }
  return 'prometheus';
}

/** Whether an Accept-Encoding header allows gzip (explicitly, or through `*`, with q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...paramParts] = part.split(';');
    const name = coding.trim().toLowerCase();
    let q = 1;
    for (const p of paramParts) {
      const [k = '', v = ''] = p.split('=');
      if (k.trim().toLowerCase() === 'q') q = parseQuality(v.trim());
    }
    if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (name === '*') any = q;
  }
  return (gzip ?? any ?? 0) > 0;
}

/** A quality value; anything unparsable counts as 0 (not acceptable), as Go's goautoneg does. */
function parseQuality(s: string): number {
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(s)) return 0;
  return Math.min(1, Number(s));
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** `*` /`*` < `type`/`*` < `type/subtype` < the same with parameters. */
function specificity(r: MediaRange): number {
  if (r.type === '*') return 0;
  if (r.subtype === '*') return 1;
  return 2 + r.params.size;
}
