/* test-cap_victim: hands out Target objects that know the secret, and revokes them on request. */
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { SECRET, Target, VictimSession } from './session.js';

class VictimRoot extends RootComponent<VictimSession> {
  protected async createSession(_ctx: SessionContext): Promise<VictimSession> {
    const env = this.env;
    const targets: object[] = [];
    return {
      target: async () => {
        const t = { secret: async () => SECRET };
        targets.push(t);
        return env.ep.manage(Target, t);
      },
      revoke: async () => {
        for (const t of targets.splice(0)) await env.ep.dissolve(t);
      },
    };
  }
}

export async function construct(env: Env): Promise<void> {
  await new VictimRoot(env, VictimSession, 'Victim').announce();
  /* a target nobody was given: forgers look for this one */
  await env.ep.manage(Target, { secret: async () => SECRET });
}
