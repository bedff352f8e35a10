import path from 'node:path';
import { compileGlob, matchGlob, type Glob } from './glob.js';

/** What one --logs pattern asks for. */
export type SourceSpec =
  | { kind: 'files'; glob: Glob }
  | { kind: 'stdin'; name: string }
  | { kind: 'unix'; path: string; name: string }
  | { kind: 'tcp'; host: string; port: number; name: string }
  | { kind: 'udp'; host: string; port: number; name: string };

/** A pattern that cannot be followed; the message says what to use instead. */
export class SourcePatternError extends Error {
  constructor(
    readonly pattern: string,
    message: string,
  ) {
    super(`${JSON.stringify(pattern)}: ${message}`);
    this.name = 'SourcePatternError';
  }
}

/**
 * Parses a pattern as mtail does: `-` is stdin, `unix://PATH` a unix stream socket,
 * `tcp://HOST:PORT` and `udp://HOST:PORT` listening sockets, `file://PATH` or anything else a
 * path or glob. The name is what lines from the source carry as their filename (mtail uses the
 * socket path, "host:port" for IP sockets, and the absolute path for files).
 */
export function parseSourcePattern(pattern: string, cwd: string = process.cwd()): SourceSpec {
  if (pattern === '-') return { kind: 'stdin', name: '-' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(pattern)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? pattern : pattern.slice(scheme.length + 3);
  switch (scheme) {
    case undefined:
    case 'file':
      if (rest === '') throw new SourcePatternError(pattern, 'empty path');
      return { kind: 'files', glob: compileGlob(rest, cwd) };
    case 'unix': {
      if (rest === '') throw new SourcePatternError(pattern, 'empty socket path: write unix:///path/to/socket');
      const p = path.resolve(cwd, rest);
      return { kind: 'unix', path: p, name: p };
    }
    case 'unixgram':
      throw new SourcePatternError(
        pattern,
        'unix datagram sockets are not available in Node.js without a native module. ' +
          'Send syslog to udp://127.0.0.1:PORT instead, or to a unix stream socket (unix:///path, ' +
          'newline-separated lines; HAProxy 2.6 does this with `log ring@NAME` and a `ring NAME` ' +
          'section holding `server s unix@/path`).',
      );
    case 'tcp':
    case 'udp': {
      const { host, port } = parseHostPort(pattern, rest);
      return { kind: scheme, host, port, name: rest.replace(/\/+$/, '') };
    }
    default:
      throw new SourcePatternError(pattern, `unsupported scheme "${scheme}://" (use a path, -, unix://, tcp:// or udp://)`);
  }
}

function parseHostPort(pattern: string, hostport: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:/[\]]*)):(\d+)\/?$/.exec(hostport);
  if (!m) throw new SourcePatternError(pattern, 'expected HOST:PORT, e.g. udp://127.0.0.1:514');
  const port = Number(m[3]);
  if (port > 65535) throw new SourcePatternError(pattern, `port ${port} out of range`);
  return { host: m[1] ?? m[2], port };
}

/**
 * Whether a line's source name (the filename a source hands to processLine) comes from one of
 * `patterns`: a file or FIFO when some glob matches its path, a socket or stdin by its name.
 * Throws SourcePatternError on a pattern that cannot be followed.
 */
export function sourceMatcher(patterns: readonly string[], cwd: string = process.cwd()): (name: string) => boolean {
  const specs = patterns.map((p) => parseSourcePattern(p, cwd));
  const globs = specs.flatMap((s) => (s.kind === 'files' ? [s.glob] : []));
  const names = new Set(specs.flatMap((s) => (s.kind === 'files' ? [] : [s.name])));
  return (name) => names.has(name) || (globs.length > 0 && globs.some((g) => matchGlob(g, path.resolve(cwd, name))));
}
