/* TCP over a lossy, reordering wire: retransmission, reassembly and flow control. */
import test from 'ava';
import { IpStack } from '../../os/src/lib/net/stack.js';
import type { TcpSocket } from '../../os/src/lib/net/socket.js';
import type { TcpConnection } from '../../os/src/lib/net/tcp/connection.js';
import { FakeClock, settle } from './fake_clock.js';
import { wire, type WireOptions } from './memory_link.js';

function pair(o: WireOptions, tcp = {}) {
  const clock = new FakeClock();
  const [la, lb] = wire(clock, o);
  const a = new IpStack(la, clock, { static: { address: '10.0.0.1', netmask: '255.255.255.0' }, tcp });
  const b = new IpStack(lb, clock, { static: { address: '10.0.0.2', netmask: '255.255.255.0' }, tcp });
  return { clock, la, lb, a, b };
}

function pattern(size: number, seed: number): Uint8Array {
  const d = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; d[i] = x >>> 24; }
  return d;
}

async function readAll(s: TcpSocket, into: Uint8Array): Promise<number> {
  let n = 0;
  for (;;) {
    const d = await s.read();
    if (!d.length) return n;
    into.set(d, n);
    n += d.length;
  }
}

test('1 MiB over a wire losing 5% and reordering frames arrives intact', async (t) => {
  const { clock, la, lb, a, b } = pair({ delayMs: 2, jitterMs: 6, loss: 0.05, seed: 42 });
  const size = 1024 * 1024;
  const data = pattern(size, 7);
  const l = b.listen(5001);
  const received = new Uint8Array(size + 1);
  const server = (async () => {
    const s = await l.accept();
    const n = await readAll(s, received);
    await s.close();
    return { n, s: s as TcpConnection };
  })();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 5001 }));
  await settle(clock, c.write(data));
  await settle(clock, c.close());
  const { n } = await settle(clock, server);
  t.is(n, size);
  t.deepEqual(received.subarray(0, n), data);
  t.true(la.lost + lb.lost > 50, `frames lost: ${la.lost + lb.lost}`);
  t.true((c as TcpConnection).retransmissions > 0);
});

test('flow control: a slow reader holds the writer back (zero window) and nothing is lost', async (t) => {
  const { clock, a, b } = pair({ delayMs: 1 }, { receiveBuffer: 8192, sendBuffer: 16384 });
  const size = 200_000;
  const data = pattern(size, 3);
  const l = b.listen(5002);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 5002 }));
  const s = await settle(clock, accepted);
  let written = false;
  const w = c.write(data).then(() => { written = true; });
  // Nobody reads for a while: the writer must be stuck on a full window.
  await settle(clock, new Promise((r) => clock.after(5000, () => r(undefined))));
  t.false(written);
  const out = new Uint8Array(size);
  let n = 0;
  while (n < size) {
    const d = await settle(clock, s.read(1000));
    out.set(d, n);
    n += d.length;
    if (n % 20_000 < 1000) await settle(clock, new Promise((r) => clock.after(700, () => r(undefined))));
  }
  await settle(clock, w);
  t.deepEqual(out, data);
});

test('a vanished peer: the connection fails with ETIMEDOUT after the retries, the writer is released', async (t) => {
  const { clock, la, a, b } = pair({ delayMs: 1 });
  const l = b.listen(5003);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 5003 }));
  await settle(clock, accepted);
  la.peer = undefined; // the cable is cut
  const e = await t.throwsAsync(settle(clock, (async () => { await c.write(new Uint8Array(100)); await c.read(); })(), 3_600_000));
  t.regex(String(e), /ETIMEDOUT/);
});

test('RTO follows the measured RTT (RFC 6298)', async (t) => {
  /* without delayed ACKs: a lone segment's ACK would come delayedAckMs later, part of the RTT */
  const { clock, a, b } = pair({ delayMs: 50 }, { delayedAckMs: 0 });
  const l = b.listen(5004);
  const accepted = l.accept();
  const c = await settle(clock, a.connect({ address: '10.0.0.2', port: 5004 }));
  const s = await settle(clock, accepted);
  for (let i = 0; i < 5; i++) {
    await settle(clock, c.write(new Uint8Array(100)));
    await settle(clock, s.read());
  }
  const rto = (c as unknown as { rto: { rto: number; smoothedRtt: number } }).rto;
  t.is(rto.smoothedRtt, 100);
  t.true(rto.rto >= 200 && rto.rto < 1000, `rto ${rto.rto}`);
});

test('20 connections at once over a lossy, reordering, duplicating wire: all data intact, nothing left behind', async (t) => {
  const { clock, a, b } = pair({ delayMs: 1, jitterMs: 5, loss: 0.03, duplicate: 0.03, seed: 99 });
  const l = b.listen(7000, 32);
  const n = 20;
  const sizes = Array.from({ length: n }, (_, i) => 1000 + i * 3001);
  // Server: echo every connection, close when the client has shut down its side.
  const serving = (async () => {
    const done: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const s = await l.accept();
      done.push((async () => {
        for (;;) {
          const d = await s.read();
          if (!d.length) break;
          await s.write(d);
        }
        await s.close();
      })());
    }
    await Promise.all(done);
  })();
  const clients = sizes.map(async (size, i) => {
    const c = await a.connect({ address: '10.0.0.2', port: 7000 });
    const data = pattern(size, i + 1);
    const w = (async () => { await c.write(data); await c.shutdown(); })();
    const back = new Uint8Array(size + 1);
    const got = await readAll(c, back);
    await w;
    await c.close();
    return got === size && back.subarray(0, size).every((v, k) => v === data[k]);
  });
  const ok = await settle(clock, Promise.all(clients), 3_600_000);
  await settle(clock, serving, 3_600_000);
  t.deepEqual(ok, sizes.map(() => true));
  l.close();
  // TIME_WAIT and FIN_WAIT_2 end; then no connection and no timer is left.
  while (clock.step()) await new Promise((r) => setImmediate(r));
  const conns = (s: IpStack) => (s as unknown as { connections: Map<string, unknown> }).connections.size;
  t.is(conns(a), 0);
  t.is(conns(b), 0);
  t.is(clock.next(), undefined);
});
