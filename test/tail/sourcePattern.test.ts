import t from 'tap';
import { parseSourcePattern, SourcePatternError, type SourceSpec } from '../../src/tail/sourcePattern.js';

/** The spec without the compiled glob, which has its own tests. */
function summary(s: SourceSpec): Record<string, unknown> {
  return s.kind === 'files' ? { kind: 'files', pattern: s.glob.pattern } : { ...s };
}

// Names follow what mtail 3.0.0~rc50 puts in getfilename(): verified by running it with
// --logs unix:///..., udp://127.0.0.1:PORT and a relative path.
const good: { name: string; pattern: string; want: Record<string, unknown> }[] = [
  { name: 'stdin', pattern: '-', want: { kind: 'stdin', name: '-' } },
  { name: 'absolute path', pattern: '/var/log/syslog', want: { kind: 'files', pattern: '/var/log/syslog' } },
  { name: 'relative path becomes absolute', pattern: 'logs/*.log', want: { kind: 'files', pattern: '/home/u/logs/*.log' } },
  { name: 'file URL', pattern: 'file:///var/log/x.log', want: { kind: 'files', pattern: '/var/log/x.log' } },
  {
    name: 'unix stream socket',
    pattern: 'unix:///run/haproxy-log.sock',
    want: { kind: 'unix', path: '/run/haproxy-log.sock', name: '/run/haproxy-log.sock' },
  },
  {
    name: 'udp',
    pattern: 'udp://127.0.0.1:5514',
    want: { kind: 'udp', host: '127.0.0.1', port: 5514, name: '127.0.0.1:5514' },
  },
  { name: 'udp on all interfaces', pattern: 'udp://:514', want: { kind: 'udp', host: '', port: 514, name: ':514' } },
  { name: 'udp IPv6', pattern: 'udp://[::1]:514', want: { kind: 'udp', host: '::1', port: 514, name: '[::1]:514' } },
  { name: 'tcp', pattern: 'tcp://127.0.0.1:6514', want: { kind: 'tcp', host: '127.0.0.1', port: 6514, name: '127.0.0.1:6514' } },
];

for (const c of good) {
  t.test(c.name, async (t) => {
    t.same(summary(parseSourcePattern(c.pattern, '/home/u')), c.want);
  });
}

const bad: { name: string; pattern: string; message: RegExp }[] = [
  { name: 'unix datagram is refused with the alternatives', pattern: 'unixgram:///dev/log', message: /udp:\/\/127\.0\.0\.1.*unix:\/\//s },
  { name: 'udp without a port', pattern: 'udp://127.0.0.1', message: /HOST:PORT/ },
  { name: 'port out of range', pattern: 'udp://127.0.0.1:70000', message: /out of range/ },
  { name: 'unknown scheme', pattern: 'kafka://broker:9092/topic', message: /unsupported scheme/ },
  { name: 'empty unix path', pattern: 'unix://', message: /empty socket path/ },
];

for (const c of bad) {
  t.test(c.name, async (t) => {
    t.throws(() => parseSourcePattern(c.pattern, '/home/u'), SourcePatternError);
    t.throws(() => parseSourcePattern(c.pattern, '/home/u'), { message: c.message });
  });
}
