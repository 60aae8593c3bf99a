/* test-rpc_bench_server: serves null calls. */
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { BenchSession } from './session.js';

class BenchRoot extends RootComponent<BenchSession> {
  protected async createSession(_ctx: SessionContext): Promise<BenchSession> {
    return { nullCall: async () => {} };
  }
}

export async function construct(env: Env): Promise<void> {
  await new BenchRoot(env, BenchSession, 'Bench').announce();
}
