/*
 * Hostile input from the wire: malformed and truncated frames, bad checksums, fragments,
 * bogus TCP options and a SYN flood. The stack counts and drops, never throws, and keeps
 * serving the genuine peer.
 */
import test from 'ava';
import { finish, pseudoHeaderSum, sumWords } from '../../os/src/lib/net/checksum.js';
import { buildEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../os/src/lib/net/ethernet.js';
import { buildIcmpEcho, ICMP_ECHO_REQUEST } from '../../os/src/lib/net/icmp.js';
import { buildIpv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../os/src/lib/net/ipv4.js';
import { parseAddress } from '../../os/src/lib/net/ipv4_address.js';
import { IpStack } from '../../os/src/lib/net/stack.js';
import { ACK, SYN } from '../../os/src/lib/net/tcp/segment.js';
import { buildUdp } from '../../os/src/lib/net/udp.js';
import { FakeClock, settle } from './fake_clock.js';
import { mac, prng, wire, type MemoryLink } from './memory_link.js';

const A = parseAddress('10.0.0.1');
const B = parseAddress('10.0.0.2');
const EVIL = parseAddress('10.0.0.66');
const EVIL_MAC = mac(66);

function pair() {
  const clock = new FakeClock();
  const [la, lb] = wire(clock, { delayMs: 1 });
  const a = new IpStack(la, clock, { static: { address: '10.0.0.1', netmask: '255.255.255.0' } });
  const b = new IpStack(lb, clock, { static: { address: '10.0.0.2', netmask: '255.255.255.0' }, tcp: { synBacklog: 32 } });
  return { clock, la, lb, a, b };
}

/** A TCP segment with raw option bytes (padded to 32 bits) and a correct checksum. */
function rawTcp(src: number, dst: number, f: { srcPort: number; dstPort: number; seq: number; ack?: number; flags: number; options?: number[]; payload?: Uint8Array; dataOffset?: number }): Uint8Array {
  const opts = f.options ?? [];
  const optLen = (opts.length + 3) & ~3;
  const payload = f.payload ?? new Uint8Array(0);
  const d = new Uint8Array(20 + optLen + payload.length);
  const v = new DataView(d.buffer);
  v.setUint16(0, f.srcPort); v.setUint16(2, f.dstPort);
  v.setUint32(4, f.seq >>> 0); v.setUint32(8, (f.ack ?? 0) >>> 0);
  d[12] = (f.dataOffset ?? (20 + optLen) / 4) << 4;
  d[13] = f.flags;
  v.setUint16(14, 65535);
  d.set(opts, 20);
  d.set(payload, 20 + optLen);
  v.setUint16(16, finish(sumWords(d, pseudoHeaderSum(src, dst, PROTO_TCP, d.length))));
  return d;
}

function toB(lb: MemoryLink, src: number, proto: number, payload: Uint8Array): Uint8Array {
  return buildEthernet(lb.mac, EVIL_MAC, ETHERTYPE_IPV4, buildIpv4(src, B, proto, 1, payload));
}

/** Can a still reach b: ping and a TCP round trip. */
async function stillServing(t: { is: (a: unknown, b: unknown) => void; true: (v: boolean) => void }, clock: FakeClock, a: IpStack, b: IpStack, port: number): Promise<void> {
  t.true((await settle(clock, a.ping('10.0.0.2', { timeoutMs: 2000 }))) >= 0);
  const l = b.listen(port);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port }));
  const s = await settle(clock, accepted);
  await settle(clock, c.write(new Uint8Array([1, 2, 3])));
  t.is((await settle(clock, s.read())).length, 3);
  l.close();
}

test('malformed, truncated and corrupted frames are counted and dropped', async (t) => {
  const { clock, lb, a, b } = pair();
  const good = toB(lb, A, PROTO_ICMP, buildIcmpEcho(ICMP_ECHO_REQUEST, 1, 1, new Uint8Array(8)));
  const badIpChecksum = good.slice(); badIpChecksum[14 + 10] ^= 0xff;
  const badIcmpChecksum = good.slice(); badIcmpChecksum[good.length - 1] ^= 0xff;
  const ihlTooBig = good.slice(); ihlTooBig[14] = 0x4f;
  const totalTooBig = buildEthernet(lb.mac, EVIL_MAC, ETHERTYPE_IPV4, (() => {
    const p = buildIpv4(A, B, PROTO_UDP, 1, new Uint8Array(8));
    p[2] = 0x05; p[3] = 0xdc; // 1500, more than present (the checksum is then wrong too)
    return p;
  })());
  const fragment = buildEthernet(lb.mac, EVIL_MAC, ETHERTYPE_IPV4, (() => {
    const p = buildIpv4(A, B, PROTO_UDP, 1, buildUdp(A, B, 1, 2, new Uint8Array(4)));
    p[6] = 0x20; // more fragments
    p[10] = 0; p[11] = 0;
    const c = finish(sumWords(p.subarray(0, 20)));
    p[10] = c >> 8; p[11] = c & 0xff;
    return p;
  })());
  const udpLenBad = toB(lb, A, PROTO_UDP, (() => { const u = buildUdp(A, B, 1, 2, new Uint8Array(4)); u[4] = 0xff; return u; })());
  const tcpShort = toB(lb, A, PROTO_TCP, new Uint8Array(12));
  const tcpOffsetPast = toB(lb, A, PROTO_TCP, rawTcp(A, B, { srcPort: 1, dstPort: 80, seq: 1, flags: SYN, dataOffset: 15 }));
  const tcpOffsetSmall = toB(lb, A, PROTO_TCP, rawTcp(A, B, { srcPort: 1, dstPort: 80, seq: 1, flags: SYN, dataOffset: 2 }));
  const frames = [
    new Uint8Array(0), new Uint8Array(5), new Uint8Array(2000),
    good.subarray(0, 14), good.subarray(0, 20), good.subarray(0, 33),
    badIpChecksum, badIcmpChecksum, ihlTooBig, totalTooBig, fragment, udpLenBad, tcpShort, tcpOffsetPast, tcpOffsetSmall,
    buildEthernet(lb.mac, EVIL_MAC, ETHERTYPE_ARP, new Uint8Array(10)),
    buildEthernet(lb.mac, EVIL_MAC, ETHERTYPE_ARP, new Uint8Array(28).fill(0xff)),
    buildEthernet(lb.mac, EVIL_MAC, 0x86dd, new Uint8Array(40)),
  ];
  for (const f of frames) t.notThrows(() => lb.inject(f));
  t.is(b.stats.fragmentsDropped, 1);
  t.true(b.stats.checksumErrors >= 2);
  t.true(b.stats.malformed >= 8, `malformed ${b.stats.malformed}`);
  t.is(b.stats.icmpEchoReplies, 0);
  await stillServing(t, clock, a, b, 80);
});

test('bogus TCP options are tolerated: the handshake completes with the default MSS', async (t) => {
  const { clock, lb, a, b } = pair();
  b.listen(81);
  const bogus: number[][] = [
    [2, 0],                       // MSS with length 0
    [2, 255, 1, 1],               // length past the header
    [1, 1, 1, 1, 1, 1, 1],        // only NOPs
    [2, 4, 0, 0],                 // MSS 0
    [3, 3, 200, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0], // window scale 200, SACK-permitted, bad timestamp length
    [99, 2, 2, 4, 5, 180],        // unknown option, then a valid MSS 1460
    [0, 2, 4, 0, 1],              // end of options before an MSS
  ];
  let port = 40000;
  for (const options of bogus) {
    const frame = toB(lb, EVIL, PROTO_TCP, rawTcp(EVIL, B, { srcPort: port++, dstPort: 81, seq: 1000, flags: SYN, options }));
    t.notThrows(() => lb.inject(frame));
  }
  await settle(clock, new Promise((r) => clock.after(10, () => r(undefined))));
  const conns = (b as unknown as { connections: Map<string, { state: string }> }).connections;
  t.is([...conns.values()].filter((c) => c.state === 'SYN_RECEIVED').length, bogus.length);
  await stillServing(t, clock, a, b, 82);
});

test('SYN flood: half-open connections stay bounded, SYN cookies let the genuine client in', async (t) => {
  const { clock, lb, a, b } = pair();
  const l = b.listen(80, 8);
  const rng = prng(9);
  const conns = (b as unknown as { connections: Map<string, unknown> }).connections;
  let max = 0;
  const flood = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const src = (parseAddress('10.0.0.0') + 3 + Math.floor(rng() * 250)) >>> 0;
      if (src === A) continue;
      lb.inject(toB(lb, src, PROTO_TCP, rawTcp(src, B, { srcPort: 1024 + Math.floor(rng() * 60000), dstPort: 80, seq: Math.floor(rng() * 2 ** 32), flags: SYN })));
      max = Math.max(max, conns.size);
    }
  };
  flood(5000);
  t.true(max <= 32 + 1, `connections during the flood: ${max}`); // the SYN backlog plus the genuine one
  // The genuine client connects while the flood goes on.
  const accepted = l.accept();
  const connecting = a.connect({ address: '10.0.0.2', port: 80 });
  for (let round = 0; round < 20; round++) {
    flood(100);
    await settle(clock, new Promise((r) => clock.after(50, () => r(undefined))));
  }
  const c = await settle(clock, connecting);
  const s = await settle(clock, accepted);
  await settle(clock, c.write(new TextEncoder().encode('still here')));
  t.is(new TextDecoder().decode(await settle(clock, s.read())), 'still here');
  t.true(max <= 32 + 1, `connections during the flood: ${max}`); // the SYN backlog plus the genuine one
  t.true((l as unknown as { cookiesSent: number }).cookiesSent > 4000);
  // Unanswered SYN-ACKs die after their retries: the half-open state drains.
  await settle(clock, new Promise((r) => clock.after(120_000, () => r(undefined))));
  t.true(conns.size <= 1, `connections left: ${conns.size}`);
});

test('random garbage and mutated valid frames during a transfer: the transfer completes intact', async (t) => {
  const { clock, la, lb, a, b } = pair();
  la.record = true;
  const rng = prng(1234);
  const size = 128 * 1024;
  const data = new Uint8Array(size).map((_, i) => (i * 13) & 0xff);
  const l = b.listen(9);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 9 }));
  const s = await settle(clock, accepted);
  const w = c.write(data);
  const out = new Uint8Array(size);
  let n = 0;
  let injected = 0;
  while (n < size) {
    // Garbage of random length, and mutated copies of what a really sent (right MAC, mostly right headers).
    for (let i = 0; i < 20; i++) {
      const len = Math.floor(rng() * 1600);
      lb.inject(new Uint8Array(len).map(() => Math.floor(rng() * 256)));
      const sent = la.sent[Math.floor(rng() * la.sent.length)];
      if (sent) {
        const m = sent.slice(0, Math.max(14, Math.floor(rng() * (sent.length + 1))));
        for (let k = 0; k < 3; k++) m[14 + Math.floor(rng() * Math.max(1, m.length - 14))] = Math.floor(rng() * 256);
        lb.inject(m);
      }
      injected += 2;
    }
    la.sent = la.sent.slice(-50);
    const d = await settle(clock, s.read(2048));
    out.set(d, n);
    n += d.length;
  }
  await settle(clock, w);
  t.deepEqual(out, data);
  t.true(injected > 1000);
  t.true(b.stats.malformed + b.stats.checksumErrors + b.stats.notForUs > 500);
  await stillServing(t, clock, a, b, 10);
});

test('ARP: a flood of requests for unknown hosts stays bounded and does not disturb the cache', async (t) => {
  const { clock, a, b } = pair();
  // b answers; a pings 60 absent hosts at once: the resolution table is bounded.
  const pings = Array.from({ length: 60 }, (_, i) => a.ping(`10.0.0.${100 + i}`, { timeoutMs: 3000 }).catch((e: Error) => e));
  const arp = (a as unknown as { arp: { resolving: Map<number, unknown> } }).arp;
  t.true(arp.resolving.size <= 32, `addresses being resolved: ${arp.resolving.size}`);
  const results = await settle(clock, Promise.all(pings));
  t.true(results.every((r) => r instanceof Error));
  t.true(await settle(clock, a.ping('10.0.0.2')) >= 0);
  void b;
});

test('SYN cookies: a full half-open set still completes handshakes; forged cookie ACKs get RST', async (t) => {
  const { clock, lb, a, b } = pair();
  const l = b.listen(80, 8);
  // Fill the half-open set with SYNs from a host that never answers.
  for (let i = 0; i < 40; i++) lb.inject(toB(lb, EVIL, PROTO_TCP, rawTcp(EVIL, B, { srcPort: 3000 + i, dstPort: 80, seq: i * 1000, flags: SYN })));
  const conns = (b as unknown as { connections: Map<string, unknown> }).connections;
  t.is(conns.size, 32);
  // Forged ACKs with guessed cookies create nothing.
  for (let i = 0; i < 100; i++) lb.inject(toB(lb, EVIL, PROTO_TCP, rawTcp(EVIL, B, { srcPort: 5000 + i, dstPort: 80, seq: 77, ack: i * 7919 + 1, flags: ACK })));
  t.is(conns.size, 32);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 80 }));
  const s = await settle(clock, accepted);
  t.true((l as unknown as { cookiesSent: number }).cookiesSent >= 9);
  const big = new Uint8Array(50_000).map((_, i) => i & 0xff);
  const w = c.write(big);
  const got = new Uint8Array(big.length);
  let n = 0;
  while (n < big.length) { const d = await settle(clock, s.read()); got.set(d, n); n += d.length; }
  await settle(clock, w);
  t.deepEqual(got, big);
});
