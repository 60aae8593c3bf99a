/*
 * The threaded time source (the NOVA and Fiasco.OC timers): a thread blocked in the kernel
 * until the armed deadline; an earlier deadline wakes it, which blocks again with it; a
 * wait that ends before the deadline (a kernel timeout rounded down) blocks again for the rest.
 */
import test from 'ava';
import { ThreadedTimeSource, type WaitEnd } from '../../os/src/drivers/timer/threaded_time_source.js';

function fakeKernel() {
  let clock = 0;
  const waits: Array<{ deadline: number | undefined; end: (e: WaitEnd) => void }> = [];
  let wakes = 0;
  const source = new ThreadedTimeSource(() => clock, () => {
    wakes++;
    waits.shift()?.end('woken');
  });
  const block = (deadline: number | undefined) => new Promise<WaitEnd>((end) => waits.push({ deadline, end }));
  return { source, waits, block, wakes: () => wakes, at: (us: number) => (clock = us) };
}

const tick = () => new Promise((r) => setImmediate(r));

test('time counts from the start', async (t) => {
  const k = fakeKernel();
  k.at(7_000_000);
  await k.source.start();
  k.at(7_000_123);
  t.is(await k.source.nowUs(), 123);
});

test('the thread blocks with the armed deadline, an earlier one wakes it, a timeout expires', async (t) => {
  const k = fakeKernel();
  await k.source.start();
  let expired = 0;
  t.is(await k.source.armUs(k.source.maxUs), k.source.maxUs);
  k.source.run(k.block, async () => { expired++; });
  await tick();
  t.is(k.waits[0]!.deadline, undefined, 'nothing pending: no timeout');
  k.at(10);
  t.is(await k.source.armUs(1000), 1000);
  t.is(k.wakes(), 1, 'the blocked thread was woken');
  await tick();
  t.is(k.waits[0]!.deadline, 1010, 'and blocks again with the new deadline');
  k.at(1010);
  k.waits.shift()!.end('timeout');
  await tick();
  t.is(expired, 1);
  await tick();
  t.is(k.waits.length, 1, 'after the expiry it blocks again');
});

test('a timeout before the deadline only blocks again', async (t) => {
  const k = fakeKernel();
  await k.source.start();
  let expired = 0;
  await k.source.armUs(5000);
  k.source.run(k.block, async () => { expired++; });
  await tick();
  k.at(4990);
  k.waits.shift()!.end('timeout');
  await tick();
  t.is(expired, 0, 'the deadline has not passed');
  t.is(k.waits[0]!.deadline, 5000, 'it waits for the rest');
  k.at(5000);
  k.waits.shift()!.end('timeout');
  await tick();
  t.is(expired, 1);
});

test('arming while the thread runs wakes nobody', async (t) => {
  const k = fakeKernel();
  await k.source.start();
  await k.source.armUs(100);
  t.is(k.wakes(), 0);
});
