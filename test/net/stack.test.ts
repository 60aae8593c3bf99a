/* The TCP/IP stack on an in-memory wire: ARP, ICMP echo, UDP, TCP open/transfer/close. */
import test from 'ava';
import { IpStack } from '../../os/src/lib/net/stack.js';
import { SocketError } from '../../os/src/lib/net/socket.js';
import { FakeClock, settle } from './fake_clock.js';
import { wire } from './memory_link.js';

function pair(o: Parameters<typeof wire>[1] = {}) {
  const clock = new FakeClock();
  const [la, lb] = wire(clock, o);
  const a = new IpStack(la, clock, { static: { address: '10.0.0.1', netmask: '255.255.255.0' } });
  const b = new IpStack(lb, clock, { static: { address: '10.0.0.2', netmask: '255.255.255.0' } });
  return { clock, la, lb, a, b };
}

test('ping: ARP resolves, the echo comes back with the RTT', async (t) => {
  const { clock, a, b } = pair({ delayMs: 3 });
  const rtt = await settle(clock, a.ping('10.0.0.2'));
  t.is(rtt, 6 + 6); // ARP exchange first, then the echo
  t.is(await settle(clock, a.ping('10.0.0.2', { seq: 2 })), 6);
  t.is(b.stats.icmpEchoReplies, 2);
});

test('ping: an absent host times out, an unroutable one is refused', async (t) => {
  const { clock, a } = pair();
  const e = await t.throwsAsync(settle(clock, a.ping('10.0.0.9', { timeoutMs: 500 })));
  t.is((e as SocketError).code, 'ETIMEDOUT');
  const u = await t.throwsAsync(settle(clock, a.ping('192.168.1.1')));
  t.is((u as SocketError).code, 'ENETUNREACH');
  t.throws(() => a.ping('10.0.0.300'), { instanceOf: SocketError });
});

test('UDP: datagrams both ways with sender endpoints', async (t) => {
  const { clock, a, b } = pair();
  const sa = a.udp(5000);
  const sb = b.udp(6000);
  await settle(clock, sa.sendTo(new TextEncoder().encode('hello'), { address: '10.0.0.2', port: 6000 }));
  const got = await settle(clock, sb.receiveFrom());
  t.is(new TextDecoder().decode(got.data), 'hello');
  t.deepEqual(got.from, { address: '10.0.0.1', port: 5000 });
  await settle(clock, sb.sendTo(got.data, got.from));
  t.is((await settle(clock, sa.receiveFrom())).data.length, 5);
  t.throws(() => a.udp(5000), { message: /EADDRINUSE/ });
  sa.close();
  await t.throwsAsync(sa.receiveFrom(), { message: /ECLOSED/ });
  t.notThrows(() => a.udp(5000).close()); // the port is free again
});

test('TCP: connect, echo, orderly close through TIME_WAIT', async (t) => {
  const { clock, a, b } = pair();
  const l = b.listen(7);
  const server = (async () => {
    const s = await l.accept();
    for (;;) {
      const d = await s.read();
      if (d.length === 0) break;
      await s.write(d);
    }
    await s.close();
    return s;
  })();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 7 }));
  t.is(c.remote.port, 7);
  t.is(c.local.address, '10.0.0.1');
  const msg = new TextEncoder().encode('ping over tcp');
  await settle(clock, c.write(msg));
  const back = await settle(clock, c.read());
  t.deepEqual(back, msg);
  await settle(clock, c.shutdown());
  t.is((await settle(clock, c.read())).length, 0); // server closed after our FIN
  await settle(clock, c.close());
  const s = await settle(clock, server);
  t.is((c as unknown as { state: string }).state, 'TIME_WAIT');
  t.is((s as unknown as { state: string }).state, 'CLOSED');
  await settle(clock, new Promise((r) => clock.after(61_000, () => r(undefined))));
  t.is((c as unknown as { state: string }).state, 'CLOSED');
});

test('TCP: a closed port answers RST: ECONNREFUSED', async (t) => {
  const { clock, a } = pair();
  const e = await t.throwsAsync(settle(clock, a.connect({ address: '10.0.0.2', port: 81 })));
  t.is((e as SocketError).code, 'ECONNREFUSED');
});

test('TCP: 256 KiB each way, intact', async (t) => {
  const { clock, a, b } = pair({ delayMs: 2 });
  const size = 256 * 1024;
  const data = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
  const l = b.listen(9000);
  const server = (async () => {
    const s = await l.accept();
    const got: Uint8Array[] = [];
    let n = 0;
    while (n < size) { const d = await s.read(); if (!d.length) break; got.push(d); n += d.length; }
    const all = new Uint8Array(n);
    let o = 0;
    for (const g of got) { all.set(g, o); o += g.length; }
    await s.write(all);
    await s.close();
  })();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 9000 }));
  const w = c.write(data);
  const recv = (async () => {
    const out = new Uint8Array(size);
    let n = 0;
    for (;;) { const d = await c.read(); if (!d.length) break; out.set(d, n); n += d.length; }
    return out.subarray(0, n);
  })();
  await settle(clock, w);
  const back = await settle(clock, recv);
  await settle(clock, server);
  t.is(back.length, size);
  t.deepEqual(back, data);
  await settle(clock, c.close());
});

test('TCP: abort sends RST, the peer sees ECONNRESET', async (t) => {
  const { clock, a, b } = pair();
  const l = b.listen(23);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 23 }));
  const s = await settle(clock, accepted);
  const r = s.read();
  c.abort();
  const e = await t.throwsAsync(settle(clock, r));
  t.is((e as SocketError).code, 'ECONNRESET');
  await t.throwsAsync(c.write(new Uint8Array(1)));
});

test('listen: port checks and EADDRINUSE', (t) => {
  const { a } = pair();
  a.listen(80);
  t.throws(() => a.listen(80), { message: /EADDRINUSE/ });
  t.throws(() => a.listen(0), { message: /EINVAL/ });
  t.throws(() => a.listen(70000), { message: /EINVAL/ });
});

test('TCP: the handshake recovers from a lost SYN-ACK within a retransmission timeout', async (t) => {
  const { clock, la, lb, a, b } = pair({ delayMs: 1 });
  b.listen(99);
  // Drop b's first frame that is a SYN-ACK (TCP flags byte 0x12 at 14 + 20 + 13).
  const send = lb.send.bind(lb);
  let dropped = 0;
  lb.send = async (f: Uint8Array) => {
    if (f.length >= 54 && f[12] === 0x08 && f[23] === 6 && f[14 + 20 + 13] === 0x12 && dropped === 0) { dropped++; return true; }
    return send(f);
  };
  const start = clock.now();
  await settle(clock, a.connect({ address: '10.0.0.2', port: 99 }));
  t.is(dropped, 1);
  // One retransmission timeout (1 s), not several.
  t.true(clock.now() - start < 1100, `took ${clock.now() - start} ms`);
  void la;
});
