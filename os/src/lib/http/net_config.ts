/*
 * A component's TCP/IP stack from its config: a NIC session (label "nic"), the Timer-driven
 * clock, and either a static address or DHCP.
 *   <interface address="10.0.2.55" netmask="255.255.255.0" gateway="10.0.2.1"/>   (static)
 *   no <interface>, or <interface dhcp="yes"/>                                    (DHCP)
 */
import type { Env } from '../../../../base/src/lib/env.js';
import type { XmlNode } from '../../../../base/src/util/xml_node.js';
import { NicLink } from '../../session/nic/nic_link.js';
import type { InterfaceConfig } from '../net/socket.js';
import { IpStack } from '../net/stack.js';
import { TimerClock } from '../net/timer_clock.js';

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function address(n: XmlNode, name: string): string {
  const v = n.attr(name);
  const m = DOTTED.exec(v);
  if (!m || m.slice(1).some((p) => Number(p) > 255)) throw n.error(`${name}="${v}" is not an IPv4 address`);
  return v;
}

/** The static interface config of `config`, undefined for DHCP; throws naming a bad attribute. */
export function interfaceConfig(config: XmlNode): InterfaceConfig | undefined {
  const n = config.child('interface');
  if (!n || n.boolAttr('dhcp', false)) return undefined;
  const c: InterfaceConfig = { address: address(n, 'address'), netmask: n.hasAttr('netmask') ? address(n, 'netmask') : '255.255.255.0' };
  if (n.hasAttr('gateway')) c.gateway = address(n, 'gateway');
  return c;
}

export async function openStack(env: Env, config: XmlNode, onDrop?: (reason: string) => void): Promise<IpStack> {
  const staticConfig = interfaceConfig(config);
  const link = await NicLink.open(env, { label: 'nic' });
  const clock = await TimerClock.open(env);
  return new IpStack(link, clock, { static: staticConfig, onDrop });
}
