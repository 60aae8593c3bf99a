/*
 * A listening TCP port: SYNs become half-open connections (SYN_RECEIVED), established ones
 * wait in the accept queue. Both are bounded: a full accept queue drops new SYNs (the
 * client retries); when the half-open set is full (a SYN flood) SYNs are answered with
 * SYN cookies (syn_cookie.ts) instead of memory, so a flood cannot exhaust memory nor
 * push genuine clients' half-open connections out.
 */
import { formatAddress } from '../ipv4_address.js';
import { SocketError, type Endpoint, type TcpListener, type TcpSocket } from '../socket.js';
import type { PassiveOpener, TcpConnection } from './connection.js';
import type { TcpSegment } from './segment.js';

/** What a listener needs from the stack. */
export interface ListenerHost {
  localAddress(): number;
  /** A new connection in SYN_RECEIVED for the SYN, registered with the stack; undefined if the stack is full. */
  openPassive(listener: TcpListenerImpl, src: number, syn: TcpSegment): TcpConnection | undefined;
  /** Answers the SYN with a stateless SYN-ACK carrying a SYN cookie. */
  sendSynCookie(src: number, syn: TcpSegment): void;
  /** A connection for an ACK with a valid SYN cookie (already established), or undefined. */
  openFromCookie(listener: TcpListenerImpl, src: number, ack: TcpSegment): TcpConnection | undefined;
  unlisten(port: number): void;
  readonly synBacklog: number;
}

export class TcpListenerImpl implements TcpListener, PassiveOpener {
  private halfOpen = new Set<TcpConnection>();
  private ready: TcpConnection[] = [];
  private waiters: Array<{ ok: (s: TcpSocket) => void; fail: (e: Error) => void }> = [];
  private closed = false;
  /** SYNs dropped because a queue was full. */
  droppedSyns = 0;
  /** SYNs answered with a SYN cookie. */
  cookiesSent = 0;

  constructor(private host: ListenerHost, readonly port: number, readonly backlog: number) {}

  get local(): Endpoint {
    return { address: formatAddress(this.host.localAddress()), port: this.port };
  }

  syn(src: number, s: TcpSegment): void {
    if (this.closed) return;
    if (this.ready.length >= this.backlog) {
      this.droppedSyns++;
      return;
    }
    if (this.halfOpen.size >= Math.max(this.host.synBacklog, this.backlog)) {
      this.cookiesSent++;
      this.host.sendSynCookie(src, s);
      return;
    }
    const c = this.host.openPassive(this, src, s);
    if (c) this.halfOpen.add(c);
    else this.droppedSyns++;
  }

  /** An ACK for this port without a connection: true if it completed a SYN-cookie handshake. */
  cookieAck(src: number, s: TcpSegment): boolean {
    if (this.closed || this.cookiesSent === 0 || this.ready.length >= this.backlog) return false;
    const c = this.host.openFromCookie(this, src, s);
    if (!c) return false;
    this.established(c);
    return true;
  }

  established(c: TcpConnection): void {
    this.halfOpen.delete(c);
    const w = this.waiters.shift();
    if (w) return w.ok(c);
    if (this.closed || this.ready.length >= this.backlog) return c.abort();
    this.ready.push(c);
  }

  forget(c: TcpConnection): void {
    this.halfOpen.delete(c);
  }

  accept(): Promise<TcpSocket> {
    if (this.closed) return Promise.reject(new SocketError('ECLOSED', `listener on port ${this.port} is closed`));
    const c = this.ready.shift();
    if (c) return Promise.resolve(c);
    return new Promise((ok, fail) => this.waiters.push({ ok, fail }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.unlisten(this.port);
    for (const c of [...this.halfOpen, ...this.ready]) c.abort();
    this.halfOpen.clear();
    this.ready = [];
    for (const w of this.waiters.splice(0)) w.fail(new SocketError('ECLOSED', `listener on port ${this.port} closed`));
  }
}
