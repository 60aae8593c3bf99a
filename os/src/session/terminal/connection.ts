/*
 * A Terminal connection that reads and writes byte arrays and strings of any length,
 * moving them through the session's I/O buffer piece by piece.
 */
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { TerminalSession } from './session.js';
import { concatBytes } from '../../../../base/src/util/utf8.js';

const encoder = new TextEncoder();

export class TerminalConnection {
  private constructor(readonly connection: Connection<TerminalSession>, private readonly io: Uint8Array, private readonly env: Env) {}

  static async open(env: Env, opts: ConnectionOptions = {}): Promise<TerminalConnection> {
    const c = await Connection.open(env, TerminalSession, opts);
    const ds = await c.session.dataspace();
    const size = await env.rpc(Dataspace, ds).size();
    const at = await env.attach(ds);
    return new TerminalConnection(c, env.view(at, size), env);
  }

  get session(): Client<TerminalSession> {
    return this.connection.session;
  }

  /** Everything received so far. */
  async read(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const n = await this.session.read(this.io.length);
      if (n === 0) break;
      parts.push(this.io.slice(0, n));
    }
    return concatBytes(parts);
  }

  /** Up to `max` received bytes (none if nothing is waiting). */
  async readSome(max: number): Promise<Uint8Array> {
    const n = await this.session.read(Math.max(0, Math.min(max, this.io.length)));
    return this.io.slice(0, Math.min(n, this.io.length));
  }

  async write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    for (let at = 0; at < bytes.length;) {
      const chunk = bytes.subarray(at, at + this.io.length);
      this.io.set(chunk);
      at += await this.session.write(chunk.length);
    }
  }

  /** Calls `fn` whenever bytes arrive. */
  async onReadAvail(fn: () => void | Promise<void>): Promise<void> {
    const handler = await this.env.signalHandler(() => fn());
    await this.session.readAvailSigh(handler.cap);
  }
}
