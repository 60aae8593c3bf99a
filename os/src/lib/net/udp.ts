/*
 * UDP (RFC 768): datagram parsing with length and checksum checks, building with the
 * pseudo-header checksum, and the socket object with its bounded receive queue.
 */
import { finish, pseudoHeaderSum, sumWords } from './checksum.js';
import { PROTO_UDP } from './ipv4.js';
import { formatAddress } from './ipv4_address.js';
import { SocketError, type Endpoint, type UdpSocket } from './socket.js';

export const UDP_HEADER = 8;

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

export function parseUdp(data: Uint8Array, src: number, dst: number): UdpDatagram | string {
  if (data.length < UDP_HEADER) return `UDP datagram of ${data.length} bytes is shorter than its header`;
  const length = (data[4]! << 8) | data[5]!;
  if (length < UDP_HEADER || length > data.length) return `UDP length ${length} invalid for ${data.length} bytes`;
  const d = data.subarray(0, length);
  const stored = (d[6]! << 8) | d[7]!;
  if (stored !== 0 && finish(sumWords(d, pseudoHeaderSum(src, dst, PROTO_UDP, length))) !== 0) return 'UDP checksum mismatch';
  return { srcPort: (d[0]! << 8) | d[1]!, dstPort: (d[2]! << 8) | d[3]!, payload: d.subarray(UDP_HEADER) };
}

export function buildUdp(src: number, dst: number, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const d = new Uint8Array(UDP_HEADER + payload.length);
  d[0] = srcPort >>> 8; d[1] = srcPort & 0xff;
  d[2] = dstPort >>> 8; d[3] = dstPort & 0xff;
  d[4] = d.length >>> 8; d[5] = d.length & 0xff;
  d.set(payload, UDP_HEADER);
  let c = finish(sumWords(d, pseudoHeaderSum(src, dst, PROTO_UDP, d.length)));
  if (c === 0) c = 0xffff;
  d[6] = c >>> 8; d[7] = c & 0xff;
  return d;
}

/** What a UDP socket needs from the stack. */
export interface UdpHost {
  localAddress(): number;
  sendUdp(srcPort: number, to: Endpoint, data: Uint8Array): Promise<void>;
  unbindUdp(port: number): void;
}

export const UDP_QUEUE = 64;

export class UdpSocketImpl implements UdpSocket {
  private queue: Array<{ data: Uint8Array; from: Endpoint }> = [];
  private waiters: Array<{ ok: (d: { data: Uint8Array; from: Endpoint }) => void; fail: (e: Error) => void }> = [];
  private closed = false;
  /** Datagrams dropped because the queue was full. */
  dropped = 0;

  constructor(private host: UdpHost, readonly port: number) {}

  get local(): Endpoint {
    return { address: formatAddress(this.host.localAddress()), port: this.port };
  }

  deliver(src: number, srcPort: number, payload: Uint8Array): void {
    const d = { data: payload.slice(), from: { address: formatAddress(src), port: srcPort } };
    const w = this.waiters.shift();
    if (w) return w.ok(d);
    if (this.queue.length >= UDP_QUEUE) {
      this.dropped++;
      return;
    }
    this.queue.push(d);
  }

  async sendTo(data: Uint8Array, to: Endpoint): Promise<void> {
    if (this.closed) throw new SocketError('ECLOSED', `UDP socket on port ${this.port} is closed`);
    await this.host.sendUdp(this.port, to, data);
  }

  receiveFrom(): Promise<{ data: Uint8Array; from: Endpoint }> {
    if (this.closed) return Promise.reject(new SocketError('ECLOSED', `UDP socket on port ${this.port} is closed`));
    const d = this.queue.shift();
    if (d) return Promise.resolve(d);
    return new Promise((ok, fail) => this.waiters.push({ ok, fail }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.unbindUdp(this.port);
    this.queue = [];
    for (const w of this.waiters.splice(0)) w.fail(new SocketError('ECLOSED', `UDP socket on port ${this.port} closed`));
  }
}
