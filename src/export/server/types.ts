// What the daemon hands the HTTP server: the store, a view of its programs and
// sources for the status page, and its own metrics. Nothing about the language.

import type { Logger } from '../../log/index.js';
import type { Store } from '../../metrics/index.js';

/** One loaded (or failed) program, as the status page shows it. */
export interface ProgramStatus {
  name: string;
  file: string;
  state: 'loaded' | 'failed';
  /** Unix ms of the last (re)load. */
  loadedAt?: number;
  /** Formatted diagnostics, including the code frame with ^ carets. */
  error?: string;
  lines: number;
  runtimeErrors: number;
  /** Its counts per log it has seen lines of (absent or empty: none yet). */
  logs?: ProgramLogStatus[];
}

/** One program's counts for one log, as the status page shows them. */
export interface ProgramLogStatus {
  log: string;
  lines: number;
  /** Lines on which a top-level pattern block ran; undefined for a program without one. */
  matched: number | undefined;
  runtimeErrors: number;
  /** Unix ms of the last line. */
  lastLineAt: number;
  /** Set while the program is said to not match the log: the warning it got. */
  notMatching?: { at: number; message: string; sample: string };
}

/** One followed log source, as the status page shows it. */
export interface SourceStatus {
  name: string;
  kind: string;
  lines: number;
  bytes: number;
  rotations: number;
  truncations: number;
  errors: number;
  longLinesCut: number;
  /** Unix ms of the last read that returned bytes; 0 or absent before the first. */
  lastReadAt?: number;
}

/** Callbacks the status page reads on every request. */
export interface StatusSource {
  version: string;
  /** Unix ms when the daemon started. */
  startedAt: number;
  programs(): ProgramStatus[];
  sources(): SourceStatus[];
}

/** Everything the exporter server needs. */
export interface ServerOptions {
  /** Address to bind; '' = all interfaces. */
  address: string;
  /** Port to bind; 0 = an ephemeral port (see listen()'s result). */
  port: number;
  /** A unix socket path to listen on instead of address and port (mtail's -unix_socket). */
  unixSocket?: string;
  store: Store;
  status: StatusSource;
  /** Put the `prog` label on every sample (mtail's default). */
  progLabel: boolean;
  /** Append each datum's time to its samples (--emit-metric-timestamp). */
  emitTimestamps: boolean;
  /** A Prometheus exporter-toolkit web config file (TLS, basic auth, headers). */
  webConfigFile?: string;
  /** The daemon's own `logmetrics_*` and `process_*` metrics, in a store of their own; asked for at the end of each scrape. */
  selfMetrics?: () => Store;
  logger?: Logger;
  /** Most connections open at once (--max-connections; default DEFAULT_MAX_CONNECTIONS); more are refused. */
  maxConnections?: number;
  /** How long close() waits for in-flight responses before cutting connections (default 10 s). */
  closeTimeoutMs?: number;
}
