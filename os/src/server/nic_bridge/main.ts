/*
 * nic_bridge (Genode's os/src/server/nic_bridge): a NIC client of the uplink (nic_drv or
 * another NIC server) and a NIC server for any number of clients, each with its own
 * virtual MAC. The forwarding is bridge.ts; this is the glue to the NIC sessions.
 *
 *   <config mac="02:02:02:02:02:00" verbose="no">
 *     <policy label_prefix="http_server" ip_addr="10.0.2.55"/>
 *     <policy label="fixed" mac="02:02:02:01:23:45"/>
 *   </config>
 *
 * `mac`: the base of the client MACs (the last byte enumerates clients). A policy may give a
 * client a static IPv4 address and/or a fixed MAC outside the enumerated range; clients
 * without a policy get an enumerated MAC and their address from DHCP or their ARP packets.
 * Each session's buffers are paid from the client's own quota (NicSessionComponent).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { SessionPolicies } from '../../lib/session_policy.js';
import { NicLink } from '../../session/nic/nic_link.js';
import { NicRoot } from '../../session/nic/root.js';
import { MacAllocator, NicBridge } from './bridge.js';
import { ipv4ToString, macToString, parseIpv4, parseMac } from './frames.js';

interface ClientPolicy { ip?: number; mac?: Uint8Array }

const DEFAULT_MAC = '02:02:02:02:02:00';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let base: Uint8Array;
  let verbose: boolean;
  let policies: SessionPolicies<ClientPolicy>;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of nic_bridge');
    const macText = c.attr('mac', DEFAULT_MAC);
    const mac = parseMac(macText);
    if (!mac) throw c.error(`mac="${macText}" is not a MAC address`);
    base = mac;
    verbose = c.boolAttr('verbose', false);
    policies = SessionPolicies.parse(c, (n, what) => {
      const p: ClientPolicy = {};
      if (n.hasAttr('ip_addr')) {
        const ip = parseIpv4(n.attr('ip_addr'));
        if (ip === undefined || ip === 0) throw n.error(`${what}: ip_addr="${n.attr('ip_addr')}" is not an IPv4 address`);
        p.ip = ip;
      }
      if (n.hasAttr('mac')) {
        const m = parseMac(n.attr('mac'));
        if (!m || (m[0] & 1)) throw n.error(`${what}: mac="${n.attr('mac')}" is not a unicast MAC address`);
        p.mac = m;
      }
      return p;
    });
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }

  let uplink: NicLink;
  try {
    uplink = await NicLink.open(env, { label: 'uplink' });
  } catch (e) {
    await log(`Error: no uplink NIC session: ${describeError(e)}`);
    return env.exit(1);
  }
  const lines: string[] = [];
  let flushing = false;
  /* bridge.ts logs synchronously; the log session is asynchronous: keep the order */
  const bridgeLog = (line: string) => {
    lines.push(line);
    if (flushing) return;
    flushing = true;
    void (async () => {
      while (lines.length) await log(lines.shift()!);
      flushing = false;
    })();
  };
  const bridge = new NicBridge(uplink, { log: bridgeLog, verbose });
  const macs = new MacAllocator(base);

  const root = new NicRoot(env, log, (ctx, session) => {
    const policy = policies.select(ctx.label) ?? {};
    if (policy.mac && macs.inRange(policy.mac)) {
      throw new Error(`nic_bridge: policy MAC ${macToString(policy.mac)} of "${ctx.label}" lies in the range allocated from ${macToString(base)}`);
    }
    const mac = policy.mac ?? macs.alloc();
    if (!mac) throw new Error(`nic_bridge: no MAC left for "${ctx.label}" (256 clients)`);
    let client;
    try {
      client = bridge.attach({
        label: ctx.label,
        mac,
        ip: policy.ip,
        deliver: (frame) => session.deliverWait(frame),
        linkState: (up) => session.setLinkState(up),
      });
    } catch (e) {
      if (!policy.mac) macs.free(mac);
      throw e;
    }
    session.setLinkState(uplink.up);
    bridgeLog(`session "${ctx.label}": vmac ${macToString(mac)}${policy.ip !== undefined ? ` ip ${ipv4ToString(policy.ip)}` : ''}`);
    return {
      mac,
      transmit: (frame) => client.fromClient(frame),
      closed: () => {
        client.detach();
        if (!policy.mac) macs.free(mac);
        if (verbose) bridgeLog(`session "${ctx.label}" closed`);
      },
    };
  });
  await root.announce();
  await log(`nic_bridge ready: uplink MAC ${macToString(uplink.mac)}, link ${uplink.up ? 'up' : 'down'}`);
}
