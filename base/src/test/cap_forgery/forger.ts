/*
 * test-cap_forger: has no route to the victim, guesses capability names and calls them as
 * Target objects. Where the kernel protects capabilities, no guess reaches the victim; on a
 * kernel that does not (OKL4), some do, and the test reports that documented difference.
 */
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { SECRET, Target } from './session.js';

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-cap_forger');
  const guesses = config.numberAttr('guesses', 4096);
  const log = await Connection.open(env, LogSession);
  let reached = 0;
  let refused = 0;
  for (let i = 0; i < guesses; i++) {
    const target = env.rpc(Target, env.runtime.forge(i) as never);
    try {
      if ((await target.secret()) === SECRET) reached++;
    } catch {
      refused++;
    }
  }
  const summary = `${reached} of ${guesses} forged capabilities reached the victim (${refused} refused)`;
  if (env.runtime.capabilitiesProtected) {
    await log.session.write(reached === 0 ? `${summary}: capabilities are protected` : `Error: ${summary}`);
  } else {
    await log.session.write(reached > 0
      ? `${summary}: documented difference, kernel "${env.kernel}" does not protect capabilities`
      : `Error: ${summary}, although kernel "${env.kernel}" is documented not to protect capabilities`);
  }
  await log.session.write('--- cap_forgery finished ---');
  await env.exit(0);
}
