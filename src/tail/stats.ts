/** What kind of thing a source reads from. */
export type SourceKind = 'file' | 'fifo' | 'stdin' | 'unix' | 'tcp' | 'udp';

/** Counters for one source (a followed path, a FIFO, stdin or a listening socket). */
export interface SourceStats {
  kind: SourceKind;
  /** Lines handed to the processor. */
  lines: number;
  /** Bytes read. */
  bytes: number;
  /** Times the path started naming a different file (rename, delete-and-recreate, symlink switch). */
  rotations: number;
  /** Times the file shrank or its first bytes changed under us (copytruncate): reading restarted at 0. */
  truncations: number;
  /** Lines longer than maxLineBytes that were cut. */
  longLinesCut: number;
  /** I/O error episodes (a repeat of the same error on the same source counts once until it clears). */
  errors: number;
  /** Whether the source currently holds an open descriptor or socket. */
  open: boolean;
  /** UDP: datagrams the kernel dropped for the socket (receive buffer full); absent where the kernel does not say (not Linux). */
  kernelDrops?: number;
  /** UDP: the receive buffer the kernel granted, in bytes. */
  receiveBufferBytes?: number;
  /** Unix ms of the last read that returned bytes; 0 before the first. */
  lastReadAt: number;
}

/** A snapshot of the Tailer's counters, for self-metrics and a status page. */
export interface TailStats {
  /** Keyed by the name lines carry: absolute path, socket path, "host:port", or "-". */
  sources: Record<string, SourceStats>;
  /** Errors not tied to one source (glob expansion, the file-event watcher, the state file). */
  errors: number;
  /** Failed writes of the read positions to the state directory (part of `errors`). */
  stateSaveFailures: number;
}

/** Counters of one readToEnd call. */
export interface ReadStats {
  lines: number;
  bytes: number;
  longLinesCut: number;
  errors: number;
}

/** Fresh zeroed counters for a source. */
export function newSourceStats(kind: SourceKind): SourceStats {
  return { kind, lines: 0, bytes: 0, rotations: 0, truncations: 0, longLinesCut: 0, errors: 0, open: false, lastReadAt: 0 };
}
