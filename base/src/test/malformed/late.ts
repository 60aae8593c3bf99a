/* test-malformed_late: started by init after the attack; sessions and capabilities still work. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import { MalformedTarget } from './session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const target = await Connection.open(env, MalformedTarget);
  const handler = await env.signalHandler(() => {});
  const echoed = await target.session.echo('late');
  const arrived = await target.session.take(handler.cap);
  await target.close();
  const ok = echoed === 'late' && arrived;
  await log.session.write(ok ? 'late child works: session opened, capability arrived' : `Error: late child: echo "${echoed}", capability arrived: ${arrived}`);
  await env.exit(ok ? 0 : 1);
}
