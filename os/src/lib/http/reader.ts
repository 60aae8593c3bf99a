/*
 * Buffered reading from a TcpSocket for HTTP: a head up to CRLF CRLF within a byte limit,
 * then exactly n body bytes; bytes read past the head stay buffered for the body or the
 * next request on a keep-alive connection.
 */
import type { TcpSocket } from '../net/socket.js';
import { HttpParseError, headEnd } from './message.js';

export class SocketReader {
  private buf = new Uint8Array(0);
  private eof = false;

  constructor(private readonly socket: TcpSocket) {}

  /** True if nothing is buffered and the peer closed. */
  get atEof(): boolean { return this.eof && this.buf.length === 0; }

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const chunk = await this.socket.read();
    if (chunk.length === 0) {
      this.eof = true;
      return false;
    }
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf);
    next.set(chunk, this.buf.length);
    this.buf = next;
    return true;
  }

  /**
   * The next head including its CRLF CRLF; undefined on EOF before any byte.
   * Throws HttpParseError(tooLarge) past `max` bytes, 400 on EOF inside a head.
   */
  async readHead(max: number, tooLarge = 431): Promise<Uint8Array | undefined> {
    let searched = 0;
    for (;;) {
      const end = headEnd(this.buf, searched);
      if (end >= 0) {
        if (end > max) throw new HttpParseError(tooLarge, `head longer than ${max} bytes`);
        const head = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        return head;
      }
      if (this.buf.length > max) throw new HttpParseError(tooLarge, `head longer than ${max} bytes`);
      searched = this.buf.length;
      if (!(await this.fill())) {
        if (this.buf.length === 0) return undefined;
        throw new HttpParseError(400, 'connection closed inside the head');
      }
    }
  }

  /** Exactly `n` bytes (throws ECLOSED-style error on early EOF). */
  async readExactly(n: number): Promise<Uint8Array> {
    while (this.buf.length < n) {
      if (!(await this.fill())) throw new HttpParseError(502, `connection closed ${n - this.buf.length} bytes before the end of the body`);
    }
    const out = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return out;
  }

  /** Everything until the peer closes, at most `max` bytes. */
  async readToEof(max: number): Promise<Uint8Array> {
    while (await this.fill()) {
      if (this.buf.length > max) throw new HttpParseError(502, `body longer than ${max} bytes`);
    }
    const out = this.buf;
    this.buf = new Uint8Array(0);
    return out;
  }

  /** Up to `max` buffered or newly arrived bytes; empty at EOF (for streaming a body). */
  async readSome(max: number): Promise<Uint8Array> {
    if (this.buf.length === 0 && !(await this.fill())) return new Uint8Array(0);
    const n = Math.min(max, this.buf.length);
    const out = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return out;
  }
}
