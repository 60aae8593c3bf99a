/*
 * In-memory TCP for protocol tests above the socket API (HTTP, tcp_terminal, http_block):
 * connected socket pairs with EOF, shutdown and abort, and a NetStack of listeners by port.
 * Not a TCP model: no loss, no windows; reads return what the peer wrote, in order.
 */
import { SocketError, type Endpoint, type InterfaceConfig, type NetStack, type TcpListener, type TcpSocket, type UdpSocket } from '../../os/src/lib/net/socket.js';

class Pipe {
  chunks: Uint8Array[] = [];
  eof = false;
  reset = false;
  waiter: (() => void) | undefined;
  wake(): void { const w = this.waiter; this.waiter = undefined; w?.(); }
}

class MemSocket implements TcpSocket {
  constructor(readonly local: Endpoint, readonly remote: Endpoint, private readonly inbound: Pipe, private readonly outbound: Pipe) {}
  written = 0;
  async write(data: Uint8Array): Promise<void> {
    if (this.outbound.reset || this.inbound.reset) throw new SocketError('ECONNRESET');
    if (this.outbound.eof) throw new SocketError('EPIPE');
    this.written += data.length;
    this.outbound.chunks.push(data.slice());
    this.outbound.wake();
    await Promise.resolve();
  }
  async read(max = 65536): Promise<Uint8Array> {
    for (;;) {
      if (this.inbound.reset) throw new SocketError('ECONNRESET');
      const c = this.inbound.chunks[0];
      if (c) {
        if (c.length <= max) { this.inbound.chunks.shift(); return c; }
        this.inbound.chunks[0] = c.subarray(max);
        return c.subarray(0, max);
      }
      if (this.inbound.eof) return new Uint8Array(0);
      await new Promise<void>((r) => { this.inbound.waiter = r; });
    }
  }
  async shutdown(): Promise<void> { this.outbound.eof = true; this.outbound.wake(); }
  async close(): Promise<void> { await this.shutdown(); }
  abort(): void { this.outbound.reset = true; this.inbound.reset = true; this.outbound.wake(); this.inbound.wake(); }
}

export function socketPair(a: Endpoint, b: Endpoint): [TcpSocket, TcpSocket] {
  const ab = new Pipe();
  const ba = new Pipe();
  return [new MemSocket(a, b, ba, ab), new MemSocket(b, a, ab, ba)];
}

class MemListener implements TcpListener {
  queue: TcpSocket[] = [];
  waiter: ((s: TcpSocket | undefined) => void) | undefined;
  closed = false;
  constructor(readonly local: Endpoint, private readonly onClose: () => void) {}
  push(s: TcpSocket): void {
    if (this.waiter) { const w = this.waiter; this.waiter = undefined; w(s); } else this.queue.push(s);
  }
  async accept(): Promise<TcpSocket> {
    const s = this.queue.shift();
    if (s) return s;
    if (this.closed) throw new SocketError('ECLOSED');
    const got = await new Promise<TcpSocket | undefined>((r) => { this.waiter = r; });
    if (!got) throw new SocketError('ECLOSED');
    return got;
  }
  close(): void { this.closed = true; this.onClose(); this.waiter?.(undefined); }
}

/** Several "hosts" sharing one in-memory network: each MemStack has an address. */
export class MemNet {
  readonly listeners = new Map<string, MemListener>();
  private nextPort = 40000;
  stack(address: string): NetStack {
    const net = this;
    const config: InterfaceConfig = { address, netmask: '255.255.255.0' };
    return {
      config,
      async configured() { return config; },
      async connect(to: Endpoint) {
        const l = net.listeners.get(`${to.address}:${to.port}`);
        if (!l) throw new SocketError('ECONNREFUSED', `${to.address}:${to.port}`);
        const [c, s] = socketPair({ address, port: net.nextPort++ }, to);
        l.push(s);
        return c;
      },
      listen(port: number): TcpListener {
        const key = `${address}:${port}`;
        if (net.listeners.has(key)) throw new SocketError('EADDRINUSE', key);
        const l = new MemListener({ address, port }, () => net.listeners.delete(key));
        net.listeners.set(key, l);
        return l;
      },
      udp(): UdpSocket { throw new SocketError('EINVAL', 'no UDP in MemNet'); },
      async ping() { return 0; },
    };
  }
}
