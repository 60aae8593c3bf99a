/*
 * One tcp_terminal session's TCP side: a listener on the session's port, one remote peer
 * at a time (a second one is told so and closed), received bytes buffered up to a bound
 * (beyond it the socket is not read: TCP's window holds the peer back), writes sent to the
 * peer or, while none is connected, dropped and counted (a Terminal client must not block).
 */
import type { TcpListener, TcpSocket } from '../../../../os/src/lib/net/socket.js';

export const RX_LIMIT = 64 * 1024;

export interface LineEvents {
  log(line: string): void;
  /** A peer connected (Terminal's connected signal). */
  connected(): void;
  /** Bytes arrived (Terminal's read-avail signal). */
  readAvail(): void;
}

const BUSY = new TextEncoder().encode('tcp_terminal: this terminal is in use\r\n');

export class TcpLine {
  private peer: TcpSocket | undefined;
  private rx: Uint8Array[] = [];
  private rxBytes = 0;
  private roomFree: (() => void) | undefined;
  private closed = false;
  /** Bytes written while no peer was connected. */
  dropped = 0;

  constructor(private readonly listener: TcpListener, private readonly events: LineEvents) {
    void this.acceptLoop();
  }

  get isConnected(): boolean { return this.peer !== undefined; }
  get avail(): number { return this.rxBytes; }

  /** Takes up to `max` received bytes. */
  take(max: number): Uint8Array {
    const n = Math.min(max, this.rxBytes);
    const out = new Uint8Array(n);
    for (let o = 0; o < n;) {
      const c = this.rx[0];
      const k = Math.min(c.length, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.rx.shift();
      else this.rx[0] = c.subarray(k);
    }
    this.rxBytes -= n;
    const f = this.roomFree;
    this.roomFree = undefined;
    f?.();
    return out;
  }

  /** Sends to the peer; returns the count either way (dropped without a peer). */
  async write(bytes: Uint8Array): Promise<number> {
    const p = this.peer;
    if (!p) {
      this.dropped += bytes.length;
      return bytes.length;
    }
    try {
      await p.write(bytes.slice());
    } catch {
      this.dropped += bytes.length;
    }
    return bytes.length;
  }

  close(): void {
    this.closed = true;
    this.listener.close();
    this.peer?.abort();
    this.peer = undefined;
    this.roomFree?.();
  }

  private async acceptLoop(): Promise<void> {
    while (!this.closed) {
      let s: TcpSocket;
      try {
        s = await this.listener.accept();
      } catch {
        return;
      }
      const who = `${s.remote.address}:${s.remote.port}`;
      if (this.peer) {
        this.events.log(`connection from ${who} refused: terminal in use`);
        void s.write(BUSY).then(() => s.close(), () => s.abort());
        continue;
      }
      this.peer = s;
      this.events.log(`connection from ${who}`);
      this.events.connected();
      void this.readLoop(s, who);
    }
  }

  private async readLoop(s: TcpSocket, who: string): Promise<void> {
    try {
      for (;;) {
        while (this.rxBytes >= RX_LIMIT && !this.closed) await new Promise<void>((r) => { this.roomFree = r; });
        if (this.closed) return;
        const chunk = await s.read(RX_LIMIT - this.rxBytes);
        if (chunk.length === 0) break;
        this.rx.push(chunk.slice());
        this.rxBytes += chunk.length;
        this.events.readAvail();
      }
      await s.close();
      this.events.log(`${who} closed the connection`);
    } catch (e) {
      this.events.log(`${who}: connection lost: ${(e as Error).message}`);
    }
    if (this.peer === s) this.peer = undefined;
  }
}
