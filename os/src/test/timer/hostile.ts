/*
 * test-timer_hostile: a hostile Timer client, beside honest sleepers (os/run/timer_hostile).
 *  1. durations the session interface cannot mean, written straight into the message
 *     (negative, beyond 2^53, the largest two-word value): each refused with BadArgument;
 *  2. the longest valid durations, once and periodic: accepted, and nothing fires;
 *  3. a storm of zero timeouts on one session: coalesced signals, the timer keeps going;
 *  4. a 1 us period: raised to the session's minimum, not an interrupt flood;
 *  5. signal handlers that are invalid or a forged name: the timer keeps serving;
 *  6. sessions opened until the quota runs out, then closed with timeouts pending.
 * The sleepers' timing must not suffer (their own "(ok)" checks).
 */
import { BadArgument } from '../../../../base/src/errors.js';
import { Capability } from '../../../../base/src/capability.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { unmarshalReply } from '../../../../base/src/rpc/client.js';
import { interfaceInfo } from '../../../../base/src/rpc/interface.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { describeError, openLog } from '../../lib/log.js';
import { Checks } from '../../lib/checks.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { TimerSession } from '../../session/timer/session.js';

const name = (e: unknown) => (e instanceof Error ? e.name : String(e));

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const checks = new Checks(log);
  const check = (what: string, ok: boolean) => checks.check(what, ok);
  const timer = await TimerConnection.open(env, { label: 'hostile' });
  let signals = 0;
  timer.onTimeout((count) => void (signals += count));

  /* 1: raw duration words: [low, high] of the two-word integer */
  const triggerOnce = interfaceInfo(TimerSession).byName.get('triggerOnce')!;
  const raw = (lo: number, hi: number) => env.runtime.caller.call(timer.connection.cap, (m) => {
    m.words[0] = triggerOnce.opcode;
    m.words[1] = lo;
    m.words[2] = hi;
    m.length = 3;
  }, (m) => unmarshalReply(triggerOnce, m));
  for (const [what, lo, hi] of [['-1', 0xffffffff, 0xffffffff], ['-2^63', 0, 0x80000000], ['2^53', 0, 0x200000], ['2^63 - 1', 0xffffffff, 0x7fffffff]] as const) {
    const refused = await raw(lo, hi).then(() => undefined, (e: unknown) => e);
    await check(`duration ${what} refused: ${refused ? describeError(refused) : 'accepted'}`, refused instanceof BadArgument);
  }

  /* 2: the longest valid durations never fire within a second */
  await timer.session.triggerOnce(Number.MAX_SAFE_INTEGER);
  const other = await TimerConnection.open(env, { label: 'hostile periodic' });
  let otherSignals = 0;
  other.onTimeout((count) => void (otherSignals += count));
  await other.session.triggerPeriodic(Number.MAX_SAFE_INTEGER);
  const sleeper = await TimerConnection.open(env, { label: 'hostile sleeper' });
  await sleeper.msleep(1000);
  await check(`2^53 - 1 us once and periodic: ${signals + otherSignals} signals in a second`, signals + otherSignals === 0);

  /* 3: a storm of zero timeouts */
  const t0 = await sleeper.elapsedMs();
  for (let i = 0; i < 2000; i++) await timer.session.triggerOnce(0);
  await sleeper.msleep(10);
  await check(`2000 zero timeouts: ${signals} signal deliveries, ${(await sleeper.elapsedMs()) - t0} ms`, signals >= 1 && signals <= 2000);

  /* 4: a 1 us period is raised to the minimum */
  otherSignals = 0;
  const p0 = await sleeper.elapsedUs();
  await other.session.triggerPeriodic(1);
  await sleeper.msleep(100);
  await other.session.triggerPeriodic(0);
  /* one signal per minimum period at most, however long the sleep took (a busy host) */
  const limit = Math.floor(((await sleeper.elapsedUs()) - p0) / TimerSession.MIN_PERIOD_US) + 1;
  await check(`1 us period: ${otherSignals} signals in 100 ms, not more than one per ${TimerSession.MIN_PERIOD_US} us`, otherSignals >= 1 && otherSignals <= limit);

  /* 5: invalid and forged signal handlers */
  await timer.session.sigh(new Capability<SignalContext>(undefined));
  await timer.session.triggerOnce(1000);
  const forgedSigh = env.runtime.forge(0x1234) as Capability<SignalContext>;
  const forged = await timer.session.sigh(forgedSigh).then(() => 'accepted', (e: unknown) => `refused (${name(e)})`);
  await timer.session.triggerOnce(1000).catch(() => {});
  await sleeper.msleep(20);
  await check(`invalid signal handler taken, a forged one ${forged}: the timer still serves`, (await sleeper.elapsedMs()) > t0);

  /* 6: sessions until the quota runs out, each with a timeout pending, then closed */
  const many: TimerConnection[] = [];
  let refusal = '';
  for (let i = 0; i < 1000 && !refusal; i++) {
    try {
      const c = await TimerConnection.open(env, { label: `flood ${i}` });
      await c.session.triggerPeriodic(5000);
      many.push(c);
    } catch (e) {
      refusal = name(e);
    }
  }
  await check(`${many.length} sessions, then refused: ${refusal || 'never'}`, refusal !== '' && many.length > 0);
  for (const c of many) await c.close();
  const after = await TimerConnection.open(env, { label: 'after the flood' });
  const before = await after.elapsedMs();
  await after.msleep(50);
  await check('after closing them a new session sleeps', (await after.elapsedMs()) - before >= 50);

  await checks.finish(env, 'hostile timer client done');
}
