import dgram from 'node:dgram';
import { lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { ErrorEpisodes } from './logger.js';
import { newSourceStats, type SourceStats } from './stats.js';
import { streamSplitter, type StreamContext, type StreamSource } from './streamSources.js';

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
 * from whichever sender, onto it; we do not.)
 */
export class UdpSource implements StreamSource {
  readonly stats: SourceStats;
  private readonly errors: ErrorEpisodes;
  private socket: dgram.Socket | undefined;
  private readonly splitter;

  constructor(
    readonly name: string,
    private readonly host: string,
    private readonly port: number,
    private readonly ctx: StreamContext,
  ) {
    this.stats = newSourceStats('udp');
    this.errors = new ErrorEpisodes(this.stats, ctx.logger, name);
    this.splitter = streamSplitter(ctx, name, this.stats);
  }

  /** Binds; rejects when the address cannot be bound (a configuration error). */
  async start(): Promise<void> {
    const socket = dgram.createSocket({ type: this.host.includes(':') ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, this.host || undefined, () => {
        socket.removeListener('error', reject);
        resolve();
      });
    });
    try {
      // Bursts of log datagrams overflow the default receive buffer; the kernel caps this at rmem_max.
      socket.setRecvBufferSize(4 * 1024 * 1024);
    } catch {
      // keep the default
    }
    socket.on('message', (msg) => {
      this.stats.bytes += msg.length;
      this.splitter.push(msg);
      this.splitter.end();
    });
    socket.on('error', (err) => this.errors.fail('receive', err));
    this.socket = socket;
    this.stats.open = true;
    this.ctx.logger.log('info', 'tail.socket_listening', { source: this.name });
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.stats.open = false;
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
