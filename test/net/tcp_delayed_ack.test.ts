/*
 * Delayed ACKs (RFC 1122 4.2.3.2, RFC 5681 4.2): in-order data is acknowledged with every
 * second segment or after TcpOptions.delayedAckMs, an answer carries the ACK itself, and
 * out-of-order data and FINs are acknowledged at once.
 */
import test from 'ava';
import { IpStack } from '../../os/src/lib/net/stack.js';
import type { TcpSocket } from '../../os/src/lib/net/socket.js';
import { FakeClock, settle } from './fake_clock.js';
import { wire, type MemoryLink } from './memory_link.js';

function pair(delayedAckMs?: number) {
  const clock = new FakeClock();
  const [la, lb] = wire(clock, { delayMs: 1 });
  const tcp = delayedAckMs === undefined ? {} : { delayedAckMs };
  const a = new IpStack(la, clock, { static: { address: '10.0.0.1', netmask: '255.255.255.0' }, tcp });
  const b = new IpStack(lb, clock, { static: { address: '10.0.0.2', netmask: '255.255.255.0' }, tcp });
  return { clock, la, lb, a, b };
}

interface Seg { flags: number; payload: number; seq: number }

/** The TCP segments among a link's recorded frames. */
function segments(link: MemoryLink): Seg[] {
  const out: Seg[] = [];
  for (const f of link.sent) {
    if (f.length < 34 || f[12] !== 0x08 || f[13] !== 0x00) continue;
    const ip = f.subarray(14);
    if (ip[9] !== 6) continue;
    const ihl = (ip[0]! & 0xf) * 4;
    const total = (ip[2]! << 8) | ip[3]!;
    const tcp = ip.subarray(ihl, total);
    out.push({ flags: tcp[13]!, payload: total - ihl - (tcp[12]! >> 4) * 4, seq: new DataView(tcp.buffer, tcp.byteOffset).getUint32(4) });
  }
  return out;
}

const ACK = 0x10;
const pureAcks = (link: MemoryLink) => segments(link).filter((s) => s.flags === ACK && s.payload === 0).length;
const wait = (clock: FakeClock, ms: number) => settle(clock, new Promise((r) => clock.after(ms, () => r(undefined))));

async function sink(s: TcpSocket): Promise<number> {
  let n = 0;
  for (;;) { const d = await s.read(); if (!d.length) return n; n += d.length; }
}

async function bulk(delayedAckMs: number): Promise<{ acks: number; data: number; received: number }> {
  const { clock, lb, a, b } = pair(delayedAckMs);
  const l = b.listen(9);
  const server = (async () => { const s = await l.accept(); const n = await sink(s); await s.close(); return n; })();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 9 }));
  lb.record = true;
  const size = 512 * 1024;
  await settle(clock, c.write(new Uint8Array(size).fill(0x33)));
  await settle(clock, c.shutdown());
  const received = await settle(clock, server);
  return { acks: pureAcks(lb), data: size, received };
}

test('bulk data: about one ACK per two segments instead of one per segment, everything arrives', async (t) => {
  const now = await bulk(0);
  const delayed = await bulk(40);
  t.is(now.received, now.data);
  t.is(delayed.received, delayed.data);
  const segs = Math.ceil(now.data / 1460);
  t.log(`pure ACKs for ${segs} segments: ${now.acks} at once, ${delayed.acks} delayed`);
  t.true(now.acks >= segs * 0.9, `${now.acks} ACKs without delay`);
  t.true(delayed.acks <= segs * 0.6, `${delayed.acks} ACKs with delayed ACKs`);
});

test('a lone segment is acknowledged after delayedAckMs, not at once', async (t) => {
  const { clock, lb, a, b } = pair(40);
  const l = b.listen(9);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 9 }));
  await settle(clock, accepted);
  lb.record = true;
  await settle(clock, c.write(new Uint8Array(100)));
  await wait(clock, 30); // arrived after 1 ms; the ACK waits
  t.is(pureAcks(lb), 0);
  await wait(clock, 20);
  t.is(pureAcks(lb), 1);
  await wait(clock, 500);
  t.is(pureAcks(lb), 1, 'one ACK, no more');
  t.is((c as unknown as { retransmissions: number }).retransmissions, 0);
});

test('the delay is capped at 200 ms', async (t) => {
  const { clock, lb, a, b } = pair(5000);
  const l = b.listen(9);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 9 }));
  await settle(clock, accepted);
  lb.record = true;
  await settle(clock, c.write(new Uint8Array(10)));
  await wait(clock, 190);
  t.is(pureAcks(lb), 0);
  await wait(clock, 20);
  t.is(pureAcks(lb), 1);
});

test('an answer carries the ACK: no separate ACK for a request answered at once', async (t) => {
  const { clock, lb, a, b } = pair(40);
  const l = b.listen(7);
  const server = (async () => { const s = await l.accept(); const d = await s.read(); await s.write(d); return s; })();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 7 }));
  lb.record = true;
  await settle(clock, c.write(new TextEncoder().encode('request')));
  t.deepEqual(await settle(clock, c.read()), new TextEncoder().encode('request'));
  await settle(clock, server);
  await wait(clock, 500);
  const segs = segments(lb);
  t.is(segs.filter((s) => s.payload > 0 && s.flags & ACK).length, 1);
  t.is(pureAcks(lb), 0);
});

test('a FIN and out-of-order data are acknowledged at once', async (t) => {
  const { clock, la, lb, a, b } = pair(40);
  const l = b.listen(9);
  const server = (async () => { const s = await l.accept(); return sink(s); })();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 9 }));
  await settle(clock, c.write(new Uint8Array(10)));
  await wait(clock, 100);
  lb.record = true;
  la.record = true;
  /* FIN: b's ACK follows within the wire delay, not the ACK delay */
  await settle(clock, c.shutdown());
  await wait(clock, 5);
  t.true(segments(lb).some((s) => s.flags & ACK), 'the FIN was acknowledged at once');
  t.is(await settle(clock, server), 10);

  /* out of order: the second of two segments alone arrives; its duplicate ACK goes at once */
  const { clock: k2, la: a2, lb: b2, a: sa, b: sb } = pair(40);
  const l2 = sb.listen(9);
  const accepted = l2.accept();
  const c2 = await settle(k2, sa.connect({ address: '10.0.0.2', port: 9 }));
  await settle(k2, accepted);
  a2.record = true;
  const peer = a2.peer!;
  a2.peer = undefined; // hold a's frames
  await settle(k2, c2.write(new Uint8Array(3000)));
  const held = a2.sent.slice();
  a2.peer = peer;
  t.true(held.length >= 2);
  b2.record = true;
  peer.inject(held[1]!);
  await wait(k2, 1);
  t.is(pureAcks(b2), 1, 'duplicate ACK at once');
});
