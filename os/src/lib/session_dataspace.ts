/*
 * A dataspace a server allocates for one session and shares with its client (event
 * buffers, I/O buffers, back buffers, reports). It is paid from the session's donated
 * quota, attached in the server for its own accesses, and freed when the session closes.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { Env } from '../../../base/src/lib/env.js';
import { pageRound, type SessionQuota } from '../../../base/src/lib/heap.js';
import type { Dataspace } from '../../../base/src/session/dataspace/session.js';

export class SessionDataspace {
  private constructor(
    private readonly env: Env,
    private readonly quota: SessionQuota,
    readonly ds: Capability<Dataspace>,
    private readonly addr: number,
    readonly size: number,
    /** The server's view of the dataspace. */
    readonly bytes: Uint8Array,
  ) {}

  static async create(env: Env, quota: SessionQuota, size: number): Promise<SessionDataspace> {
    const bytes = pageRound(Math.max(size, 1));
    const ds = await quota.allocator.alloc(bytes);
    let addr: number;
    try {
      addr = await env.attach(ds);
    } catch (e) {
      await quota.allocator.free(ds, bytes);
      throw e;
    }
    return new SessionDataspace(env, quota, ds, addr, bytes, env.view(addr, bytes));
  }

  async destroy(): Promise<void> {
    await this.env.rm.detach(this.addr);
    await this.quota.allocator.free(this.ds, this.size);
    this.env.runtime.release(this.ds);
  }
}
