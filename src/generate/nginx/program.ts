// An mtail program for one nginx log format. Each variable becomes a piece of
// one anchored pattern that matches exactly what nginx writes for it:
// numbers and times it formats itself, lists of upstream values ("a, b : c"),
// and any other variable as escaped text — in the default escape mode nginx
// writes `"`, `\`, control and non-ASCII bytes as \xHH, so a value never holds
// a bare quote; with escape=json it writes \" \\ \n \uHHHH; with escape=none
// nothing is escaped. Metric names and labels are those of
// programs/nginx.mtail, so its dashboard and rules apply.
import { BYTES_BUCKETS, CONNECT_BUCKETS, type Layout, type MetricSpec, type Piece, reText, renderProgram, SECONDS_BUCKETS } from '../emit.js';
import type { Escape, NginxFormat, Segment } from './format.js';

const METHODS = 'GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE';
const TIME_LIST = String.raw`(?:\d+\.\d{3}|-)(?:(?:, | : )(?:\d+\.\d{3}|-))*`;
const STATUS_LIST = String.raw`(?:\d{3}|-)(?:(?:, | : )(?:\d{3}|-))*`;

/** Variables nginx always writes in one shape, whatever the escape mode. */
const EXACT: Record<string, string> = {
  body_bytes_sent: String.raw`\d+`,
  bytes_sent: String.raw`\d+`,
  request_length: String.raw`\d+`,
  request_time: String.raw`\d+\.\d{3}`,
  connection: String.raw`\d+`,
  connection_requests: String.raw`\d+`,
  pid: String.raw`\d+`,
  pipe: String.raw`[p.]`,
  request_id: String.raw`[0-9a-f]{32}`,
  time_local: String.raw`\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}`,
  time_iso8601: String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d`,
};

/** Upstream variables: a list, one entry per server tried; "-" (or nothing with escape=json) without an upstream. */
const LISTS: Record<string, string> = {
  upstream_connect_time: TIME_LIST,
  upstream_header_time: TIME_LIST,
  upstream_response_time: TIME_LIST,
  upstream_status: STATUS_LIST,
};

/**
 * Values without blanks: addresses, ports, names nginx checked, protocol
 * names. Matching them tightly keeps an unquoted format unambiguous.
 */
const NO_BLANK = new Set([
  'remote_addr', 'realip_remote_addr', 'server_addr', 'remote_port', 'server_port', 'realip_remote_port', 'host', 'server_name',
  'scheme', 'server_protocol', 'ssl_protocol', 'ssl_cipher', 'ssl_session_reused', 'ssl_server_name', 'hostname', 'proxy_protocol_addr',
  'upstream_cache_status', 'https', 'request_completion', 'gzip_ratio', 'binary_remote_addr',
]);

/** $upstream_addr: addresses (or an upstream group name), listed like the other upstream variables. */
const ADDRESS_LIST = String.raw`[^\s,"]+(?:(?:, | : )[^\s,"]+)*`;

/** Variables that feed metrics, with what they feed (for the comments). */
const USES: Record<string, string> = {
  host: 'label host',
  request: 'label method (its first word)',
  request_method: 'label method',
  status: 'labels code and status_class',
  body_bytes_sent: 'nginx_http_response_body_bytes_total',
  bytes_sent: 'nginx_http_response_bytes_total, nginx_http_response_size_bytes',
  request_length: 'nginx_http_request_bytes_total, nginx_http_request_size_bytes',
  request_time: 'nginx_http_request_duration_seconds',
  upstream_connect_time: 'nginx_http_upstream_connect_duration_seconds (last entry)',
  upstream_header_time: 'nginx_http_upstream_header_duration_seconds (last entry)',
  upstream_response_time: 'nginx_http_upstream_response_duration_seconds (last entry)',
  upstream_status: 'nginx_http_upstream_errors_total, nginx_http_upstream_retried_requests_total',
  time_local: 'the time of the line',
  time_iso8601: 'the time of the line',
  msec: 'the time of the line (whole seconds)',
};

/** Text of any shape, as nginx escapes it; lazy unless what follows cannot be part of it. */
function textPattern(escape: Escape, next: string | undefined): string {
  const greedy = next === undefined || (escape !== 'none' && next.startsWith('"'));
  const q = greedy ? '*' : '*?';
  if (escape === 'default') return String.raw`(?:[^"\\]|\\x[0-9A-F]{2})${q}`;
  if (escape === 'json') return String.raw`(?:[^"\\]|\\.)${q}`;
  return `.${q}`;
}

interface Fields {
  /** Capture name of each variable that feeds a metric (the first occurrence). */
  caps: Map<string, string>;
  pieces: Piece[];
  unknown: string[];
}

function buildPattern(format: NginxFormat): Fields {
  const caps = new Map<string, string>();
  const usedNames = new Set<string>();
  const pieces: Piece[] = [];
  const unknown: string[] = [];
  const segs = format.segments;
  const hasRequestMethod = segs.some((s) => s.kind === 'var' && s.name === 'request_method');
  const capName = (base: string): string => {
    let name = base;
    for (let n = 2; usedNames.has(name); n++) name = `${base}_${n}`;
    usedNames.add(name);
    return name;
  };
  segs.forEach((s, i) => {
    if (s.kind === 'text') {
      pieces.push({ re: reText(s.text) });
      return;
    }
    const next = nextText(segs, i);
    const first = !caps.has(s.name);
    const name = capName(s.name);
    if (first) caps.set(s.name, name);
    const optional = format.escape === 'json' ? '?' : '';
    let re: string;
    if (s.name === 'status') {
      const cls = first ? capName('status_class') : undefined;
      if (cls) caps.set('status_class', cls);
      re = cls ? `(?P<${name}>(?P<${cls}>\\d)\\d\\d)` : `(?P<${name}>\\d{3})`;
    } else if (s.name === 'msec') {
      const secs = first ? capName('msec_seconds') : undefined;
      if (secs) caps.set('msec_seconds', secs);
      re = secs ? `(?P<${name}>(?P<${secs}>\\d+)\\.\\d{3})` : `(?P<${name}>\\d+\\.\\d{3})`;
    } else if (EXACT[s.name]) {
      re = `(?P<${name}>${EXACT[s.name]})`;
    } else if (LISTS[s.name]) {
      re = `(?P<${name}>(?:${LISTS[s.name]})${optional})`;
    } else if (s.name === 'upstream_addr') {
      re = `(?P<${name}>(?:${ADDRESS_LIST})${optional})`;
    } else if (NO_BLANK.has(s.name)) {
      re = `(?P<${name}>[^\\s"]*)`;
    } else if ((s.name === 'request' && !hasRequestMethod) || s.name === 'request_method') {
      const text = textPattern(format.escape, next);
      const method = first ? capName('method') : undefined;
      if (method) caps.set('method', method);
      if (!method) re = `(?P<${name}>${text})`;
      else if (s.name === 'request') re = `(?P<${name}>(?:(?P<${method}>${METHODS}) )?${text})`;
      else re = `(?P<${name}>(?P<${method}>${METHODS})|${text})`;
    } else {
      re = `(?P<${name}>${textPattern(format.escape, next)})`;
      if (!USES[s.name] && !unknown.includes(s.name)) unknown.push(s.name);
    }
    const use = first && USES[s.name] ? USES[s.name] : first ? 'text, not used in a metric' : 'again';
    pieces.push({ re, comment: `$${s.name}: ${use}` });
  });
  return { caps, pieces: mergeText(pieces), unknown };
}

/** The literal text right after segment i, if the next segment is text. */
function nextText(segs: Segment[], i: number): string | undefined {
  const n = segs[i + 1];
  if (n === undefined) return undefined;
  return n.kind === 'text' ? n.text : '';
}

/** Text pieces join the variable piece before them, so each line reads "field + separator". */
function mergeText(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (!p.comment && last) last.re += p.re;
    else out.push({ ...p });
  }
  return out;
}

const LABELS = ['host', 'method', 'status_class', 'code'];

/** The mtail program for one format. */
export function nginxProgram(format: NginxFormat, origin: string): string {
  const f = buildPattern(format);
  const cap = (v: string) => (f.caps.has(v) ? `$${f.caps.get(v)}` : undefined);
  const has = (v: string) => f.caps.has(v);
  const labelExpr: Record<string, string | undefined> = {
    host: cap('host'),
    method: cap('method'),
    status_class: has('status_class') ? `$${f.caps.get('status_class')} + "xx"` : undefined,
    code: cap('status'),
  };
  const reqLabels = LABELS.filter((l) => labelExpr[l] !== undefined);
  const hostLabel = labelExpr.host ? ['host'] : [];
  const durLabels = [...hostLabel, ...(labelExpr.status_class ? ['status_class'] : [])];
  const idx = (labels: string[]) => labels.map((l) => `[${labelExpr[l]}]`).join('');

  const metrics: MetricSpec[] = [];
  const body: string[] = [];
  const metric = (m: MetricSpec, ...statements: string[]) => {
    metrics.push(m);
    body.push(...statements);
  };

  if (has('time_local')) body.push(`strptime(${cap('time_local')}, "02/Jan/2006:15:04:05 -0700")`);
  else if (has('time_iso8601')) body.push(`strptime(${cap('time_iso8601')}, "2006-01-02T15:04:05-07:00")`);
  else if (has('msec_seconds')) body.push(`settime(${cap('msec_seconds')})`);

  metric({ name: 'nginx_http_requests_total', kind: 'counter', labels: reqLabels, help: 'Requests, by status code.' }, `nginx_http_requests_total${idx(reqLabels)}++`);
  if (has('body_bytes_sent')) {
    metric({ name: 'nginx_http_response_body_bytes_total', kind: 'counter', labels: reqLabels, help: 'Bytes of response bodies sent ($body_bytes_sent).' },
      `nginx_http_response_body_bytes_total${idx(reqLabels)} += ${cap('body_bytes_sent')}`);
  }
  if (has('bytes_sent')) {
    metric({ name: 'nginx_http_response_bytes_total', kind: 'counter', labels: reqLabels, help: 'Bytes sent to clients, headers included ($bytes_sent).' },
      `nginx_http_response_bytes_total${idx(reqLabels)} += ${cap('bytes_sent')}`);
    metric({ name: 'nginx_http_response_size_bytes', kind: 'histogram', labels: hostLabel, buckets: BYTES_BUCKETS, help: 'Size of responses, headers included ($bytes_sent).' },
      `nginx_http_response_size_bytes${idx(hostLabel)} = ${cap('bytes_sent')}`);
  }
  if (has('request_length')) {
    metric({ name: 'nginx_http_request_bytes_total', kind: 'counter', labels: reqLabels, help: 'Bytes of requests received, line and headers included ($request_length).' },
      `nginx_http_request_bytes_total${idx(reqLabels)} += ${cap('request_length')}`);
    metric({ name: 'nginx_http_request_size_bytes', kind: 'histogram', labels: hostLabel, buckets: BYTES_BUCKETS, help: 'Size of requests, line and headers included ($request_length).' },
      `nginx_http_request_size_bytes${idx(hostLabel)} = ${cap('request_length')}`);
  }
  if (has('request_time')) {
    metric({ name: 'nginx_http_request_duration_seconds', kind: 'histogram', labels: durLabels, buckets: SECONDS_BUCKETS, help: 'Time from the first byte of a request to the last byte of its response ($request_time).' },
      `nginx_http_request_duration_seconds${idx(durLabels)} = ${cap('request_time')}`);
  }
  const lastOf = (list: string, metricName: string, buckets: number[], help: string) => {
    if (!has(list)) return;
    const last = `${f.caps.get(list)}_last`;
    metric({ name: metricName, kind: 'histogram', labels: hostLabel, buckets, help },
      `# The last entry of $${list}: the attempt whose response the client got ("-" is not observed).\n${cap(list)} =~ /(?:^|[,:] )(?P<${last}>\\d+\\.\\d+)$/ {\n  ${metricName}${idx(hostLabel)} = $${last}\n}`);
  };
  lastOf('upstream_connect_time', 'nginx_http_upstream_connect_duration_seconds', CONNECT_BUCKETS, 'Time to connect to the upstream server of the last attempt ($upstream_connect_time).');
  lastOf('upstream_header_time', 'nginx_http_upstream_header_duration_seconds', SECONDS_BUCKETS, 'Time until the response header of the last upstream attempt ($upstream_header_time).');
  lastOf('upstream_response_time', 'nginx_http_upstream_response_duration_seconds', SECONDS_BUCKETS, 'Time until the whole response of the last upstream attempt ($upstream_response_time).');
  if (has('upstream_status')) {
    const last = `${f.caps.get('upstream_status')}_last`;
    metric({ name: 'nginx_http_upstream_errors_total', kind: 'counter', labels: [...hostLabel, 'upstream_status'], help: 'Requests whose last upstream attempt answered 5xx ($upstream_status).' },
      `${cap('upstream_status')} =~ /(?:^|[,:] )(?P<${last}>5\\d\\d)$/ {\n  nginx_http_upstream_errors_total${idx(hostLabel)}[$${last}]++\n}`);
    metric({ name: 'nginx_http_upstream_retried_requests_total', kind: 'counter', labels: hostLabel, help: 'Requests passed to more than one upstream server ($upstream_status lists several).' },
      `${cap('upstream_status')} =~ /, / {\n  nginx_http_upstream_retried_requests_total${idx(hostLabel)}++\n}`);
  }

  const header = [
    `Generated by \`logmetrics generate nginx\` from ${origin}:`,
    '',
    ...format.source.split('\n').map((l) => `  ${l}`),
    '',
    'Every line written in this format is counted in nginx_http_requests_total;',
    'other lines only in nginx_log_lines_unparsed_total. Metric names and labels',
    'are those of the shipped programs/nginx.mtail, so its dashboard and rules apply.',
    ...(labelExpr.host ? ['$host comes from the request: make the default server reject unknown names', '(server_name _; return 444;) or unbounded label values can be created.'] : []),
    ...(format.escape === 'json' ? ['escape=json: each value is matched as nginx escapes it (\\" \\\\ \\n \\u00XX).'] : []),
    ...(f.unknown.length
      ? ['', `Matched as text but not used in a metric: ${f.unknown.map((v) => `$${v}`).join(' ')}.`, 'Use the capture of the same name in the block below to add your own metrics.']
      : []),
  ];
  const layout: Layout = { constName: 'LINE', title: [`The format "${format.name}", one piece per variable.`], pieces: f.pieces, body };
  return renderProgram({ header, metrics, layouts: [layout], unparsed: 'nginx_log_lines_unparsed_total' });
}
