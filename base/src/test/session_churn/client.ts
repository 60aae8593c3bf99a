/*
 * test-churn_client: opens and closes sessions by the thousand, at a sibling server (every
 * tenth one upgraded once) and at core (LOG), through the init in between. Afterwards its
 * own account, the server's and init's, and the capability spaces of the client and the
 * server must be exactly what they were before.
 */
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import type { Quota } from '../../session/pd/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { InitDriver } from '../init_driver/connection.js';
import { ChurnSession } from './session.js';

const show = (q: Quota) => `RAM ${q.ramUsed}/${q.ramQuota}, caps ${q.capUsed}/${q.capQuota}`;
const same = (a: Quota, b: Quota) => a.ramUsed === b.ramUsed && a.ramQuota === b.ramQuota && a.capUsed === b.capUsed && a.capQuota === b.capQuota;
const space = (n: number) => (n < 0 ? 'none' : String(n));

interface Snapshot { client: Quota; clientSpace: number; server: Quota; serverSpace: number; sessions: number }

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-churn_client');
  const cycles = config.numberAttr('cycles', 1000);
  /* cycles before the first checkpoint: what is set up once (heap chunks, receive windows) is in place */
  const warmup = Math.max(1, config.numberAttr('warmup', 1));
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const observer = (await Connection.open(env, ChurnSession, { label: 'observer' })).session;
  const driver = await InitDriver.open(env);

  const atServer = async (i: number) => {
    const c = await Connection.open(env, ChurnSession, { label: 'churn' });
    if (i % 10 === 0) await c.upgrade(4096, 1);
    await c.close();
  };
  const atCore = async () => {
    const c = await Connection.open(env, LogSession, { label: 'churn' });
    await c.close();
  };
  const snapshot = async (): Promise<Snapshot> => ({
    client: await env.pd.quota(),
    clientSpace: env.runtime.capSpaceInUse?.() ?? -1,
    server: await observer.serverQuota(),
    serverSpace: await observer.capSpace(),
    sessions: await observer.sessions(),
  });
  const describe = (s: Snapshot, init: string) =>
    `client ${show(s.client)}, capability space ${space(s.clientSpace)}; server ${show(s.server)}, capability space ${space(s.serverSpace)}, ${s.sessions} session(s); init ${init}`;

  for (let i = 0; i < warmup; i++) await atServer(i);
  for (let i = 0; i < warmup; i++) await atCore();
  const before = await snapshot();
  const initBefore = await driver.checkpoint('before');
  await say(`before: ${describe(before, initBefore)}`);

  for (let i = 0; i < cycles; i++) await atServer(i);
  await say(`${cycles} open/close cycles at the server done`);
  for (let i = 0; i < cycles; i++) await atCore();
  await say(`${cycles} open/close cycles at core (LOG) done`);

  const after = await snapshot();
  const initAfter = await driver.checkpoint('after');
  await say(`after: ${describe(after, initAfter)}`);

  let ok = true;
  const expect = async (what: string, cond: boolean) => {
    ok &&= cond;
    await say(`${what}: ${cond ? 'ok' : 'Error: changed'}`);
  };
  await expect('client account', same(before.client, after.client));
  await expect('server account', same(before.server, after.server) && after.sessions === before.sessions);
  await expect('init account', initBefore === initAfter);
  await expect('client capability space', before.clientSpace === after.clientSpace);
  await expect('server capability space', before.serverSpace === after.serverSpace);
  await say(ok ? 'session churn succeeded' : 'Error: session churn lost resources');
  await env.exit(ok ? 0 : 1);
}
