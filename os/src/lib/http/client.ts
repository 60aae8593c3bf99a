/*
 * An HTTP/1.1 client on the socket API: GET and HEAD with optional single byte ranges,
 * bodies by Content-Length, chunked transfer coding or connection close, all bounded by
 * `maxBody`. With keepAlive one connection serves successive requests; a request on a
 * reused connection the server had already closed is retried once on a new one.
 *
 *   const http = new HttpClient(stack, { address: '10.0.0.1', port: 80 });
 *   const r = await http.get('/index.html', { range: [0, 511] });   // r.status 206
 */
import type { Endpoint, NetStack, TcpSocket } from '../net/socket.js';
import { HttpParseError, contentLength, parseResponseHead, printable, writeHead, type ResponseHead } from './message.js';
import { SocketReader } from './reader.js';

export interface HttpResponse extends ResponseHead {
  body: Uint8Array;
}

export interface RequestOptions {
  /** Inclusive byte range [first, last]. */
  range?: [number, number];
  /** Largest body accepted (default 16 MiB). */
  maxBody?: number;
  headers?: [string, string][];
}

export interface HttpClientOptions {
  keepAlive?: boolean;
  /** Largest response head (default 16 KiB). */
  maxHead?: number;
  /** The Host header (default the server address). */
  host?: string;
}

export class HttpError extends Error {}

const DEFAULT_MAX_BODY = 16 << 20;

export class HttpClient {
  private socket: TcpSocket | undefined;
  private reader: SocketReader | undefined;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly stack: NetStack, readonly server: Endpoint, private readonly opts: HttpClientOptions = {}) {}

  get(path: string, opts: RequestOptions = {}): Promise<HttpResponse> { return this.request('GET', path, opts); }
  head(path: string, opts: RequestOptions = {}): Promise<HttpResponse> { return this.request('HEAD', path, opts); }

  /** Requests run one after the other (HTTP/1.1 without pipelining). */
  request(method: 'GET' | 'HEAD', path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const run = this.busy.then(() => this.exchange(method, path, opts), () => this.exchange(method, path, opts));
    this.busy = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    this.reader = undefined;
    if (s) await s.close().catch(() => {});
  }

  private async exchange(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    if (!path.startsWith('/') || /[\x00-\x20\x7f-\xff]/.test(path)) throw new HttpError(`bad request path "${printable(path)}"`);
    const reused = this.socket !== undefined;
    try {
      return await this.once(method, path, opts);
    } catch (e) {
      await this.drop();
      /* the server may close an idle keep-alive connection at any time: one retry (GET and HEAD are idempotent) */
      if (reused && e instanceof StaleConnection) return this.once(method, path, opts).catch(async (e2) => { await this.drop(); throw e2; });
      if (e instanceof StaleConnection) throw new HttpError(`${this.where()}: connection closed before a response`);
      throw e;
    }
  }

  private where(): string { return `http://${this.server.address}:${this.server.port}`; }

  private async drop(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    this.reader = undefined;
    if (s) s.abort();
  }

  private async once(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    if (!this.socket) {
      this.socket = await this.stack.connect(this.server);
      this.reader = new SocketReader(this.socket);
    }
    const socket = this.socket;
    const reader = this.reader!;
    const headers: [string, string][] = [['Host', this.opts.host ?? this.server.address]];
    if (opts.range) {
      const [a, b] = opts.range;
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b < a) throw new HttpError(`bad range [${a}, ${b}]`);
      headers.push(['Range', `bytes=${a}-${b}`]);
    }
    headers.push(['Connection', this.opts.keepAlive ? 'keep-alive' : 'close'], ...(opts.headers ?? []));
    await socket.write(writeHead(`${method} ${path} HTTP/1.1`, headers));

    const rawHead = await reader.readHead(this.opts.maxHead ?? 16 * 1024, 502);
    if (!rawHead) throw new StaleConnection();
    const head = parseResponseHead(rawHead);
    const maxBody = opts.maxBody ?? DEFAULT_MAX_BODY;
    let body: Uint8Array;
    const noBody = method === 'HEAD' || head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200);
    const te = head.headers.get('transfer-encoding');
    const length = contentLength(head.headers, 502);
    if (noBody) {
      body = new Uint8Array(0);
    } else if (te !== undefined) {
      if (te.toLowerCase() !== 'chunked') throw new HttpParseError(502, `unsupported Transfer-Encoding "${printable(te)}"`);
      body = await readChunked(reader, maxBody);
    } else if (length !== undefined) {
      if (length > maxBody) throw new HttpError(`${this.where()}${path}: body of ${length} bytes exceeds the limit of ${maxBody}`);
      body = await reader.readExactly(length);
    } else {
      body = await reader.readToEof(maxBody);
    }
    const closing = !this.opts.keepAlive || head.headers.get('connection')?.toLowerCase() === 'close' || head.version === 'HTTP/1.0'
      || (!noBody && te === undefined && length === undefined);
    if (closing) await this.close();
    return { ...head, body };
  }
}

class StaleConnection extends Error {}

async function readChunked(reader: SocketReader, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const line = await readLine(reader);
    const m = /^([0-9a-fA-F]{1,8})(;.*)?$/.exec(line);
    if (!m) throw new HttpParseError(502, `bad chunk size line "${printable(line)}"`);
    const n = parseInt(m[1], 16);
    if (n === 0) break;
    total += n;
    if (total > max) throw new HttpError(`chunked body exceeds the limit of ${max} bytes`);
    parts.push(await reader.readExactly(n));
    if ((await readLine(reader)) !== '') throw new HttpParseError(502, 'chunk not followed by CRLF');
  }
  /* trailer fields up to the empty line */
  for (let i = 0; (await readLine(reader)) !== ''; i++) if (i > 64) throw new HttpParseError(502, 'too many trailer fields');
  const body = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { body.set(p, o); o += p.length; }
  return body;
}

async function readLine(reader: SocketReader): Promise<string> {
  let s = '';
  for (;;) {
    const b = await reader.readExactly(1);
    if (b[0] === 10) return s.endsWith('\r') ? s.slice(0, -1) : s;
    s += String.fromCharCode(b[0]);
    if (s.length > 1024) throw new HttpParseError(502, 'line longer than 1024 bytes in a chunked body');
  }
}
