/*
 * A Loader connection (Genode's Loader::Connection): opens the session with the quota the
 * subsystem and its ROM modules need (donated up front: the loader pays everything from
 * it) and fills ROM modules from text or bytes.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { LoaderSession } from './session.js';

const encoder = new TextEncoder();

export class LoaderConnection {
  private constructor(private readonly env: Env, readonly connection: Connection<LoaderSession>) {}

  /** `ramQuota`/`capQuota`: what the subsystem and the modules may use, on top of the session's own cost. */
  static async open(env: Env, opts: { label?: string; ramQuota: number; capQuota: number }): Promise<LoaderConnection> {
    const c = await Connection.open(env, LoaderSession, {
      label: opts.label,
      ramQuota: LoaderSession.RAM_QUOTA + opts.ramQuota,
      capQuota: LoaderSession.CAP_QUOTA + opts.capQuota,
    });
    return new LoaderConnection(env, c);
  }

  get session(): Client<LoaderSession> {
    return this.connection.session;
  }

  /** Allocates the module, writes `content` into it and commits it. */
  async romModule(name: string, content: string | Uint8Array): Promise<void> {
    const bytes = typeof content === 'string' ? encoder.encode(content) : content;
    const ds = await this.session.allocRomModule(name, bytes.length);
    const at = await this.env.attach(ds);
    try {
      this.env.view(at, bytes.length).set(bytes);
    } finally {
      await this.env.rm.detach(at);
      this.env.runtime.release(ds);
    }
    await this.session.commitRomModule(name);
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
