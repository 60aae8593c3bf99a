/*
 * The Terminal session of uart_drv: received bytes wait in the driver (up to a bound, then
 * the newest are dropped and counted) until the client reads them through its I/O
 * buffer; writes go straight to the UART.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { SessionDataspace } from '../../lib/session_dataspace.js';
import type { TerminalSession } from '../../session/terminal/session.js';

export const RX_BUFFER_BYTES = 64 * 1024;

export class TerminalSessionComponent implements TerminalSession {
  private rx: number[] = [];
  dropped = 0;
  private readAvail: Capability<SignalContext> | undefined;

  constructor(private readonly env: Env, readonly io: SessionDataspace, private readonly send: (bytes: Uint8Array) => Promise<void>) {}

  /** Bytes from the line. */
  received(bytes: number[]): void {
    const room = RX_BUFFER_BYTES - this.rx.length;
    this.rx.push(...bytes.slice(0, room));
    this.dropped += Math.max(0, bytes.length - room);
    if (this.readAvail && bytes.length > 0) void this.env.submit(this.readAvail);
  }

  private count(what: string, n: number): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new BadArgument(`Terminal.${what}: invalid byte count ${n}`);
    return Math.min(n, this.io.size);
  }

  size = async () => ({ columns: 0, lines: 0 });

  avail = async () => this.rx.length > 0;

  read = async (max: number) => {
    const n = Math.min(this.count('read', max), this.rx.length);
    this.io.bytes.set(this.rx.splice(0, n));
    return n;
  };

  write = async (count: number) => {
    const n = this.count('write', count);
    await this.send(this.io.bytes.slice(0, n));
    return n;
  };

  dataspace = async () => this.io.ds;

  readAvailSigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.readAvail);
    this.readAvail = cap.valid ? cap : undefined;
    if (this.readAvail && this.rx.length > 0) void this.env.submit(this.readAvail);
  };

  /* a serial line is there from the start */
  connectedSigh = async (cap: Capability<SignalContext>) => {
    if (!cap.valid) return;
    await this.env.submit(cap);
    this.env.ep.release(cap);
  };

  /** Releases the kept signal handler (the session is closed). */
  drop(): void {
    this.env.ep.release(this.readAvail);
    this.readAvail = undefined;
  }
}
