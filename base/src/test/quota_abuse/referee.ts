/* The clients' side of the referee: wait for a condition on its state without polling. */
import type { Client, Env } from '../../lib/env.js';
import type { AbuseTestSession } from './session.js';

/** Returns `until(cond)`, which resolves once `cond` holds, rechecked whenever the referee signals a change. */
export async function watchReferee(env: Env, referee: Client<AbuseTestSession>): Promise<(cond: () => Promise<boolean>) => Promise<void>> {
  let wake = () => {};
  const handler = await env.signalHandler(() => wake());
  await referee.watch(handler.cap);
  return async (cond) => {
    for (;;) {
      /* armed before the check, so a change between check and wait is not missed */
      const changed = new Promise<void>((r) => (wake = r));
      if (await cond()) return;
      await changed;
    }
  };
}
