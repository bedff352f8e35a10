// The kernel's count of datagrams it dropped for one of our UDP sockets (receive buffer full),
// read from /proc/net/udp{,6}: Linux keeps it per socket (sk_drops) and nothing else reports it.
// Elsewhere, or when /proc is not mounted, there is no figure (undefined), never a made-up 0.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Default receive buffer of a UDP source: a burst of 100k syslog datagrams overflowed the kernel's default 208 KiB. */
export const DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

/** Where one socket's row is found again: the table and the socket's inode. */
export interface UdpSocketRow {
  table: '/proc/net/udp' | '/proc/net/udp6';
  inode: string;
}

/** Columns of /proc/net/udp{,6} (after splitting on blanks): local_address, inode, drops. */
const LOCAL = 1;
const INODE = 9;
const DROPS = 12;

/**
 * Finds the row of our socket bound to `port`: among the rows with that local port, the one
 * whose inode is a socket this process holds (another process may use the port on another
 * address). Undefined when /proc has no such row (not Linux).
 */
export function findUdpSocketRow(port: number, family: 'udp4' | 'udp6'): UdpSocketRow | undefined {
  const table = family === 'udp6' ? '/proc/net/udp6' : '/proc/net/udp';
  const ours = ownSocketInodes();
  if (ours.size === 0) return undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const cols of rows(table)) {
    if (cols[LOCAL]?.endsWith(`:${hexPort}`) && ours.has(cols[INODE] ?? '')) return { table, inode: cols[INODE]! };
  }
  return undefined;
}

/** The socket's drop count now, or undefined when its row cannot be read. */
export function readUdpDrops(row: UdpSocketRow): number | undefined {
  for (const cols of rows(row.table)) {
    if (cols[INODE] === row.inode) {
      const n = Number(cols[DROPS]);
      return Number.isSafeInteger(n) ? n : undefined;
    }
  }
  return undefined;
}

function rows(table: string): string[][] {
  let text: string;
  try {
    text = readFileSync(table, 'latin1');
  } catch {
    return [];
  }
  // The first line is the header.
  return text.split('\n').slice(1).map((l) => l.trim().split(/\s+/));
}

/** Inodes of the sockets this process has open (/proc/self/fd links read `socket:[inode]`). */
function ownSocketInodes(): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}
