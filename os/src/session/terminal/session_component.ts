/*
 * What every Terminal server's session has in common (Genode's Terminal::Session_component
 * pattern): the I/O buffer, byte counts checked against it, the read-avail handler (told
 * at once when it is installed while bytes wait), a connected handler for terminals that
 * are there from the start, and releasing the kept handler when the session closes.
 * BufferedTerminalSession adds a bounded input buffer for servers whose bytes arrive on
 * their own (a UART, a keyboard): once it is full, further bytes are dropped and counted.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { SessionDataspace } from '../../lib/session_dataspace.js';
import type { TerminalSession } from './session.js';

export abstract class TerminalSessionComponent implements TerminalSession {
  private readAvailCap: Capability<SignalContext> | undefined;

  constructor(protected readonly env: Env, readonly io: SessionDataspace) {}

  abstract size: TerminalSession['size'];
  abstract avail: TerminalSession['avail'];
  abstract read: TerminalSession['read'];
  abstract write: TerminalSession['write'];

  /** Bytes waiting for the client. */
  protected abstract pending(): number;

  /** A client's byte count, refused if it is no count, clipped to the I/O buffer. */
  protected count(what: string, n: number): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new BadArgument(`Terminal.${what}: invalid byte count ${n}`);
    return Math.min(n, this.io.size);
  }

  /** Tells the client that bytes wait (if it installed a handler). */
  readAvailable(): void {
    if (this.readAvailCap) void this.env.submit(this.readAvailCap);
  }

  dataspace = async () => this.io.ds;

  readAvailSigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.readAvailCap);
    this.readAvailCap = cap.valid ? cap : undefined;
    if (this.pending() > 0) this.readAvailable();
  };

  /* a terminal that is there from the start: connected at once */
  connectedSigh = async (cap: Capability<SignalContext>) => {
    if (!cap.valid) return;
    await this.env.submit(cap);
    this.env.ep.release(cap);
  };

  /** Releases the kept handler (the session is closed). */
  drop(): void {
    this.env.ep.release(this.readAvailCap);
    this.readAvailCap = undefined;
  }
}

export abstract class BufferedTerminalSession extends TerminalSessionComponent {
  private input: number[] = [];
  /** Bytes that found the input buffer full. */
  dropped = 0;

  constructor(env: Env, io: SessionDataspace, private readonly capacity: number) {
    super(env, io);
  }

  /** Bytes for the client. */
  received(bytes: readonly number[]): void {
    const room = this.capacity - this.input.length;
    this.input.push(...bytes.slice(0, room));
    this.dropped += Math.max(0, bytes.length - room);
    if (bytes.length > 0) this.readAvailable();
  }

  protected pending(): number {
    return this.input.length;
  }

  avail = async () => this.input.length > 0;

  read = async (max: number) => {
    const n = Math.min(this.count('read', max), this.input.length);
    this.io.bytes.set(this.input.splice(0, n));
    return n;
  };
}
