/* test-churn_server: sessions that cost it nothing of its own, and a view of its accounts. */
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { ChurnSession } from './session.js';

class ChurnRoot extends RootComponent<ChurnSession> {
  protected async createSession(_ctx: SessionContext): Promise<ChurnSession> {
    const env = this.env;
    return {
      serverQuota: () => env.pd.quota(),
      capSpace: async () => env.runtime.capSpaceInUse?.() ?? -1,
      sessions: async () => this.sessionCount,
    };
  }
}

export async function construct(env: Env): Promise<void> {
  await new ChurnRoot(env, ChurnSession, ChurnSession.service).announce();
}
