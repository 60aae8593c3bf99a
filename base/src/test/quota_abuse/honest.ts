/*
 * test-quota_abuse_honest: the hostile client's sibling. While the hostile one attacks, and
 * while it holds its flood of uncollected session requests, it opens, uses and closes
 * sessions at the test server and at core, and checks that each succeeded and that its
 * quota comes back exactly.
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import type { Quota } from '../../session/pd/session.js';
import { RmSession } from '../../session/rm/session.js';
import { watchReferee } from './referee.js';
import { AbuseTestSession, HONEST_CYCLES, Stage } from './session.js';

const show = (q: Quota) => `RAM ${q.ramUsed}/${q.ramQuota}, caps ${q.capUsed}/${q.capQuota}`;
const same = (a: Quota, b: Quota) => JSON.stringify(a) === JSON.stringify(b);

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const referee = (await Connection.open(env, AbuseTestSession, { label: 'referee' })).session;
  const until = await watchReferee(env, referee);
  const stageAtLeast = (s: Stage) => until(async () => (await referee.stage()) >= s);
  const before = await env.pd.quota();

  let failed = 0;
  let firstFailure = '';
  /** One session cycle at the test server and one at core; false if any step failed. */
  const cycle = async (): Promise<boolean> => {
    try {
      const s = await Connection.open(env, AbuseTestSession, { label: 'honest' });
      await s.session.grow(4096);
      await s.close();
      const rm = await Connection.open(env, RmSession, { label: 'honest' });
      await rm.close();
      return true;
    } catch (e) {
      failed++;
      firstFailure ||= `${(e as Error).name}: ${(e as Error).message}`;
      return false;
    }
  };

  /* ready: the hostile client takes its "before" figures only now */
  await referee.tick();
  await stageAtLeast(Stage.ATTACK);
  let attacked = 0;
  for (let i = 0; i < HONEST_CYCLES; i++) if (await cycle()) attacked++;
  await stageAtLeast(Stage.FLOOD_HELD);
  let held = 0;
  for (let i = 0; i < HONEST_CYCLES; i++) {
    if (await cycle()) held++;
    await referee.tick();
  }
  await stageAtLeast(Stage.ATTACK_DONE);
  await referee.advance(Stage.HONEST_DONE);

  const after = await env.pd.quota();
  const ok = failed === 0 && same(before, after);
  await log.session.write(`${ok ? 'honest sibling kept getting sessions' : 'Error: honest sibling was hindered'}: ${attacked} of ${HONEST_CYCLES} session cycles during the attacks, ${held} of ${HONEST_CYCLES} while the hostile child held its flood${failed ? ` (${firstFailure.slice(0, 100)})` : ''}`);
  await log.session.write(`${same(before, after) ? '' : 'Error: '}honest sibling quota before ${show(before)}, after ${show(after)}: ${same(before, after) ? 'unchanged' : 'changed'}`);
  await env.exit(ok ? 0 : 1);
}
