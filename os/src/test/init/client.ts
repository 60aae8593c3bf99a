/*
 * test-init_client: makes the session requests its config lists and checks where each
 * ended up: <request service="Echo" label="x" expect="server_a: test-init_client -> x"/>
 * or expect="denied".
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { EchoSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-init_client');
  const log = await Connection.open(env, LogSession);
  let failures = 0;
  for (const r of config.children('request')) {
    const service = r.attr('service');
    const label = r.attr('label', '');
    const expect = r.attr('expect');
    let got: string;
    try {
      const c = await Connection.open(env, EchoSession, { label, service });
      got = await c.session.whoami();
      await c.close();
    } catch (e) {
      got = e instanceof ServiceDenied ? 'denied' : `${(e as Error).name}: ${(e as Error).message}`;
    }
    const ok = got === expect;
    if (!ok) failures++;
    await log.session.write(`${service} "${label}" -> ${got}${ok ? '' : ` -- Error: expected ${expect}`}`);
  }
  await log.session.write(failures ? `Error: ${failures} routing checks failed` : '--- init routing test finished ---');
  await env.exit(failures ? 1 : 0);
}
