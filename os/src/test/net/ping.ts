/*
 * test-net_ping: ICMP echo between two stacks.
 *   <config address="10.0.2.2" role="responder"/>   answers echo requests (the stack does), forever
 *   <config address="10.0.2.1" role="pinger" target="10.0.2.2" count="10" payload="56"/>
 * The pinger sends `count` echo requests one after the other and needs every reply.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { openStack } from './stack_setup.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const stack = await openStack(env, c, log);
    if (c.attr('role', 'responder') === 'responder') {
      await log('responder ready');
      return;
    }
    const target = c.attr('target');
    const count = c.numberAttr('count', 10, 10_000);
    const payload = c.numberAttr('payload', 56, 1472);
    let replies = 0;
    for (let seq = 1; seq <= count; seq++) {
      // The first request also waits for ARP; retry a few times before calling it lost.
      for (let attempt = 0; ; attempt++) {
        try {
          await stack.ping(target, { seq, payload, timeoutMs: 1000 });
          replies++;
          break;
        } catch (e) {
          if (attempt >= 2) throw e;
        }
      }
    }
    await log(`${replies} of ${count} echo replies from ${target} (${payload}-byte payload)`);
    const e = await stack.ping('10.0.2.99', { timeoutMs: 500 }).then(() => undefined, (err: unknown) => err);
    await log(`ping of an absent host: ${e ? describeError(e) : 'Error: answered'}`);
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
