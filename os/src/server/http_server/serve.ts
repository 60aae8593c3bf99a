/*
 * The HTTP/1.1 server's protocol side (what lighttpd did in Genode's ports), independent of
 * the component: connections from a TcpListener, requests parsed with a bounded head,
 * GET and HEAD of files with Content-Length, single byte ranges (206/416, what http_block
 * needs), 400/404/405/413/431/505 with a log line naming the client and the reason,
 * keep-alive (optional) with a bounded number of requests per connection, at most
 * `maxConnections` connections served at once (more wait in the listener's backlog).
 */
import type { NetClock } from '../../lib/net/clock.js';
import type { TcpListener, TcpSocket } from '../../lib/net/socket.js';
import { HttpParseError, REASONS, contentLength, encodeLatin1, parseRange, parseRequestHead, printable, writeHead } from '../../lib/http/message.js';
import { SocketReader } from '../../lib/http/reader.js';
import { targetPath, type FileSource } from './files.js';

export interface ServeOptions {
  log: (line: string) => void;
  /** Largest request head in bytes. */
  maxHead?: number;
  keepAlive?: boolean;
  /** Requests on one connection before the server closes it. */
  maxRequests?: number;
  maxConnections?: number;
  /** Bytes read from the file source and written per step. */
  chunk?: number;
  verbose?: boolean;
  /** With a clock, a connection that does not deliver a complete head within headTimeoutMs is aborted (slow or idle clients hold no slot forever). */
  clock?: NetClock;
  headTimeoutMs?: number;
}

export class HttpServer {
  readonly stats = { connections: 0, requests: 0, errors: 0 };
  private active = 0;
  private closed = false;
  private slotFree: (() => void) | undefined;

  constructor(private readonly listener: TcpListener, private readonly files: FileSource, private readonly opts: ServeOptions) {}

  /** Accepts until the listener is closed. */
  async run(): Promise<void> {
    const max = this.opts.maxConnections ?? 16;
    while (!this.closed) {
      while (this.active >= max) await new Promise<void>((r) => { this.slotFree = r; });
      let socket: TcpSocket;
      try {
        socket = await this.listener.accept();
      } catch (e) {
        if (this.closed) return;
        this.opts.log(`Error: accept failed: ${(e as Error).message}`);
        return;
      }
      this.active++;
      this.stats.connections++;
      void this.serve(socket).finally(() => {
        this.active--;
        const f = this.slotFree;
        this.slotFree = undefined;
        f?.();
      });
    }
  }

  close(): void {
    this.closed = true;
    this.listener.close();
  }

  /** Serves one connection to its end; never throws. */
  async serve(socket: TcpSocket): Promise<void> {
    const peer = `${socket.remote.address}:${socket.remote.port}`;
    const reader = new SocketReader(socket);
    const maxRequests = this.opts.keepAlive === false ? 1 : this.opts.maxRequests ?? 100;
    try {
      for (let n = 0; n < maxRequests; n++) {
        const keep = await this.one(socket, reader, peer, n + 1 < maxRequests);
        if (!keep) break;
      }
      await socket.close();
    } catch (e) {
      if (this.opts.verbose) this.opts.log(`${peer}: connection ended: ${(e as Error).message}`);
      socket.abort();
    }
  }

  /** One request; true if the connection stays open for another. */
  private async one(socket: TcpSocket, reader: SocketReader, peer: string, mayKeep: boolean): Promise<boolean> {
    let rawHead: Uint8Array | undefined;
    try {
      const clock = this.opts.clock;
      const timer = clock?.after(this.opts.headTimeoutMs ?? 10_000, () => {
        this.opts.log(`${peer}: no complete request within ${this.opts.headTimeoutMs ?? 10_000} ms, closing`);
        socket.abort();
      });
      try {
        rawHead = await reader.readHead(this.opts.maxHead ?? 8192);
      } finally {
        if (timer !== undefined) clock!.cancel(timer);
      }
      if (!rawHead) return false; /* the client closed between requests */
      const req = parseRequestHead(rawHead);
      this.stats.requests++;
      /* no request bodies here: a declared body is refused rather than skipped unread */
      const length = contentLength(req.headers);
      if ((length !== undefined && length > 0) || req.headers.has('transfer-encoding')) {
        throw new HttpParseError(413, `${req.method} with a request body`);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        this.opts.log(`${peer}: 405 method ${printable(req.method)} not allowed for ${printable(req.target)}`);
        this.stats.errors++;
        await this.simple(socket, 405, [['Allow', 'GET, HEAD']], req.method === 'HEAD');
        return this.keepAfter(req, mayKeep);
      }
      const target = targetPath(req.target);
      if ('error' in target) throw new HttpParseError(400, target.error);
      const size = await this.files.size(target.path);
      if (size === undefined) {
        this.opts.log(`${peer}: 404 ${printable(target.path)} not found`);
        this.stats.errors++;
        const keep = this.keepAfter(req, mayKeep);
        await this.simple(socket, 404, keep ? [] : [['Connection', 'close']], req.method === 'HEAD');
        return keep;
      }
      const keep = this.keepAfter(req, mayKeep);
      const range = parseRange(req.headers.get('range'), size);
      const conn: [string, string][] = keep ? [] : [['Connection', 'close']];
      if (range === 'unsatisfiable') {
        this.opts.log(`${peer}: 416 range "${printable(req.headers.get('range')!)}" outside ${printable(target.path)} (${size} bytes)`);
        await this.simple(socket, 416, [['Content-Range', `bytes */${size}`], ...conn], req.method === 'HEAD');
        return keep;
      }
      const [start, end] = range ?? [0, size - 1];
      const length2 = size === 0 ? 0 : end - start + 1;
      const headers: [string, string | number][] = [['Content-Length', length2], ['Accept-Ranges', 'bytes'], ['Content-Type', 'application/octet-stream'], ...conn];
      if (range) headers.push(['Content-Range', `bytes ${start}-${end}/${size}`]);
      await socket.write(writeHead(`HTTP/1.1 ${range ? 206 : 200} ${range ? REASONS[206] : REASONS[200]}`, headers));
      if (this.opts.verbose) this.opts.log(`${peer}: ${req.method} ${printable(target.path)} ${range ? `bytes ${start}-${end}` : `${size} bytes`}`);
      if (req.method === 'GET') {
        const chunk = this.opts.chunk ?? 16 * 1024;
        for (let o = 0; o < length2; o += chunk) {
          await socket.write(await this.files.read(target.path, start + o, Math.min(chunk, length2 - o)));
        }
      }
      return keep;
    } catch (e) {
      if (!(e instanceof HttpParseError)) throw e;
      this.stats.errors++;
      this.opts.log(`${peer}: ${e.status} ${e.message}`);
      /* after a malformed request the stream position is unknown: answer and close */
      await this.simple(socket, e.status, [['Connection', 'close']], false);
      return false;
    }
  }

  private keepAfter(req: { version: string; headers: Map<string, string> }, mayKeep: boolean): boolean {
    if (this.opts.keepAlive === false || !mayKeep) return false;
    const c = req.headers.get('connection')?.toLowerCase() ?? '';
    if (c.split(',').some((t) => t.trim() === 'close')) return false;
    return req.version === 'HTTP/1.1' || c.split(',').some((t) => t.trim() === 'keep-alive');
  }

  private async simple(socket: TcpSocket, status: number, extra: [string, string | number][], head: boolean): Promise<void> {
    const reason = REASONS[status] ?? 'Error';
    const body = encodeLatin1(`${status} ${reason}\n`);
    await socket.write(writeHead(`HTTP/1.1 ${status} ${reason}`, [['Content-Length', body.length], ['Content-Type', 'text/plain'], ...extra]));
    if (!head) await socket.write(body);
  }
}
