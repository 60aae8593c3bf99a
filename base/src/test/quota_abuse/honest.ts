/*
 * test-quota_abuse_honest: the hostile client's sibling. It opens, uses and closes sessions
 * at the test server and at core for as long as the hostile one attacks, and checks that
 * each succeeded and that its quota comes back exactly.
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import type { Quota } from '../../session/pd/session.js';
import { RmSession } from '../../session/rm/session.js';
import { AbuseTestSession, Stage } from './session.js';

const show = (q: Quota) => `RAM ${q.ramUsed}/${q.ramQuota}, caps ${q.capUsed}/${q.capQuota}`;
const same = (a: Quota, b: Quota) => JSON.stringify(a) === JSON.stringify(b);

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const referee = (await Connection.open(env, AbuseTestSession, { label: 'referee' })).session;
  const before = await env.pd.quota();
  let cycles = 0;
  let whileHeld = 0;
  let failed = 0;
  let firstFailure = '';
  /* set up: the hostile client takes its "before" figures only now */
  await referee.tick();
  let stage = await referee.stage();
  while (stage < Stage.ATTACK) stage = await referee.stage();
  for (; stage < Stage.ATTACK_DONE; stage = await referee.stage()) {
    const held = stage === Stage.FLOOD_HELD;
    try {
      const s = await Connection.open(env, AbuseTestSession, { label: 'honest' });
      await s.session.grow(4096);
      await s.close();
      const rm = await Connection.open(env, RmSession, { label: 'honest' });
      await rm.close();
      cycles++;
      if (held) whileHeld++;
    } catch (e) {
      failed++;
      firstFailure ||= `${(e as Error).name}: ${(e as Error).message}`;
    }
    await referee.tick();
  }
  await referee.advance(Stage.HONEST_DONE);
  const after = await env.pd.quota();
  const ok = failed === 0 && whileHeld > 0 && same(before, after);
  /* how many cycles fit beside the attack varies with real time on linux, so only their success is printed */
  await log.session.write(`${ok ? 'honest sibling kept getting sessions' : 'Error: honest sibling was hindered'}: ${failed} of its session cycles failed${failed ? ` (${firstFailure.slice(0, 120)})` : ''}, some ran while the hostile child held its flood: ${whileHeld > 0}`);
  await log.session.write(`honest sibling quota before ${show(before)}, after ${show(after)}: ${same(before, after) ? 'unchanged' : 'Error: changed'}`);
  await env.exit(ok ? 0 : 1);
}
