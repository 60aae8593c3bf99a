/*
 * The Fiasco.OC timer's wait: an IRQ receive with a relative receive timeout that ends at
 * or before the deadline, none without one.
 */
import test from 'ava';
import { L4_IPC_RETIMEOUT, L4_IPC_RECANCELED } from '../../base-fiasco/src/kernel/consts.js';
import { L4_IPC_TIMEOUT_NEVER, rcvTimeout, sndTimeout, timeoutUs } from '../../base-fiasco/src/kernel/timeout.js';
import { irqReceiveWait, timeoutNotAfterUs } from '../../base-fiasco/src/timer/time_source.js';

test('a relative timeout never ends after the deadline and leaves less than 1/512 of it', (t) => {
  for (const us of [1, 2, 1023, 1024, 1025, 54_925, 999_999, 3_600_000_000, 2 ** 40]) {
    const got = timeoutUs(timeoutNotAfterUs(us));
    t.true(got <= us, `${us}: ${got}`);
    t.true(got > 0 && us - got < us / 512 + 1, `${us}: ${got}`);
  }
  t.is(timeoutUs(timeoutNotAfterUs(1023)), 1023, 'exact while the mantissa holds it');
});

test('the wait receives with the rest up to the deadline as receive timeout, and maps the result', async (t) => {
  let clock = 1000;
  const asked: number[] = [];
  let error = L4_IPC_RETIMEOUT;
  const wait = irqReceiveWait(async (timeout) => { asked.push(timeout); return error; }, () => clock);
  t.is(await wait(1500), 'timeout');
  t.is(sndTimeout(asked[0]!), L4_IPC_TIMEOUT_NEVER);
  t.is(timeoutUs(rcvTimeout(asked[0]!)), 500);
  error = 0;
  t.is(await wait(undefined), 'woken');
  t.is(timeoutUs(rcvTimeout(asked[1]!)), Infinity, 'no deadline: no timeout');
  clock = 2000;
  t.is(await wait(1500), 'timeout', 'a passed deadline does not wait');
  t.is(asked.length, 2);
  error = L4_IPC_RECANCELED;
  await t.throwsAsync(() => wait(5000), { message: /IPC error/ });
});
