/*
 * test-quota_client: session quota is donated, charged to the server's session heap,
 * upgraded on demand and returned exactly when the session closes; a client that donates
 * too little is refused and the server spends nothing of its own.
 */
import { InsufficientRamQuota, OutOfRam } from '../../errors.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import type { Quota } from '../../session/pd/session.js';
import { QuotaTestSession } from './session.js';

const CYCLES = 1000;

const show = (q: Quota) => `RAM ${q.ramUsed}/${q.ramQuota}, caps ${q.capUsed}/${q.capQuota}`;
const same = (a: Quota, b: Quota) => JSON.stringify(a) === JSON.stringify(b);

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  let ok = true;
  const expect = async (what: string, cond: boolean, detail = '') => {
    ok &&= cond;
    await say(`${what}: ${cond ? 'ok' : 'Error: failed'}${detail ? ` (${detail})` : ''}`);
  };

  /* an observer session, to look at the server's own quota */
  const observer = (await Connection.open(env, QuotaTestSession, { label: 'observer' })).session;

  /* too little quota: refused, nobody pays */
  let mine = await env.pd.quota();
  let server = await observer.serverQuota();
  try {
    await Connection.open(env, QuotaTestSession, { label: 'stingy', ramQuota: 2048, retries: 0 });
    await expect('stingy session refused', false);
  } catch (e) {
    await expect('stingy session refused', e instanceof InsufficientRamQuota, (e as Error).message);
  }
  await expect('client quota unchanged after refusal', same(mine, await env.pd.quota()));
  await expect('server spent nothing of its own', same(server, await observer.serverQuota()), show(server));

  /* the connection helper retries with more quota */
  const retried = await Connection.open(env, QuotaTestSession, { label: 'retried', ramQuota: 2048 });
  await expect('open retried with more quota', retried.ramQuota > 2048, `ram_quota=${retried.ramQuota}`);
  await retried.close();

  /* running out of session quota, then upgrading */
  const conn = await Connection.open(env, QuotaTestSession, { label: 'growing' });
  try {
    await conn.session.grow(64 * 1024);
    await expect('growing beyond the donation fails', false);
  } catch (e) {
    await expect('growing beyond the donation fails', e instanceof OutOfRam);
  }
  await conn.retryWithUpgrade(() => conn.session.grow(64 * 1024), 32 * 1024, 2);
  await expect('upgrade made room', conn.ramQuota > QuotaTestSession.RAM_QUOTA, `ram_quota=${conn.ramQuota}`);
  await conn.close();

  /* open/close cycles return every byte and capability */
  mine = await env.pd.quota();
  server = await observer.serverQuota();
  for (let i = 0; i < CYCLES; i++) {
    const c = await Connection.open(env, QuotaTestSession, { label: 'cycle' });
    await c.session.grow(4096);
    await c.close();
  }
  const mineAfter = await env.pd.quota();
  const serverAfter = await observer.serverQuota();
  await expect(`client quota after ${CYCLES} open/close cycles`, same(mine, mineAfter), `${show(mine)} -> ${show(mineAfter)}`);
  await expect(`server quota after ${CYCLES} open/close cycles`, same(server, serverAfter), `${show(server)} -> ${show(serverAfter)}`);
  await expect('server has only the observer session', (await observer.sessions()) === 1);

  await say(ok ? 'quota test succeeded' : 'Error: quota test failed');
  await env.exit(ok ? 0 : 1);
}
