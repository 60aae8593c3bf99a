/*
 * The NOVA timer's time source: the TSC for time, a blocked thread with a TSC deadline for
 * timeouts; an earlier deadline wakes the thread, which blocks again with it.
 */
import test from 'ava';
import { Status } from '../../base-nova/src/kernel/abi.js';
import { TscTimeSource } from '../../base-nova/src/timer/time_source.js';

const HZ = 2_000_000_000;

function fakeNova() {
  let tsc = 0;
  const downs: Array<{ deadline: number; done: (s: Status) => void }> = [];
  let wakes = 0;
  const source = new TscTimeSource({ now: () => tsc, hz: HZ }, () => {
    wakes++;
    downs.shift()?.done(Status.SUCCESS);
  });
  const down = (deadline: number) => new Promise<Status>((done) => downs.push({ deadline, done }));
  return { source, downs, down, wakes: () => wakes, at: (c: number) => (tsc = c) };
}

const tick = () => new Promise((r) => setImmediate(r));

test('time is the TSC scaled by its frequency, exact over long runs', async (t) => {
  const n = fakeNova();
  n.at(HZ * 7);
  await n.source.start();
  n.at(HZ * 7 + HZ * 3600 * 24 + 1999);
  t.is(await n.source.nowUs(), 3600 * 24 * 1_000_000 + 0, '1999 cycles are not a whole microsecond');
  n.at(HZ * 7 + 2000);
  t.is(await n.source.nowUs(), 1);
});

test('the thread blocks with the armed deadline, an earlier one wakes it, a timeout expires', async (t) => {
  const n = fakeNova();
  await n.source.start();
  let expired = 0;
  t.is(await n.source.armUs(n.source.maxUs), n.source.maxUs);
  n.source.run(n.down, async () => { expired++; });
  await tick();
  t.is(n.downs[0]!.deadline, 0, 'nothing pending: no deadline');
  t.is(await n.source.armUs(1000), 1000);
  t.is(n.wakes(), 1, 'the blocked thread was woken');
  await tick();
  t.is(n.downs[0]!.deadline, (HZ / 1_000_000) * 1000, 'and blocks again with the new deadline');
  n.downs.shift()!.done(Status.TIMEOUT);
  await tick();
  t.is(expired, 1);
  await tick();
  t.is(n.downs.length, 1, 'after the expiry it blocks again');
});
