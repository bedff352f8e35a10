/**
 * The sources stage of the pipeline: where lines come from. It knows nothing of the mtail
 * language; every line goes to one LineProcessor with the name of its source.
 *
 * Decisions worth knowing (tests in test/tail/ pin each one):
 * - Names: files by absolute path, unix sockets by their path, IP sockets by "host:port",
 *   stdin by "-" (what mtail's getfilename() returns).
 * - Start-up: files found at start() are read from the start of their last unfinished line
 *   (so a line being written is read whole), or from the start with fromStart; files that
 *   appear later are read from their start.
 * - Watching: one inotify watch per directory a glob looks into (dirWatcher.ts), not per
 *   file; every followed path is also stat'ed (synchronously: one syscall) each poll, for file
 *   systems without events. An idle file costs that stat and nothing else.
 * - Rotation: a path is stat'ed every poll (and on inotify events); when it names another
 *   inode, the old descriptor stays open and is read until it has not grown for
 *   rotationGraceMs (writes between rename and reopen are kept). A file is read through one
 *   descriptor only, so a glob that also matches the rotated name does not read lines twice.
 *   A file that shrinks, or whose first KiB changes (copytruncate that regrew before we
 *   looked), is read again from its start.
 * - State (stateDir): positions are saved every few seconds and at stop(), atomically. After a
 *   restart a file resumes at its offset when inode and first bytes match; a different file
 *   at a saved path is read from its start; a file with no saved position follows the
 *   start-up rule. A saved file renamed within its directory while we were down is found by
 *   inode and read to its end.
 * - Lines: '\n' ends a line, one '\r' before it is dropped (mtail rc50 drops every '\r'),
 *   invalid UTF-8 becomes U+FFFD, lines over maxLineBytes are cut and counted.
 * - Sockets: text is passed on untouched, syslog "<PRI>" header included, as mtail does.
 *   unix:// is a stream socket (as in mtail); each UDP datagram is a message of its own (mtail
 *   glues a datagram without a final newline to the next one). A UDP socket asks for an 8 MiB
 *   receive buffer (the kernel caps it at net.core.rmem_max, which is logged); what the kernel
 *   drops when it is full is read from /proc/net/udp{,6} into kernelDrops. unixgram:// is refused: Node
 *   has no unix datagram sockets without a native module.
 * - Errors: I/O errors are counted per source and logged once per episode; nothing throws
 *   after start() except a pattern that cannot be followed or a socket that cannot be bound.
 */
export type { LineProcessor } from './processor.js';
export type { SourceKind, SourceStats, TailStats, ReadStats } from './stats.js';
export { DEFAULT_MAX_LINE_BYTES, LineSplitter, type LineSplitterOptions } from './lineSplitter.js';
export { readToEnd, type ReadToEndOptions } from './readToEnd.js';
export { Tailer, type TailerOptions } from './tailer.js';
export { DEFAULT_UDP_RECEIVE_BUFFER_BYTES } from './udpDrops.js';
export { compileGlob, expandGlob, matchGlob, hasGlobSyntax, type Glob, type GlobMatch } from './glob.js';
export { parseSourcePattern, sourceMatcher, SourcePatternError, type SourceSpec } from './sourcePattern.js';
