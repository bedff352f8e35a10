// An mtail program for HAProxy log formats: one anchored pattern per format
// (behind the syslog prefix HAProxy or the syslog daemon puts in front), each
// variable matched as HAProxy writes it, and the metrics of the shipped
// programs/haproxy.mtail for every field the format has. Several formats (an
// HTTP and a TCP frontend logging to one file) become one if/else chain.
import { CONNECT_BUCKETS, type Layout, type MetricSpec, type Piece, reText, renderProgram, SECONDS_BUCKETS } from '../emit.js';
import type { Segment } from './format.js';

const METHODS = 'GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE';
const DATE_MS = String.raw`\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}`;
const DATE_ZONE = String.raw`\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}`;
const NAME = String.raw`[^\s\/~]+`;
const TIMER = String.raw`-?\d+`;

/**
 * The optional syslog prefix: "<PRI>" then a traditional (rfc3164) or ISO
 * timestamp, an optional host name and the tag with its pid; or an rfc5424
 * header; or nothing (`log stdout format raw`).
 */
const SYSLOG_PREFIX = String.raw`(?:(?:<\d{1,3}>)?(?:\w{3} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))(?: [\w.-]+)? [\w.\/-]+\[\d+\]: |<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ (?:-|\[(?:[^\]\\]|\\.)*\])+ )?`;

interface VarSpec {
  /** Capture names, first = the value. */
  re: (cap: (base: string) => string) => string;
  use: string;
  /** May be absent altogether (with the separator after it). */
  optional?: boolean;
  /** Key under which the capture is known to the metrics. */
  key?: string;
}

const text = (quoted: boolean) => (quoted ? String.raw`(?:[^"\\]|\\.)*` : String.raw`\S*`);

function varSpec(name: string, quoted: boolean): VarSpec {
  const plain = (key: string, re: string, use: string): VarSpec => ({ key, re: (c) => `(?P<${c(key)}>${re})`, use });
  const timer = (key: string, use: string, plus = false): VarSpec => ({ key, re: (c) => `${plus ? '\\+?' : ''}(?P<${c(key)}>${TIMER})`, use });
  switch (name) {
    case 'ci': return plain('client_ip', String.raw`[^\s"]+?`, 'client address (text)');
    case 'fi': return plain('frontend_ip', String.raw`[^\s"]+?`, 'frontend address (text)');
    case 'bi': return plain('backend_ip', String.raw`[^\s"]+?`, 'backend source address (text)');
    case 'si': return plain('server_ip', String.raw`[^\s"]+?`, 'server address (text)');
    case 'cp': return plain('client_port', String.raw`\d+|-`, 'client port (text)');
    case 'fp': return plain('frontend_port', String.raw`\d+|-`, 'frontend port (text)');
    case 'bp': return plain('backend_port', String.raw`\d+|-`, 'backend source port (text)');
    case 'sp': return plain('server_port', String.raw`\d+|-`, 'server port (text)');
    case 't': case 'tr': return plain('accept_date', DATE_MS, 'the time of the line');
    case 'T': case 'trg': case 'Tl': case 'trl': return plain('date_zone', DATE_ZONE, 'the time of the line');
    case 'Ts': return plain('unix_time', String.raw`\d+`, 'the time of the line (whole seconds)');
    case 'ms': return plain('milliseconds', String.raw`\d{3}`, 'milliseconds of the date (text)');
    case 'ft': return { key: 'frontend', re: (c) => `(?P<${c('frontend')}>${NAME})~?`, use: 'label frontend ("~" after it: TLS)' };
    case 'f': return plain('frontend', NAME, 'label frontend');
    case 'b': return plain('backend', NAME, 'label backend');
    case 's': return plain('server', NAME, 'label server ("<NOSRV>" when none was chosen)');
    case 'TR': case 'Tq': return timer('t_request', 'haproxy_http_request_header_duration_seconds');
    case 'Tw': return timer('t_queue', 'haproxy_queue_duration_seconds');
    case 'Tc': return timer('t_connect', 'haproxy_connect_duration_seconds');
    case 'Tr': return timer('t_response', 'haproxy_http_server_response_duration_seconds');
    case 'Ta': return timer('t_active', 'haproxy_http_request_duration_seconds', true);
    case 'Tt': return timer('t_total', 'session duration', true);
    case 'Th': return timer('t_handshake', 'haproxy_handshake_duration_seconds');
    case 'Ti': return timer('t_idle', 'haproxy_http_idle_duration_seconds');
    case 'Td': return timer('t_data', 'data transfer time (text)', true);
    case 'Tu': return timer('t_user', 'user-visible time (text)', true);
    case 'ST': return plain('code', String.raw`-?\d+`, 'label code');
    case 'B': return { key: 'bytes', re: (c) => `\\+?(?P<${c('bytes')}>\\d+)`, use: 'bytes sent to the client' };
    case 'U': return plain('bytes_uploaded', String.raw`\d+`, 'bytes received from the client');
    case 'CC': case 'CS': return plain(name === 'CC' ? 'request_cookie' : 'response_cookie', text(quoted), 'captured cookie (text)');
    case 'tsc': return { key: 'termination_state', re: (c) => `(?P<${c('termination_state')}>\\S\\S)\\S\\S`, use: 'label termination_state (first two characters)' };
    case 'ts': return plain('termination_state', String.raw`\S\S`, 'label termination_state');
    case 'ac': return plain('actconn', String.raw`\d+`, 'haproxy_process_connections');
    case 'fc': return plain('feconn', String.raw`\d+`, 'haproxy_frontend_connections');
    case 'bc': return plain('beconn', String.raw`\d+`, 'haproxy_backend_connections');
    case 'sc': return plain('srv_conn', String.raw`\d+`, 'haproxy_server_connections');
    case 'rc': return { key: 'retries', re: (c) => `(?P<${c('redispatched')}>\\+?)(?P<${c('retries')}>\\d+)`, use: 'haproxy_retries_total ("+": redispatched)' };
    case 'sq': return plain('srv_queue', String.raw`\d+`, 'haproxy_server_queue_length');
    case 'bq': return plain('backend_queue', String.raw`\d+`, 'haproxy_backend_queue_length');
    case 'hr': case 'hs':
      return { key: name === 'hr' ? 'request_headers' : 'response_headers', re: (c) => `(?P<${c(name === 'hr' ? 'request_headers' : 'response_headers')}>\\{[^{}]*\\})`, use: 'captured headers (text); absent without captures', optional: true };
    case 'hrl': case 'hsl':
      return { key: name, re: (c) => `(?P<${c(name === 'hrl' ? 'request_headers' : 'response_headers')}>.*?)`, use: 'captured headers (text)', optional: true };
    case 'r': {
      const t = quoted ? String.raw`(?:[^"\\]|\\.)*` : '.*?';
      return { key: 'request', re: (c) => `(?P<${c('request')}>(?:(?P<${c('method')}>${METHODS}) )?${t})`, use: 'label method (its first word)' };
    }
    case 'HM': return { key: 'method', re: (c) => `(?:(?P<${c('method')}>${METHODS})|${text(quoted)})`, use: 'label method' };
    case 'HV': return plain('http_version', text(quoted), 'HTTP version (text)');
    case 'HP': case 'HPO': case 'HQ': case 'HU': return plain(`http_${name.toLowerCase()}`, text(quoted), 'request path, query or URI (text)');
    case 'pid': return plain('pid', String.raw`\d+`, 'process id (text)');
    case 'rt': return plain('request_counter', String.raw`\d+`, 'request counter (text)');
    case 'lc': return plain('log_counter', String.raw`\d+`, 'log counter (text)');
    default: return plain(name.toLowerCase(), text(quoted), 'text, not used in a metric');
  }
}

/** What one format provides: its pieces and the capture of each key. */
interface Parsed {
  pieces: Piece[];
  caps: Map<string, string>;
  http: boolean;
  samples: string[];
}

function buildPattern(segs: Segment[]): Parsed {
  const caps = new Map<string, string>();
  const used = new Set<string>();
  const pieces: Piece[] = [];
  const samples: string[] = [];
  const cap = (base: string) => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    if (!caps.has(base)) caps.set(base, name);
    return name;
  };
  const addText = (re: string) => {
    const last = pieces[pieces.length - 1];
    if (last) last.re += re;
    else pieces.push({ re });
  };
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s.kind === 'text') addText(reText(s.text));
    else if (s.kind === 'sep') addText(' ');
    else if (s.kind === 'sample') {
      const name = cap(sampleName(s.expr));
      samples.push(s.expr);
      const re = s.quoted ? `"(?P<${name}>${text(true)})"` : `(?P<${name}>${text(false)})`;
      pieces.push({ re, comment: `%[${s.expr}]: text, not used in a metric` });
    } else {
      const spec = varSpec(s.name, s.quoted);
      let re = spec.re(cap);
      if (s.quoted) re = `"${re}"`;
      if (spec.optional) {
        // HAProxy writes nothing for headers it does not capture, and then no separator either.
        if (segs[i + 1]?.kind === 'sep') {
          re = `(?:${re} )?`;
          i++;
        } else re = `(?:${re})?`;
      }
      pieces.push({ re, comment: `%${s.name}: ${spec.use}` });
    }
  }
  const http = segs.some((s) => s.kind === 'var' && ['ST', 'r', 'HM', 'HU', 'HP', 'TR', 'Tr', 'Ta', 'Tq'].includes(s.name));
  return { pieces, caps, http, samples };
}

function sampleName(expr: string): string {
  const n = expr.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
  return /^[a-z]/.test(n) ? n : `sample_${n}`;
}

export interface HaproxyFormat {
  /** e.g. "option httplog" or `log-format "…"`. */
  title: string;
  segments: Segment[];
  /** The proxies that use it, with where they are. */
  proxies: string[];
}

interface Rule {
  spec: MetricSpec;
  /** Updated by layouts of this kind. */
  mode: 'http' | 'tcp' | 'both';
  needs: string[];
  stmt: (v: (key: string) => string, idx: (labels: string[]) => string) => string;
}

const ms = (key: string, metric: string, labels: string[]) => (v: (k: string) => string, idx: (l: string[]) => string) =>
  `${v(key)} >= 0 {\n  ${metric}${idx(labels)} = ${v(key)} / 1000.0\n}`;

const FB = ['frontend', 'backend'];
const FBS = ['frontend', 'backend', 'server'];

const RULES: Rule[] = [
  { spec: { name: 'haproxy_http_requests_total', kind: 'counter', labels: [...FBS, 'code', 'method'], help: 'HTTP requests, by status code.' }, mode: 'http', needs: [],
    stmt: (_v, idx) => `haproxy_http_requests_total${idx([...FBS, 'code', 'method'])}++` },
  { spec: { name: 'haproxy_http_response_bytes_total', kind: 'counter', labels: FBS, help: 'Bytes sent to HTTP clients (%B).' }, mode: 'http', needs: ['bytes'],
    stmt: (v, idx) => `haproxy_http_response_bytes_total${idx(FBS)} += ${v('bytes')}` },
  { spec: { name: 'haproxy_http_request_bytes_total', kind: 'counter', labels: FBS, help: 'Bytes received from HTTP clients (%U).' }, mode: 'http', needs: ['bytes_uploaded'],
    stmt: (v, idx) => `haproxy_http_request_bytes_total${idx(FBS)} += ${v('bytes_uploaded')}` },
  { spec: { name: 'haproxy_http_request_header_duration_seconds', kind: 'histogram', labels: FB, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30], help: 'Time to receive the request headers (%TR).' },
    mode: 'http', needs: ['t_request'], stmt: ms('t_request', 'haproxy_http_request_header_duration_seconds', FB) },
  { spec: { name: 'haproxy_queue_duration_seconds', kind: 'histogram', labels: FB, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30], help: 'Time spent in queues (%Tw).' },
    mode: 'both', needs: ['t_queue'], stmt: ms('t_queue', 'haproxy_queue_duration_seconds', FB) },
  { spec: { name: 'haproxy_connect_duration_seconds', kind: 'histogram', labels: FB, buckets: CONNECT_BUCKETS, help: 'Time to connect to the server (%Tc).' },
    mode: 'both', needs: ['t_connect'], stmt: ms('t_connect', 'haproxy_connect_duration_seconds', FB) },
  { spec: { name: 'haproxy_http_server_response_duration_seconds', kind: 'histogram', labels: FB, buckets: SECONDS_BUCKETS, help: 'Time for the server to send its response headers (%Tr).' },
    mode: 'http', needs: ['t_response'], stmt: ms('t_response', 'haproxy_http_server_response_duration_seconds', FB) },
  { spec: { name: 'haproxy_http_request_duration_seconds', kind: 'histogram', labels: FB, buckets: SECONDS_BUCKETS, help: 'Time from the request to the end of the response (%Ta).' },
    mode: 'http', needs: ['t_active'], stmt: ms('t_active', 'haproxy_http_request_duration_seconds', FB) },
  { spec: { name: 'haproxy_http_session_duration_seconds', kind: 'histogram', labels: FB, buckets: SECONDS_BUCKETS, help: 'Whole session time, connection accepted to closed (%Tt).' },
    mode: 'http', needs: ['t_total'], stmt: ms('t_total', 'haproxy_http_session_duration_seconds', FB) },
  { spec: { name: 'haproxy_handshake_duration_seconds', kind: 'histogram', labels: FB, buckets: CONNECT_BUCKETS, help: 'Time of the client handshake, TLS included (%Th).' },
    mode: 'both', needs: ['t_handshake'], stmt: ms('t_handshake', 'haproxy_handshake_duration_seconds', FB) },
  { spec: { name: 'haproxy_http_idle_duration_seconds', kind: 'histogram', labels: FB, buckets: SECONDS_BUCKETS, help: 'Idle time before the request (%Ti).' },
    mode: 'http', needs: ['t_idle'], stmt: ms('t_idle', 'haproxy_http_idle_duration_seconds', FB) },
  { spec: { name: 'haproxy_tcp_connections_total', kind: 'counter', labels: FBS, help: 'TCP connections.' }, mode: 'tcp', needs: [],
    stmt: (_v, idx) => `haproxy_tcp_connections_total${idx(FBS)}++` },
  { spec: { name: 'haproxy_tcp_response_bytes_total', kind: 'counter', labels: FBS, help: 'Bytes sent to TCP clients (%B).' }, mode: 'tcp', needs: ['bytes'],
    stmt: (v, idx) => `haproxy_tcp_response_bytes_total${idx(FBS)} += ${v('bytes')}` },
  { spec: { name: 'haproxy_tcp_session_duration_seconds', kind: 'histogram', labels: FB, buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600], help: 'TCP session time (%Tt).' },
    mode: 'tcp', needs: ['t_total'], stmt: ms('t_total', 'haproxy_tcp_session_duration_seconds', FB) },
  { spec: { name: 'haproxy_session_terminations_total', kind: 'counter', labels: [...FB, 'termination_state'], help: 'Sessions by the first two characters of their termination state ("--" normal).' },
    mode: 'both', needs: ['termination_state'], stmt: (_v, idx) => `haproxy_session_terminations_total${idx([...FB, 'termination_state'])}++` },
  { spec: { name: 'haproxy_retries_total', kind: 'counter', labels: FBS, help: 'Connection retries (%rc).' }, mode: 'both', needs: ['retries'],
    stmt: (v, idx) => `haproxy_retries_total${idx(FBS)} += ${v('retries')}` },
  { spec: { name: 'haproxy_redispatches_total', kind: 'counter', labels: FB, help: 'Retries sent to another server ("+" before %rc).' }, mode: 'both', needs: ['redispatched'],
    stmt: (v, idx) => `${v('redispatched')} == "+" {\n  haproxy_redispatches_total${idx(FB)}++\n}` },
  { spec: { name: 'haproxy_process_connections', kind: 'gauge', labels: [], help: 'Connections of the process when the request ended (%ac).' }, mode: 'both', needs: ['actconn'],
    stmt: (v) => `haproxy_process_connections = ${v('actconn')}` },
  { spec: { name: 'haproxy_frontend_connections', kind: 'gauge', labels: ['frontend'], help: 'Connections of the frontend (%fc).' }, mode: 'both', needs: ['feconn'],
    stmt: (v, idx) => `haproxy_frontend_connections${idx(['frontend'])} = ${v('feconn')}` },
  { spec: { name: 'haproxy_backend_connections', kind: 'gauge', labels: ['backend'], help: 'Connections of the backend (%bc).' }, mode: 'both', needs: ['beconn'],
    stmt: (v, idx) => `haproxy_backend_connections${idx(['backend'])} = ${v('beconn')}` },
  { spec: { name: 'haproxy_server_connections', kind: 'gauge', labels: ['backend', 'server'], help: 'Connections of the server (%sc).' }, mode: 'both', needs: ['srv_conn'],
    stmt: (v, idx) => `haproxy_server_connections${idx(['backend', 'server'])} = ${v('srv_conn')}` },
  { spec: { name: 'haproxy_server_queue_length', kind: 'gauge', labels: ['backend', 'server'], help: 'Requests queued for the server (%sq).' }, mode: 'both', needs: ['srv_queue'],
    stmt: (v, idx) => `haproxy_server_queue_length${idx(['backend', 'server'])} = ${v('srv_queue')}` },
  { spec: { name: 'haproxy_backend_queue_length', kind: 'gauge', labels: ['backend'], help: 'Requests queued for the backend (%bq).' }, mode: 'both', needs: ['backend_queue'],
    stmt: (v, idx) => `haproxy_backend_queue_length${idx(['backend'])} = ${v('backend_queue')}` },
];

/** The program for one or more formats. */
export function haproxyProgram(formats: HaproxyFormat[], origin: string): string {
  const parsed = formats.map((f) => buildPattern(f.segments));
  // A metric is declared when some layout updates it; its labels are those some updating layout has.
  const applies = (r: Rule, p: Parsed) => (r.mode === 'both' || (r.mode === 'http') === p.http) && r.needs.every((k) => p.caps.has(k));
  const labelOf = (label: string, p: Parsed): string | undefined => (p.caps.has(label) ? `$${p.caps.get(label)}` : undefined);
  const metrics: MetricSpec[] = [];
  const declared = new Map<string, string[]>();
  for (const r of RULES) {
    const users = parsed.filter((p) => applies(r, p));
    if (users.length === 0) continue;
    const labels = r.spec.labels.filter((l) => users.some((p) => labelOf(l, p) !== undefined));
    declared.set(r.spec.name, labels);
    metrics.push({ ...r.spec, labels });
  }
  const layouts: Layout[] = formats.map((f, i) => {
    const p = parsed[i]!;
    const body: string[] = [];
    const v = (key: string) => `$${p.caps.get(key)}`;
    if (p.caps.has('accept_date')) body.push(`strptime(${v('accept_date')}, "02/Jan/2006:15:04:05.000")`);
    else if (p.caps.has('date_zone')) body.push(`strptime(${v('date_zone')}, "02/Jan/2006:15:04:05 -0700")`);
    else if (p.caps.has('unix_time')) body.push(`settime(${v('unix_time')})`);
    for (const r of RULES) {
      if (!applies(r, p)) continue;
      const labels = declared.get(r.spec.name)!;
      const idx = (wanted: string[]) => wanted.filter((l) => labels.includes(l)).map((l) => `[${labelOf(l, p) ?? '""'}]`).join('');
      body.push(r.stmt(v, idx));
    }
    const constName = formats.length === 1 ? 'LINE' : `LINE_${i + 1}`;
    const title = [`${f.title}${f.proxies.length ? ` (${f.proxies.join(', ')})` : ''}:`, `  ${formatText(f.segments)}`];
    if (p.samples.length) title.push(`Sample expressions are matched as text: ${p.samples.map((s) => `%[${s}]`).join(' ')}.`);
    return { constName, title, pieces: p.pieces, body };
  });
  const header = [
    `Generated by \`logmetrics generate haproxy\` from ${origin}.`,
    '',
    'Each HAProxy log line is counted in haproxy_http_requests_total (HTTP formats)',
    'or haproxy_tcp_connections_total (TCP formats); other lines (start-up and',
    'health-check messages) only in haproxy_log_lines_unparsed_total. Metric names',
    'and labels are those of the shipped programs/haproxy.mtail, so its dashboard',
    'and rules apply. Timers are logged in milliseconds and exported in seconds;',
    'a timer of -1 (step never reached) is not observed. Dates without a zone',
    '(%t, %tr) are read as UTC: run HAProxy with TZ=UTC.',
  ];
  const envelope = { constName: 'SYSLOG', title: ['The syslog prefix, if any: "<PRI>", a traditional or ISO timestamp, a host name and', 'the tag with its pid; or an rfc5424 header; or nothing (log stdout format raw).'], pieces: [{ re: SYSLOG_PREFIX }] };
  return renderProgram({ header, metrics, layouts, unparsed: 'haproxy_log_lines_unparsed_total', envelope });
}

/** The format string again, from its segments. */
export function formatText(segs: Segment[]): string {
  return segs
    .map((s) => {
      if (s.kind === 'text') return s.text.replace(/%/g, '%%');
      if (s.kind === 'sep') return ' ';
      const q = s.quoted ? '%{+Q}' : '%';
      return s.kind === 'sample' ? `${q}[${s.expr}]` : `${q}${s.name}`;
    })
    .join('');
}
