/*
 * A Report connection (Genode's Report::Connection): opens the session with the buffer
 * size it needs, attaches the buffer and submits reports as text or bytes. A report that
 * does not fit the buffer is refused here, before the server sees it.
 */
import { BadArgument } from '../../../../base/src/errors.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { ReportSession } from './session.js';

const encoder = new TextEncoder();

export class ReportConnection {
  private constructor(readonly connection: Connection<ReportSession>, private readonly env: Env, private readonly at: number, private readonly buffer: Uint8Array) {}

  static async open(env: Env, label: string, bufferSize = 4096): Promise<ReportConnection> {
    const c = await Connection.open(env, ReportSession, {
      label,
      ramQuota: ReportSession.RAM_QUOTA + bufferSize,
      args: { buffer_size: bufferSize },
    });
    try {
      const ds = await c.session.dataspace();
      const size = await env.rpc(Dataspace, ds).size();
      const at = await env.attach(ds);
      return new ReportConnection(c, env, at, env.view(at, Math.min(size, bufferSize)));
    } catch (e) {
      await c.close();
      throw e;
    }
  }

  get session(): Client<ReportSession> {
    return this.connection.session;
  }

  /** How many bytes a report may have. */
  get capacity(): number {
    return this.buffer.length;
  }

  async submit(report: string | Uint8Array): Promise<void> {
    const bytes = typeof report === 'string' ? encoder.encode(report) : report;
    if (bytes.length > this.buffer.length) {
      throw new BadArgument(`report of ${bytes.length} bytes exceeds the buffer of ${this.buffer.length} bytes`);
    }
    this.buffer.set(bytes);
    await this.session.submit(bytes.length);
  }

  async close(): Promise<void> {
    await this.env.rm.detach(this.at);
    await this.connection.close();
  }
}
