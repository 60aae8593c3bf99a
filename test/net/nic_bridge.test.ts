/*
 * nic_bridge's forwarding logic on in-memory links: proxy ARP toward the uplink, IP-to-client
 * mapping from policy, DHCP and ARP, broadcast to all clients, unicast isolation, and
 * hostile clients (forged MACs, stolen addresses, floods, malformed frames).
 */
import test from 'ava';
import type { NetLink } from '../../os/src/lib/net/link.js';
import { MacAllocator, NicBridge, type BridgeClient } from '../../os/src/server/nic_bridge/bridge.js';
import { parseIpv4, parseMac } from '../../os/src/server/nic_bridge/frames.js';

const UPLINK_MAC = parseMac('52:54:00:12:34:56')!;
const HOST_MAC = parseMac('52:54:00:aa:bb:cc')!;
const BCAST = new Uint8Array(6).fill(0xff);
const ip = (s: string) => parseIpv4(s)!;

class FakeUplink implements NetLink {
  readonly mac = UPLINK_MAC;
  up = true;
  sent: Uint8Array[] = [];
  private frameHandler: (f: Uint8Array) => void = () => {};
  private linkHandler: (up: boolean) => void = () => {};
  async send(frame: Uint8Array): Promise<boolean> { this.sent.push(frame.slice()); return true; }
  onFrame(h: (f: Uint8Array) => void): void { this.frameHandler = h; }
  onLinkState(h: (up: boolean) => void): void { this.linkHandler = h; }
  inject(frame: Uint8Array): void { this.frameHandler(frame); }
  setUp(up: boolean): void { this.up = up; this.linkHandler(up); }
}

function eth(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  f.set(dst, 0); f.set(src, 6); f[12] = type >> 8; f[13] = type & 255;
  f.set(payload, 14);
  return f;
}

function arp(op: number, srcMac: Uint8Array, srcIp: number, dstMac: Uint8Array, dstIp: number): Uint8Array {
  const p = new Uint8Array(28);
  const v = new DataView(p.buffer);
  v.setUint16(0, 1); v.setUint16(2, 0x0800); p[4] = 6; p[5] = 4; v.setUint16(6, op);
  p.set(srcMac, 8); v.setUint32(14, srcIp); p.set(dstMac, 18); v.setUint32(24, dstIp);
  return p;
}

function ipv4(src: number, dst: number, proto: number, payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(20 + payload.length);
  const v = new DataView(p.buffer);
  p[0] = 0x45; v.setUint16(2, p.length); p[8] = 64; p[9] = proto;
  v.setUint32(12, src); v.setUint32(16, dst);
  p.set(payload, 20);
  return p;
}

function dhcp(op: number, chaddr: Uint8Array, yiaddr: number, msgType: number): Uint8Array {
  const b = new Uint8Array(240 + 4);
  const v = new DataView(b.buffer);
  b[0] = op; b[1] = 1; b[2] = 6;
  v.setUint32(16, yiaddr);
  b.set(chaddr, 28);
  v.setUint32(236, 0x63825363);
  b[240] = 53; b[241] = 1; b[242] = msgType; b[243] = 255;
  const udp = new Uint8Array(8 + b.length);
  const uv = new DataView(udp.buffer);
  const fromServer = op === 2;
  uv.setUint16(0, fromServer ? 67 : 68); uv.setUint16(2, fromServer ? 68 : 67); uv.setUint16(4, udp.length);
  udp.set(b, 8);
  return udp;
}

const tick = () => new Promise((r) => setImmediate(r));

interface Harness { uplink: FakeUplink; bridge: NicBridge; macs: MacAllocator; logs: string[] }

function harness(queueFrames?: number): Harness {
  const uplink = new FakeUplink();
  const logs: string[] = [];
  const bridge = new NicBridge(uplink, { log: (l) => logs.push(l), queueFrames });
  return { uplink, bridge, macs: new MacAllocator(parseMac('02:02:02:02:02:00')!), logs };
}

function client(h: Harness, label: string, staticIp?: string, deliver?: (f: Uint8Array) => Promise<boolean>) {
  const got: Uint8Array[] = [];
  const c = h.bridge.attach({
    label, mac: h.macs.alloc()!, ip: staticIp ? ip(staticIp) : undefined,
    deliver: deliver ?? (async (f) => { got.push(f.slice()); return true; }),
  });
  return { c, got };
}

test('MAC allocator enumerates the last byte from the base, reuses freed ones, 256 at most', (t) => {
  const a = new MacAllocator(parseMac('02:02:02:02:02:7f')!);
  const first = a.alloc()!;
  t.deepEqual([...first], [2, 2, 2, 2, 2, 0]);
  t.is(a.alloc()![5], 1);
  a.free(first);
  t.is(a.alloc()![5], 0);
  for (let i = 2; i < 256; i++) t.truthy(a.alloc());
  t.is(a.alloc(), undefined);
  t.true(a.inRange(parseMac('02:02:02:02:02:99')!));
  t.false(a.inRange(parseMac('02:02:02:02:03:00')!));
});

test('proxy ARP: the uplink asks for a client address, the bridge answers with the uplink MAC', async (t) => {
  const h = harness();
  const a = client(h, 'a', '10.0.2.55');
  h.uplink.inject(eth(BCAST, HOST_MAC, 0x0806, arp(1, HOST_MAC, ip('10.0.2.2'), new Uint8Array(6), ip('10.0.2.55'))));
  await tick();
  t.is(h.uplink.sent.length, 1);
  const r = h.uplink.sent[0];
  t.deepEqual([...r.subarray(0, 6)], [...HOST_MAC]);
  t.deepEqual([...r.subarray(6, 12)], [...UPLINK_MAC]);
  const v = new DataView(r.buffer, 14);
  t.is(v.getUint16(6), 2);
  t.deepEqual([...r.subarray(14 + 8, 14 + 14)], [...UPLINK_MAC]);
  t.is(v.getUint32(14), ip('10.0.2.55'));
  t.is(v.getUint32(24), ip('10.0.2.2'));
  t.is(a.got.length, 0, 'the client does not see the request');
});

test('a client ARPs outward: sender rewritten to the uplink MAC, the reply comes back to it alone', async (t) => {
  const h = harness();
  const a = client(h, 'a');
  const b = client(h, 'b', '10.0.2.16');
  a.c.fromClient(eth(BCAST, a.c.mac, 0x0806, arp(1, a.c.mac, ip('10.0.2.15'), new Uint8Array(6), ip('10.0.2.2'))));
  await tick();
  t.is(h.uplink.sent.length, 1);
  const out = h.uplink.sent[0];
  t.deepEqual([...out.subarray(6, 12)], [...UPLINK_MAC]);
  t.deepEqual([...out.subarray(22, 28)], [...UPLINK_MAC]);
  t.is(b.got.length, 1, 'broadcast reaches the other client');
  t.deepEqual([...b.got[0].subarray(6, 12)], [...a.c.mac], 'inside the bridge the client keeps its vmac');
  t.is(a.c.ip, ip('10.0.2.15'), 'address learned from ARP');
  h.uplink.inject(eth(UPLINK_MAC, HOST_MAC, 0x0806, arp(2, HOST_MAC, ip('10.0.2.2'), UPLINK_MAC, ip('10.0.2.15'))));
  await tick();
  t.is(a.got.length, 1);
  t.deepEqual([...a.got[0].subarray(0, 6)], [...a.c.mac]);
  t.deepEqual([...a.got[0].subarray(32, 38)], [...a.c.mac]);
  t.is(b.got.length, 1, 'no unicast for b');
});

test('unicast IPv4 from the uplink goes to the client owning the address only; unknown is dropped', async (t) => {
  const h = harness();
  const a = client(h, 'a', '10.0.2.55');
  const b = client(h, 'b', '10.0.2.56');
  h.uplink.inject(eth(UPLINK_MAC, HOST_MAC, 0x0800, ipv4(ip('10.0.2.2'), ip('10.0.2.56'), 6, new Uint8Array(20))));
  h.uplink.inject(eth(UPLINK_MAC, HOST_MAC, 0x0800, ipv4(ip('10.0.2.2'), ip('10.0.2.99'), 6, new Uint8Array(20))));
  await tick();
  t.is(a.got.length, 0);
  t.is(b.got.length, 1);
  t.deepEqual([...b.got[0].subarray(0, 6)], [...b.c.mac]);
  t.is(h.bridge.uplinkDrops, 1);
});

test('DHCP: client requests get the broadcast flag (checksum kept valid), ACKs assign the address', async (t) => {
  const h = harness();
  const a = client(h, 'a');
  const b = client(h, 'b');
  a.c.fromClient(eth(BCAST, a.c.mac, 0x0800, ipv4(0, 0xffffffff, 17, dhcp(1, a.c.mac, 0, 3))));
  await tick();
  const req = h.uplink.sent[0];
  t.is(req[14 + 20 + 8 + 10] & 0x80, 0x80);
  /* verify the UDP checksum over the pseudo header */
  const udp = req.subarray(34);
  let sum = 17 + udp.length + 0xffff + 0xffff;
  for (let i = 0; i < udp.length; i += 2) sum += (udp[i] << 8) | (udp[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  t.is(sum, 0xffff);
  h.uplink.inject(eth(BCAST, HOST_MAC, 0x0800, ipv4(ip('10.0.2.2'), 0xffffffff, 17, dhcp(2, a.c.mac, ip('10.0.2.15'), 5))));
  await tick();
  t.is(a.c.ip, ip('10.0.2.15'));
  t.is(b.c.ip, undefined);
  t.is(a.got.length, 1);
  t.is(b.got.length, 2, 'broadcasts reach every client (the request from a, the ACK)');
});

test('client to client unicast is delivered to the target only', async (t) => {
  const h = harness();
  const a = client(h, 'a', '10.0.1.1');
  const b = client(h, 'b', '10.0.1.2');
  const c = client(h, 'c', '10.0.1.3');
  a.c.fromClient(eth(b.c.mac, a.c.mac, 0x0800, ipv4(ip('10.0.1.1'), ip('10.0.1.2'), 17, new Uint8Array(8))));
  await tick();
  t.is(b.got.length, 1);
  t.is(c.got.length, 0);
  t.is(h.uplink.sent.length, 0);
});

test('hostile client: forged MACs, stolen addresses, gratuitous ARP, bad sizes are dropped and counted', async (t) => {
  const h = harness();
  const a = client(h, 'a', '10.0.1.1');
  const evil = client(h, 'evil');
  evil.c.fromClient(eth(BCAST, a.c.mac, 0x0800, ipv4(ip('10.0.1.9'), ip('10.0.1.1'), 17, new Uint8Array(8))));
  evil.c.fromClient(eth(BCAST, evil.c.mac, 0x0806, arp(1, a.c.mac, ip('10.0.1.9'), new Uint8Array(6), ip('10.0.1.1'))));
  evil.c.fromClient(eth(BCAST, evil.c.mac, 0x0806, arp(1, evil.c.mac, ip('10.0.1.1'), new Uint8Array(6), ip('10.0.1.7'))));
  evil.c.fromClient(eth(BCAST, evil.c.mac, 0x0806, arp(1, evil.c.mac, ip('10.0.1.5'), new Uint8Array(6), ip('10.0.1.5'))));
  evil.c.fromClient(eth(BCAST, evil.c.mac, 0x0800, ipv4(ip('10.0.1.1'), ip('10.0.1.2'), 17, new Uint8Array(8))));
  evil.c.fromClient(new Uint8Array(5));
  evil.c.fromClient(new Uint8Array(3000));
  /* truncated headers pass as plain Ethernet (no field read past the end) */
  evil.c.fromClient(eth(BCAST, evil.c.mac, 0x0806, new Uint8Array(3)));
  evil.c.fromClient(eth(BCAST, evil.c.mac, 0x0800, new Uint8Array([0x4f, 0, 0xff, 0xff])));
  await tick();
  t.is(evil.c.drops.get('forged source MAC'), 1);
  t.is(evil.c.drops.get('forged ARP sender'), 1);
  t.is(evil.c.drops.get('address of another client'), 2);
  t.is(evil.c.drops.get('gratuitous ARP'), 1);
  t.is(evil.c.drops.get('bad size'), 2);
  t.is(h.bridge.clientByIp(ip('10.0.1.1')), a.c);
  t.is(evil.c.ip, undefined);
  t.is(a.got.length, 2, 'only the two truncated broadcasts');
  t.true(h.logs.some((l) => l.includes('[evil] dropping frames: forged source MAC')));
});

test('a flooding client fills only its own queue; the others still get through', async (t) => {
  const h = harness(8);
  let release!: () => void;
  let gate = new Promise<void>((r) => { release = r; });
  /* an uplink that blocks until released: back-pressure */
  const sent: Uint8Array[] = [];
  h.uplink.send = async (f) => { await gate; sent.push(f.slice()); return true; };
  const good = client(h, 'good');
  const evil = client(h, 'evil');
  for (let i = 0; i < 1000; i++) evil.c.fromClient(eth(HOST_MAC, evil.c.mac, 0x0800, new Uint8Array(46)));
  for (let i = 0; i < 3; i++) good.c.fromClient(eth(HOST_MAC, good.c.mac, 0x0800, new Uint8Array(46).fill(1)));
  t.true((evil.c.drops.get('queue full') ?? 0) >= 990);
  t.is(good.c.drops.get('queue full'), undefined);
  release();
  for (let i = 0; i < 50; i++) await tick();
  t.is(sent.filter((f) => f[14] === 1).length, 3);
  t.true(sent.length <= 3 + 9);
  gate = Promise.resolve();
});

test('a client whose receive side is stuck does not hold up the others', async (t) => {
  const h = harness(4);
  const stuck = client(h, 'stuck', undefined, () => new Promise<boolean>(() => {}));
  const ok = client(h, 'ok');
  for (let i = 0; i < 100; i++) {
    h.uplink.inject(eth(BCAST, HOST_MAC, 0x0800, new Uint8Array(46)));
    await tick();
  }
  t.is(ok.got.length, 100);
  t.true((stuck.c.drops.get('queue full') ?? 0) >= 95);
});

test('detach frees the address and MAC; link state reaches clients; duplicates are refused', async (t) => {
  const h = harness();
  const states: boolean[] = [];
  const a = h.bridge.attach({ label: 'a', mac: h.macs.alloc()!, ip: ip('10.0.0.5'), deliver: async () => true, linkState: (u) => states.push(u) });
  t.throws(() => h.bridge.attach({ label: 'b', mac: a.mac, deliver: async () => true }), { message: /MAC 02:02:02:02:02:00 of "b" is already in use/ });
  t.throws(() => h.bridge.attach({ label: 'c', mac: h.macs.alloc()!, ip: ip('10.0.0.5'), deliver: async () => true }), { message: /10\.0\.0\.5/ });
  h.uplink.setUp(false);
  t.deepEqual(states, [false]);
  a.detach();
  t.is(h.bridge.clientByIp(ip('10.0.0.5')), undefined);
  t.is(h.bridge.clientCount, 0);
  a.fromClient(eth(BCAST, a.mac, 0x0800, new Uint8Array(46)));
  t.is(h.uplink.sent.length, 0);
});

test('malformed frames from the uplink are dropped without harm', async (t) => {
  const h = harness();
  const a = client(h, 'a', '10.0.0.5');
  h.uplink.inject(new Uint8Array(2));
  h.uplink.inject(new Uint8Array(4000));
  h.uplink.inject(eth(UPLINK_MAC, HOST_MAC, 0x0800, new Uint8Array([0x45, 0, 0xff, 0xff])));
  h.uplink.inject(eth(UPLINK_MAC, HOST_MAC, 0x0806, new Uint8Array(10)));
  const bad = ipv4(ip('10.0.0.1'), 0xffffffff, 17, dhcp(2, a.c.mac, ip('10.0.0.9'), 5));
  bad[2] = 0; bad[3] = 30; /* IP total length cutting the DHCP message */
  h.uplink.inject(eth(BCAST, HOST_MAC, 0x0800, bad));
  await tick();
  t.is(a.c.ip, ip('10.0.0.5'));
  t.is(a.got.length, 1, 'the broadcast still passes');
});
