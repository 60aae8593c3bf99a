/* The linux timer's sessions: host timers against host time, never early, periodic from the deadline. */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { BadArgument } from '../../base/src/errors.js';
import type { SignalContext } from '../../base/src/session/signal/session.js';
import { HostTimerSession } from '../../base-linux/src/timer/session_component.js';
import { LinuxCapability } from '../../base-linux/src/lib/capability.js';
import { randomToken } from '../../base-linux/src/core/token_mint.js';
import { hostClock } from '../../base-linux/src/lib/syscall_gate.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function session() {
  const clock = hostClock();
  const nowUs = clock.nowUs;
  const fired: number[] = [];
  const s = new HostTimerSession(clock, () => fired.push(nowUs()));
  return { s, fired, nowUs };
}

const sigh = () => new Capability<SignalContext>(new LinuxCapability(randomToken()));

test('a one-shot fires once, not before its deadline', async (t) => {
  const { s, fired } = session();
  await s.sigh(sigh());
  await s.triggerOnce(30_000);
  await sleep(80);
  t.is(fired.length, 1);
  t.true(fired[0]! >= 30_000);
});

test('a new trigger replaces the pending one', async (t) => {
  const { s, fired } = session();
  await s.sigh(sigh());
  await s.triggerOnce(10_000);
  await s.triggerOnce(40_000);
  await sleep(90);
  t.is(fired.length, 1);
  t.true(fired[0]! >= 40_000);
});

test('a periodic timeout keeps its period and stops on 0', async (t) => {
  const { s, fired, nowUs } = session();
  await s.sigh(sigh());
  await s.triggerPeriodic(10_000);
  await sleep(105);
  await s.triggerPeriodic(0);
  const stoppedAt = nowUs();
  const n = fired.length;
  /* a loaded host may delay (and then skip) periods, but never fire more often or early */
  t.true(n >= 1 && n <= Math.floor(stoppedAt / 10_000), `${n} signals in ${stoppedAt} us`);
  fired.forEach((at, i) => t.true(at >= (i + 1) * 10_000, `signal ${i} at ${at} us`));
  await sleep(30);
  t.is(fired.length, n);
});

test('without a signal handler nothing is submitted; bad durations are refused', async (t) => {
  const { s, fired } = session();
  await s.triggerOnce(1000);
  await sleep(20);
  t.is(fired.length, 0);
  await t.throwsAsync(s.triggerOnce(-1), { instanceOf: BadArgument });
  await t.throwsAsync(s.triggerPeriodic(1.5), { instanceOf: BadArgument });
  s.cancel();
});
