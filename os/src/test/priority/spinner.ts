/*
 * test-priority_spinner: computes in long bursts (`burst` loop iterations, each a metered
 * tick of CPU time), and between bursts only tells the log how far it got. It never
 * waits for anything else, so whoever shares the CPU with it depends on the kernel's
 * scheduler to get a turn.
 *
 *   <config bursts="30" burst="2000000"/>
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openLog } from '../../lib/log.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-priority_spinner');
  const bursts = config.numberAttr('bursts');
  const burst = config.numberAttr('burst');
  const log = await openLog(env);
  let x = 1;
  for (let b = 1; b <= bursts; b++) {
    for (let i = 0; i < burst; i++) x = (Math.imul(x, 31) + i) | 0;
    if (b % 10 === 0) await log(`${b} bursts done (${x & 0xff})`);
    else await env.pd.quota();
  }
  await log(`all ${bursts} bursts done`);
  await env.exit(0);
}
