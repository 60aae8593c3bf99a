/*
 * test-quota_abuse_server: every session function allocates from the session's donated
 * quota, with the size its client asked for, as a real server would.
 */
import type { Capability } from '../../capability.js';
import type { Env } from '../../lib/env.js';
import { Heap } from '../../lib/heap.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import type { Quota } from '../../session/pd/session.js';
import type { SignalContext } from '../../session/signal/session.js';
import { AbuseTestSession } from './session.js';

/** What the hostile and the honest client agree on through the server. */
class Referee {
  stage = 0;
  ticks = 0;
  /** The signal each session registered (kept, released when replaced or the session closes). */
  readonly watchers = new Map<SessionContext, Capability<SignalContext>>();

  constructor(private readonly env: Env) {}

  changed(): void {
    for (const w of this.watchers.values()) void this.env.submit(w, 1);
  }
}

class AbuseRoot extends RootComponent<AbuseTestSession> {
  private readonly referee = new Referee(this.env);
  private readonly heaps = new Map<SessionContext, Heap>();

  protected async createSession(ctx: SessionContext): Promise<AbuseTestSession> {
    const heap = new Heap(ctx.quota.allocator, this.env, ctx.heap.owner);
    this.heaps.set(ctx, heap);
    const referee = this.referee;
    const budget = (): Quota => ({
      ramQuota: ctx.quota.ram.limit, ramUsed: ctx.quota.ram.used, capQuota: ctx.quota.caps.limit, capUsed: ctx.quota.caps.used,
    });
    return {
      grow: async (bytes) => { await ctx.heap.alloc(bytes); },
      carve: async (bytes) => { await heap.alloc(bytes); },
      serverQuota: () => this.ownQuota(),
      sessionQuota: async () => budget(),
      stage: async () => referee.stage,
      advance: async (stage) => {
        referee.stage = Math.max(referee.stage, stage);
        referee.changed();
      },
      tick: async () => {
        referee.changed();
        return ++referee.ticks;
      },
      ticks: async () => referee.ticks,
      watch: async (sigh) => {
        const old = referee.watchers.get(ctx);
        referee.watchers.set(ctx, sigh);
        if (old) this.env.ep.release(old);
      },
    };
  }

  /** The PD's quota without what the open sessions' budgets hold (their clients' donations). */
  private async ownQuota(): Promise<Quota> {
    const q = await this.env.pd.quota();
    for (const ctx of this.heaps.keys()) {
      q.ramQuota -= ctx.quota.ram.limit;
      q.ramUsed -= ctx.quota.ram.used;
      q.capQuota -= ctx.quota.caps.limit;
      q.capUsed -= ctx.quota.caps.used;
    }
    return q;
  }

  protected override async destroySession(_session: AbuseTestSession, ctx: SessionContext): Promise<void> {
    await this.heaps.get(ctx)?.destroy();
    this.heaps.delete(ctx);
    const sigh = this.referee.watchers.get(ctx);
    this.referee.watchers.delete(ctx);
    if (sigh) this.env.ep.release(sigh);
  }
}

export async function construct(env: Env): Promise<void> {
  await new AbuseRoot(env, AbuseTestSession, 'Abuse_test').announce();
}
