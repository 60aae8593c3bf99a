/* test-quota_server: every session's state comes from the quota its client donated. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { LogSession } from '../../session/log/session.js';
import { QuotaTestSession } from './session.js';

class QuotaRoot extends RootComponent<QuotaTestSession> {
  protected async createSession(ctx: SessionContext): Promise<QuotaTestSession> {
    return {
      grow: async (bytes: number) => {
        await ctx.heap.alloc(bytes);
      },
      serverQuota: () => this.env.pd.quota(),
      sessions: async () => this.sessionCount,
    };
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  await new QuotaRoot(env, QuotaTestSession, 'Quota_test').announce();
  await log.session.write('Quota_test service announced');
}
