/*
 * The NOVA timer's clock and wait: the TSC scaled by its frequency, and sm_ctrl DOWN with
 * the first TSC value of the deadline's microsecond.
 */
import test from 'ava';
import { Status } from '../../base-nova/src/kernel/abi.js';
import { semaphoreWait, tscClockUs } from '../../base-nova/src/timer/time_source.js';
import { cyclesToTicks, ticksToCycles } from '../../base/src/util/clock_ratio.js';

const HZ = 2_000_000_000;

test('time is the TSC scaled by its frequency, exact over long runs', (t) => {
  let tsc = HZ * 3600 * 24 + 1999;
  const clock = tscClockUs({ now: () => tsc, hz: HZ });
  t.is(clock(), 3600 * 24 * 1_000_000, '1999 cycles are not a whole microsecond');
  tsc = 2000;
  t.is(clock(), 1);
});

test('a deadline is the first TSC value of its microsecond', (t) => {
  for (const us of [1, 999_999, 1_000_000, 86_400_000_123]) {
    const c = ticksToCycles(us, 1_193_182_017, 1_000_000);
    t.is(cyclesToTicks(c, 1_193_182_017, 1_000_000), us);
    t.true(cyclesToTicks(c - 1, 1_193_182_017, 1_000_000) < us);
  }
});

test('the wait maps sm_ctrl DOWN results and asks for no timeout without a deadline', async (t) => {
  const asked: number[] = [];
  let status = Status.TIMEOUT;
  const wait = semaphoreWait(async (d) => { asked.push(d); return status; }, HZ);
  t.is(await wait(1000), 'timeout');
  status = Status.SUCCESS;
  t.is(await wait(undefined), 'woken');
  t.deepEqual(asked, [2_000_000, 0]);
  t.is(await wait(0), 'woken');
  t.is(asked[2], 1, 'deadline 0 is not "none"');
  status = Status.INV_SELECTOR;
  await t.throwsAsync(() => wait(5), { message: /sm_ctrl DOWN failed/ });
});
