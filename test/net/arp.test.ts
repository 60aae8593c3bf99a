/* The ARP cache: expiry, packets waiting during resolution (bounded), retries and failure. */
import test from 'ava';
import { ArpCache, buildArp, parseArp, ARP_REQUEST } from '../../os/src/lib/net/arp.js';
import { FakeClock } from './fake_clock.js';
import { mac } from './memory_link.js';

function cache(opts = {}) {
  const clock = new FakeClock();
  const requests: number[] = [];
  const arp = new ArpCache(clock, (ip) => requests.push(ip), { entryTtlMs: 10_000, retryMs: 1000, attempts: 3, maxPendingPerAddress: 2, maxResolving: 2, maxEntries: 3, ...opts });
  return { clock, requests, arp };
}

test('waiting packets are released on the reply; entries expire', (t) => {
  const { clock, requests, arp } = cache();
  const got: Array<Uint8Array | undefined> = [];
  arp.resolve(5, (m) => got.push(m));
  arp.resolve(5, (m) => got.push(m));
  t.deepEqual(requests, [5]); // one request for both
  arp.learn(5, mac(9));
  t.is(got.length, 2);
  t.deepEqual(got[0], mac(9));
  arp.resolve(5, (m) => got.push(m)); // cached: at once, no request
  t.is(got.length, 3);
  t.deepEqual(requests, [5]);
  clock.after(10_001, () => undefined);
  clock.step();
  t.is(arp.lookup(5), undefined);
});

test('resolution retries, then fails and drops what waited; queues are bounded', (t) => {
  const { clock, requests, arp } = cache();
  const got: Array<string> = [];
  for (let i = 0; i < 3; i++) arp.resolve(7, (m) => got.push(m ? `ok${i}` : `drop${i}`));
  t.deepEqual(got, ['drop0']); // two per address: the oldest went
  while (clock.step());
  t.deepEqual(requests, [7, 7, 7]);
  t.deepEqual(got, ['drop0', 'drop1', 'drop2']);
  t.is(arp.dropped, 3);
  // More addresses than may be resolved at once: the oldest resolution gives up.
  const r: string[] = [];
  arp.resolve(1, (m) => r.push(`1:${!!m}`));
  arp.resolve(2, (m) => r.push(`2:${!!m}`));
  arp.resolve(3, (m) => r.push(`3:${!!m}`));
  t.deepEqual(r, ['1:false']);
  arp.learn(3, mac(3));
  t.deepEqual(r, ['1:false', '3:true']);
});

test('the cache holds at most maxEntries; malformed ARP packets are refused with a reason', (t) => {
  const { arp } = cache();
  for (let i = 1; i <= 5; i++) arp.learn(i, mac(i));
  t.is(arp.lookup(1), undefined);
  t.is(arp.lookup(2), undefined);
  t.deepEqual(arp.lookup(5), mac(5));
  const p = buildArp(ARP_REQUEST, mac(1), 1, new Uint8Array(6), 2);
  t.is(typeof parseArp(p), 'object');
  t.regex(parseArp(p.subarray(0, 27)) as string, /shorter/);
  const wrongHw = p.slice(); wrongHw[1] = 6;
  t.regex(parseArp(wrongHw) as string, /hardware type 6/);
  const wrongOp = p.slice(); wrongOp[7] = 9;
  t.regex(parseArp(wrongOp) as string, /operation 9/);
});
