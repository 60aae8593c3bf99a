/* test-malformed_server: the target of the hostile client; answers what it can decode. */
import type { Capability } from '../../capability.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { MalformedTarget } from './session.js';

class TargetRoot extends RootComponent<MalformedTarget> {
  protected async createSession(_ctx: SessionContext): Promise<MalformedTarget> {
    const env = this.env;
    return {
      echo: async (text: string) => text,
      add: async (a: number, b: number) => a + b,
      not: async (v: boolean) => !v,
      count: async (v: number[]) => v.length,
      take: async (c: Capability<unknown>) => c.valid,
      stats: async () => {
        const q = await env.pd.quota();
        return { capSpace: env.runtime.capSpaceInUse?.() ?? -1, ramUsed: q.ramUsed, capUsed: q.capUsed, sessions: this.sessionCount };
      },
    };
  }
}

export async function construct(env: Env): Promise<void> {
  await new TargetRoot(env, MalformedTarget, MalformedTarget.service).announce();
}
