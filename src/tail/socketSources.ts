import dgram from 'node:dgram';
import { lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { ErrorEpisodes } from './logger.js';
import { newSourceStats, type SourceStats } from './stats.js';
import { streamSplitter, type StreamContext, type StreamSource } from './streamSources.js';
import { DEFAULT_UDP_RECEIVE_BUFFER_BYTES, findUdpSocketRow, readUdpDrops, type UdpSocketRow } from './udpDrops.js';

/**
 * A listening stream socket (unix:// or tcp://). Every connection is its own byte stream of
 * newline-separated lines, as in mtail; nothing is parsed out of syslog framing (mtail hands the
 * whole text, "<PRI>" header included, to programs). A connection's last line without a newline
 * is handed out when the peer closes.
 */
export class StreamSocketSource implements StreamSource {
  readonly stats: SourceStats;
  private readonly errors: ErrorEpisodes;
  private server: net.Server | undefined;
  private readonly conns = new Map<net.Socket, ReturnType<typeof streamSplitter>>();

  constructor(
    readonly name: string,
    private readonly address: { path: string } | { host: string; port: number },
    private readonly ctx: StreamContext,
  ) {
    this.stats = newSourceStats('path' in address ? 'unix' : 'tcp');
    this.errors = new ErrorEpisodes(this.stats, ctx.logger, name);
  }

  /** Listens; rejects when the address cannot be bound (a configuration error). */
  async start(): Promise<void> {
    if ('path' in this.address) await removeStaleSocket(this.address.path);
    const server = net.createServer((conn) => this.accept(conn));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const onListening = (): void => {
        server.removeListener('error', reject);
        resolve();
      };
      if ('path' in this.address) server.listen(this.address.path, onListening);
      else server.listen(this.address.port, this.address.host || undefined, onListening);
    });
    server.on('error', (err) => this.errors.fail('accept', err));
    this.server = server;
    this.stats.open = true;
    this.ctx.logger.log('info', 'tail.socket_listening', { source: this.name });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const [conn, splitter] of this.conns) {
      conn.removeAllListeners('data');
      conn.destroy();
      splitter.end();
    }
    this.conns.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.stats.open = false;
  }

  private accept(conn: net.Socket): void {
    const splitter = streamSplitter(this.ctx, this.name, this.stats);
    this.conns.set(conn, splitter);
    conn.on('data', (chunk: Buffer) => {
      this.stats.bytes += chunk.length;
      this.stats.lastReadAt = Date.now();
      splitter.push(chunk);
    });
    conn.on('end', () => splitter.end());
    conn.on('error', (err) => this.errors.fail('read', err));
    conn.on('close', () => this.conns.delete(conn));
  }
}

/**
 * A UDP socket. Each datagram is one message: its lines are handed out, and a last line without
 * a newline ends with the datagram. (mtail keeps such a remainder and glues the next datagram,
 * from whichever sender, onto it; we do not.) Datagrams that arrive while the receive buffer is
 * full are dropped by the kernel; on Linux their count is read for the self-metrics.
 */
export class UdpSource implements StreamSource {
  readonly stats: SourceStats;
  private readonly errors: ErrorEpisodes;
  private socket: dgram.Socket | undefined;
  private readonly splitter;
  private row: UdpSocketRow | undefined;

  constructor(
    readonly name: string,
    private readonly host: string,
    private readonly port: number,
    private readonly ctx: StreamContext,
    /** SO_RCVBUF asked for; the kernel caps it at net.core.rmem_max. */
    private readonly receiveBufferBytes: number = DEFAULT_UDP_RECEIVE_BUFFER_BYTES,
  ) {
    this.stats = newSourceStats('udp');
    this.errors = new ErrorEpisodes(this.stats, ctx.logger, name);
    this.splitter = streamSplitter(ctx, name, this.stats);
  }

  /** Binds; rejects when the address cannot be bound (a configuration error). */
  async start(): Promise<void> {
    const family = this.host.includes(':') ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type: family });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, this.host || undefined, () => {
        socket.removeListener('error', reject);
        resolve();
      });
    });
    this.setReceiveBuffer(socket);
    socket.on('message', (msg) => {
      this.stats.bytes += msg.length;
      this.stats.lastReadAt = Date.now();
      this.splitter.push(msg);
      this.splitter.end();
    });
    socket.on('error', (err) => this.errors.fail('receive', err));
    this.socket = socket;
    this.row = findUdpSocketRow(socket.address().port, family);
    this.stats.kernelDrops = this.row && readUdpDrops(this.row);
    this.stats.open = true;
    this.ctx.logger.log('info', 'tail.socket_listening', { source: this.name, receive_buffer_bytes: this.stats.receiveBufferBytes });
  }

  /** Reads the kernel's drop count of the socket again (cheap: one read of /proc/net/udp). */
  refreshStats(): void {
    if (this.row && this.socket) this.stats.kernelDrops = readUdpDrops(this.row) ?? this.stats.kernelDrops;
  }

  async stop(): Promise<void> {
    this.refreshStats();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.stats.open = false;
  }

  /**
   * Asks for the receive buffer and says so when the kernel gives less. Linux doubles the value
   * set (half is its bookkeeping) and reports the doubled one, after capping what was asked at
   * net.core.rmem_max.
   */
  private setReceiveBuffer(socket: dgram.Socket): void {
    const want = this.receiveBufferBytes;
    try {
      socket.setRecvBufferSize(want);
    } catch (err) {
      this.ctx.logger.log('warn', 'tail.udp_receive_buffer_not_set', { source: this.name, wanted: want, error: String(err) });
    }
    let got: number | undefined;
    try {
      got = socket.getRecvBufferSize();
    } catch {
      return;
    }
    const usable = process.platform === 'linux' ? Math.floor(got / 2) : got;
    this.stats.receiveBufferBytes = usable;
    if (usable < want) {
      this.ctx.logger.log('warn', 'tail.udp_receive_buffer_capped', {
        source: this.name,
        wanted: want,
        got: usable,
        note: `the kernel caps receive buffers at net.core.rmem_max; raise it (sysctl -w net.core.rmem_max=${want}) or bursts beyond the buffer are dropped (counted in logmetrics_log_receive_drops_total)`,
      });
    }
  }
}

/**
 * A socket file left by an earlier run would make listen fail with EADDRINUSE. Remove it when
 * nobody answers on it; refuse when something is listening or the path is not a socket.
 */
async function removeStaleSocket(p: string): Promise<void> {
  let st;
  try {
    st = await lstat(p);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new Error(`${p} exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(p);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`${p}: another process is listening on this socket`);
  await unlink(p);
}
