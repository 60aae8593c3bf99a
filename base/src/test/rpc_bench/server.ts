/* test-rpc_bench_server: serves null calls. */
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import type { Server } from '../../rpc/interface.js';
import { BenchSession } from './session.js';

class BenchRoot extends RootComponent<BenchSession> {
  protected async createSession(_ctx: SessionContext): Promise<Server<BenchSession>> {
    /* answered right away: the benchmark measures the IPC path, not a server's promise */
    return { nullCall: () => {} };
  }
}

export async function construct(env: Env): Promise<void> {
  await new BenchRoot(env, BenchSession, 'Bench').announce();
}
