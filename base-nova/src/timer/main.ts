/*
 * timer on nova (Genode's base-nova timer): the Timer service from the TSC and a timed
 * semaphore, where the other emulated kernels program the PIT. tool/run boots it under the
 * binary name "timer" on this kernel; clients see the same Timer session as everywhere, and
 * it needs neither the PIT's I/O ports nor its interrupt.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { TimerDriver } from '../../../os/src/drivers/timer/driver.js';
import { TimerRoot } from '../../../os/src/drivers/timer/root.js';
import { ThreadedTimeSource } from '../../../os/src/drivers/timer/threaded_time_source.js';
import type { NovaRuntime } from '../lib/runtime.js';
import { semaphoreWait, tscClockUs } from './time_source.js';

export async function construct(env: Env): Promise<void> {
  const rt = env.runtime as Partial<NovaRuntime>;
  if (!rt.startTimeoutThread || !rt.tsc || !rt.semUp) {
    throw new Error('the nova timer needs NOVA\'s TSC and timed semaphores: it runs only as the nova kernel\'s own "timer" binary');
  }
  /* the semaphore the timeout thread blocks on, from core, as Genode's timer requests one */
  const sm = await env.pd.allocSignalSource();
  const tsc = rt.tsc;
  const source = new ThreadedTimeSource(tscClockUs(tsc), () => rt.semUp!(sm));
  const driver = new TimerDriver(source, (sigh) => void env.submit(sigh));
  await driver.start();
  await rt.startTimeoutThread(env.cpu, env.pd.cap, sm, (down) => source.run(semaphoreWait(down, tsc.hz), () => driver.interrupt()));
  await new TimerRoot(env, driver).announce();
}
