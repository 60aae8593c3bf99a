/*
 * test-ds_ownership: a dataspace allocated through one PD session cannot be freed through
 * another (Genode's test-ds_ownership). The owner's quota stays charged and the memory
 * stays intact until the owner frees it.
 */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import { PdSession } from '../../session/pd/session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);

  const pd1 = await Connection.open(env, PdSession, { label: 'owner' });
  const pd2 = await Connection.open(env, PdSession, { label: 'other' });
  for (const pd of [pd1, pd2]) {
    await pd.session.refAccount(env.pd.cap);
    await env.pd.transferQuota(pd.cap, 64 * 1024);
    await env.pd.transferCapQuota(pd.cap, 4);
  }
  const ds = await pd1.session.alloc(4096);
  const before = await pd1.session.quota();
  const addr = await env.attach(ds);
  env.view(addr, 4).set([1, 2, 3, 4]);

  await pd2.session.free(ds);
  const after = await pd1.session.quota();
  const intact = env.view(addr, 4).join(',') === '1,2,3,4';
  await say(`after foreign free: owner RAM used ${after.ramUsed} (was ${before.ramUsed}), content ${intact ? 'intact' : 'lost'}`);

  await env.rm.detach(addr);
  await pd1.session.free(ds);
  const freed = await pd1.session.quota();
  await say(`after owner free: owner RAM used ${freed.ramUsed}`);
  const ok = after.ramUsed === before.ramUsed && before.ramUsed > 0 && intact && freed.ramUsed === 0;
  await say(ok ? 'test succeeded' : 'Error: test failed');
  await pd2.close();
  await pd1.close();
  await env.exit(ok ? 0 : 1);
}
