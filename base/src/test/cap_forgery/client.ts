/* test-cap_client: a legitimate client; a revoked capability no longer works. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import { SECRET, Target, VictimSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const victim = (await Connection.open(env, VictimSession)).session;
  const target = env.rpc(Target, await victim.target());
  await log.session.write(`granted capability works: ${(await target.secret()) === SECRET}`);
  await victim.revoke();
  try {
    await target.secret();
    await log.session.write('Error: a revoked capability still works');
  } catch (e) {
    await log.session.write(`revoked capability refused (${(e as Error).name})`);
  }
  await env.exit(0);
}
