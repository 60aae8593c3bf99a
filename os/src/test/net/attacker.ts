/*
 * test-net_attacker: a hostile host on the wire for the `net_hostile` scenario. It resolves
 * the victim's MAC by ARP like anyone, then sends what no stack should choke on: frames
 * too short for their headers, IPv4 with bad header checksums, lengths past the frame,
 * fragments, ICMP/UDP/TCP with bad checksums, TCP with data offsets out of range and
 * bogus options, and finally a SYN flood from random ports that never completes a
 * handshake. The victim has to keep serving its genuine client meanwhile.
 *   <config address="10.0.2.66" victim="10.0.2.2" port="7" syns="3000" seed="5"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { ARP_REPLY, ARP_REQUEST, buildArp, parseArp } from '../../lib/net/arp.js';
import { finish, pseudoHeaderSum, sumWords } from '../../lib/net/checksum.js';
import { BROADCAST_MAC, buildEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from '../../lib/net/ethernet.js';
import { buildIcmpEcho, ICMP_ECHO_REQUEST } from '../../lib/net/icmp.js';
import { buildIpv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../lib/net/ipv4.js';
import { parseAddress } from '../../lib/net/ipv4_address.js';
import { SYN } from '../../lib/net/tcp/segment.js';
import { buildUdp } from '../../lib/net/udp.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { NicLink } from '../../session/nic/nic_link.js';

/** A TCP header with raw option bytes and a correct checksum (the options are the attack). */
function rawTcp(src: number, dst: number, srcPort: number, dstPort: number, seq: number, options: number[], dataOffset?: number): Uint8Array {
  const optLen = (options.length + 3) & ~3;
  const d = new Uint8Array(20 + optLen);
  const v = new DataView(d.buffer);
  v.setUint16(0, srcPort);
  v.setUint16(2, dstPort);
  v.setUint32(4, seq >>> 0);
  d[12] = (dataOffset ?? (20 + optLen) / 4) << 4;
  d[13] = SYN;
  v.setUint16(14, 65535);
  d.set(options, 20);
  v.setUint16(16, finish(sumWords(d, pseudoHeaderSum(src, dst, PROTO_TCP, d.length))));
  return d;
}

/** mulberry32: a seeded PRNG (no Math.random in components). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const me = parseAddress(c.attr('address'));
    const victim = parseAddress(c.attr('victim'));
    const port = c.numberAttr('port', 7, 65535);
    const syns = c.numberAttr('syns', 3000, 1_000_000);
    const rng = prng(c.numberAttr('seed', 5, 0xffffffff));
    const link = await NicLink.open(env, { label: 'net' });
    const timer = await TimerConnection.open(env, { label: 'attacker' });
    if (!link.up) await new Promise<void>((up) => link.onLinkState((u) => { if (u) up(); }));

    let victimMac: Uint8Array | undefined;
    link.onFrame((f) => {
      const eth = parseEthernet(f);
      if (typeof eth === 'string' || eth.type !== ETHERTYPE_ARP) return;
      const a = parseArp(eth.payload);
      if (typeof a !== 'string' && a.op === ARP_REPLY && a.senderIp === victim) victimMac = a.senderMac;
    });
    for (let i = 0; i < 10 && !victimMac; i++) {
      await link.send(buildEthernet(BROADCAST_MAC, link.mac, ETHERTYPE_ARP, buildArp(ARP_REQUEST, link.mac, me, new Uint8Array(6), victim)));
      await timer.msleep(100);
    }
    if (!victimMac) throw new Error('the victim does not answer ARP');
    const dst = victimMac;
    let sent = 0;
    const send = async (ipPacket: Uint8Array): Promise<void> => {
      if (await link.send(buildEthernet(dst, link.mac, ETHERTYPE_IPV4, ipPacket))) sent++;
    };
    const ip = (proto: number, payload: Uint8Array, src = me): Uint8Array => buildIpv4(src, victim, proto, sent & 0xffff, payload);

    // Malformed and truncated headers, bad checksums, fragments.
    const echo = ip(PROTO_ICMP, buildIcmpEcho(ICMP_ECHO_REQUEST, 1, 1, new Uint8Array(32)));
    await send(echo.subarray(0, 10));
    await send(echo.subarray(0, 24));
    const badIpSum = echo.slice(); badIpSum[10]! ^= 0x55; await send(badIpSum);
    const badIcmpSum = echo.slice(); badIcmpSum[echo.length - 1]! ^= 0x55; await send(badIcmpSum);
    const lenPast = echo.slice(); lenPast[0] = 0x4f; await send(lenPast);
    const frag = ip(PROTO_UDP, buildUdp(me, victim, 9, 9, new Uint8Array(16)));
    frag[6] = 0x20; frag[10] = 0; frag[11] = 0;
    const fs = finish(sumWords(frag.subarray(0, 20))); frag[10] = fs >> 8; frag[11] = fs & 0xff;
    await send(frag);
    const badUdp = buildUdp(me, victim, 9, 9, new Uint8Array(16)); badUdp[4] = 0xff; await send(ip(PROTO_UDP, badUdp));
    await send(ip(PROTO_TCP, new Uint8Array(7)));
    await send(ip(PROTO_TCP, rawTcp(me, victim, 1000, port, 1, [], 15)));
    await send(ip(PROTO_TCP, rawTcp(me, victim, 1001, port, 1, [], 3)));
    const badTcpSum = rawTcp(me, victim, 1002, port, 1, []); badTcpSum[16]! ^= 1; await send(ip(PROTO_TCP, badTcpSum));
    // Bogus options on otherwise valid SYNs.
    for (const options of [[2, 0], [2, 255, 1, 1], [2, 4, 0, 0], [3, 3, 200, 4, 2], [99, 2, 8, 1], [8, 3, 1, 1, 1, 1]]) {
      await send(ip(PROTO_TCP, rawTcp(me, victim, 2000 + sent, port, Math.floor(rng() * 2 ** 32), options)));
    }
    for (let i = 0; i < 50; i++) {
      const len = 1 + Math.floor(rng() * 200);
      await send(new Uint8Array(len).map(() => Math.floor(rng() * 256)));
    }
    const malformed = sent;
    await log(`sent ${malformed} malformed frames`);

    // The SYN flood: the handshakes are never completed.
    for (let i = 0; i < syns; i++) {
      await send(ip(PROTO_TCP, rawTcp(me, victim, 1024 + Math.floor(rng() * 60000), port, Math.floor(rng() * 2 ** 32), [2, 4, 5, 180])));
    }
    await log(`sent ${sent - malformed} SYNs`);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
