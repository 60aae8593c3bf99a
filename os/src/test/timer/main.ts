/*
 * test-timer: the Timer session's semantics, with several connections at once.
 *  1. three one-shot timeouts on three connections, triggered out of order, fire in
 *     the order of their deadlines and not before them;
 *  2. a periodic timeout delivers its signals at its period;
 *  3. a new trigger replaces the pending one;
 *  4. elapsed time never goes backwards, and msleep sleeps at least as long as asked;
 *  5. a negative duration is refused with BadArgument.
 * Times are checked against lower bounds (nothing fires early) and a generous upper bound
 * that only a wrong unit or a lost timeout would exceed, so the test holds on virtual time
 * as well as on real time on a busy host.
 */
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../lib/log.js';
import { Checks } from '../../lib/checks.js';
import { TimerConnection } from '../../session/timer/connection.js';

/** Lateness allowed beyond a deadline: scheduling on a busy host, not timer imprecision. */
const SLACK_MS = 1000;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const checks = new Checks(log);
  const check = (what: string, ok: boolean) => checks.check(what, ok);

  /* 1: one-shots out of order */
  const delays = [300, 100, 200];
  const timers = await Promise.all(delays.map((ms) => TimerConnection.open(env, { label: `one-shot ${ms} ms` })));
  const clock = timers[0]!;
  const fired: Array<{ ms: number; at: number }> = [];
  let allFired!: () => void;
  const done = new Promise<void>((r) => (allFired = r));
  const start = await clock.elapsedMs();
  timers.forEach((t, i) => t.onTimeout(async () => {
    fired.push({ ms: delays[i]!, at: (await clock.elapsedMs()) - start });
    if (fired.length === delays.length) allFired();
  }));
  for (let i = 0; i < timers.length; i++) await timers[i]!.session.triggerOnce(delays[i]! * 1000);
  await done;
  await log(`one-shot timeouts fired in order: ${fired.map((f) => `${f.ms} ms`).join(', ')}`);
  await log(`  fired at ${fired.map((f) => `+${f.at} ms`).join(', ')}`);
  const sorted = [...delays].sort((a, b) => a - b);
  await check('  order by deadline', fired.every((f, i) => f.ms === sorted[i]));
  await check('  none early, none late', fired.every((f) => f.at >= f.ms && f.at <= f.ms + SLACK_MS));

  /* 2: periodic */
  const periodic = timers[1]!;
  let signals = 0;
  let tenSignals!: () => void;
  const ten = new Promise<void>((r) => (tenSignals = r));
  periodic.onTimeout((count) => {
    signals += count;
    if (signals >= 10) tenSignals();
  });
  const pStart = await clock.elapsedMs();
  await periodic.session.triggerPeriodic(50_000);
  await ten;
  const pTime = (await clock.elapsedMs()) - pStart;
  await periodic.session.triggerPeriodic(0);
  await log(`periodic 50 ms: ${signals} signals in ${pTime} ms`);
  await check('  period kept', pTime >= 500 && pTime <= 500 + SLACK_MS);

  /* 3: a new trigger replaces the pending one: one signal, at the second deadline, none after it */
  const replaced = timers[2]!;
  let replacedSignals = 0;
  let replacedAt = 0;
  let firstReplaced!: () => void;
  const replacedFired = new Promise<void>((r) => (firstReplaced = r));
  const rStart = await clock.elapsedMs();
  replaced.onTimeout(async () => {
    replacedSignals++;
    replacedAt = (await clock.elapsedMs()) - rStart;
    firstReplaced();
  });
  await replaced.session.triggerOnce(100_000);
  await replaced.session.triggerOnce(300_000);
  await replacedFired;
  const sleeper = await TimerConnection.open(env, { label: 'sleeper' });
  await sleeper.msleep(300);
  await log(`re-triggered timeout: ${replacedSignals} signal, after ${replacedAt} ms`);
  await check('  replaced, not added', replacedSignals === 1 && replacedAt >= 300 && replacedAt <= 300 + SLACK_MS);

  /* 4: monotonic time, msleep */
  let last = await sleeper.elapsedUs();
  let monotonic = true;
  for (let i = 0; i < 50; i++) {
    const now = await sleeper.elapsedUs();
    monotonic &&= now >= last;
    last = now;
  }
  await check('elapsed time is monotonic', monotonic);
  const sStart = await sleeper.elapsedUs();
  await sleeper.msleep(20);
  const slept = (await sleeper.elapsedUs()) - sStart;
  await check(`msleep(20) slept ${Math.floor(slept / 1000)} ms`, slept >= 20_000 && slept <= (20 + SLACK_MS) * 1000);

  /* 5: bad arguments */
  try {
    await sleeper.session.triggerOnce(-1);
    await check('negative duration refused', false);
  } catch (e) {
    await check(`negative duration refused (${(e as Error).message})`, e instanceof BadArgument);
  }

  for (const t of [...timers, sleeper]) await t.close();
  await checks.finish(env, '--- timer test finished ---');
}
