/*
 * The common start of the network test components: a NIC session as the link, a Timer
 * session as the clock and an IpStack on them, configured from the component's config:
 *   <config address="10.0.2.1" netmask="255.255.255.0" gateway="10.0.2.254"/>   static
 *   <config dhcp="yes"/>                                                            DHCP
 */
import type { Env } from '../../../../base/src/lib/env.js';
import type { XmlNode } from '../../../../base/src/util/xml_node.js';
import { IpStack } from '../../lib/net/stack.js';
import { TimerClock } from '../../lib/net/timer_clock.js';
import { NicLink } from '../../session/nic/nic_link.js';

export async function openStack(env: Env, c: XmlNode, log: (line: string) => Promise<void>): Promise<IpStack> {
  const link = await NicLink.open(env, { label: 'net' });
  const clock = await TimerClock.open(env);
  if (!link.up) await new Promise<void>((up) => link.onLinkState((u) => { if (u) up(); }));
  let dropped = 0;
  const onDrop = (reason: string): void => {
    // Bad frames are logged, the first few only, so a flood cannot flood the log.
    if (++dropped <= 3) void log(`dropped frame: ${reason}`);
  };
  const stack = c.boolAttr('dhcp', false)
    ? new IpStack(link, clock, { onDrop })
    : new IpStack(link, clock, {
      onDrop,
      static: {
        address: c.attr('address'),
        netmask: c.attr('netmask', '255.255.255.0'),
        ...(c.hasAttr('gateway') ? { gateway: c.attr('gateway') } : {}),
      },
    });
  const cfg = await stack.configured();
  await log(`${cfg.address}/${cfg.netmask}${cfg.gateway ? ` via ${cfg.gateway}` : ''}`);
  return stack;
}
