/*
 * timer on fiasco (Genode's base-foc timer): the Timer service from the KIP clock and IPC
 * timeouts, where okl4 programs the PIT. tool/run boots it under the binary name "timer" on
 * this kernel; clients see the same Timer session as everywhere, and it needs neither the
 * PIT's I/O ports nor its interrupt.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { TimerDriver } from '../../../os/src/drivers/timer/driver.js';
import { TimerRoot } from '../../../os/src/drivers/timer/root.js';
import { ThreadedTimeSource } from '../../../os/src/drivers/timer/threaded_time_source.js';
import type { FocRuntime } from '../lib/runtime.js';
import { irqReceiveWait } from './time_source.js';

export async function construct(env: Env): Promise<void> {
  const rt = env.runtime as Partial<FocRuntime>;
  if (!rt.startTimeoutThread || !rt.kipClock) {
    throw new Error('the fiasco timer needs the KIP clock and IPC timeouts: it runs only as the fiasco kernel\'s own "timer" binary');
  }
  const clockUs = () => rt.kipClock!();
  /* the IRQ object the timeout thread receives from, from core, as Genode's timer requests one */
  const sm = await env.pd.allocSignalSource();
  let trigger: () => void = () => {};
  const source = new ThreadedTimeSource(clockUs, () => trigger());
  const driver = new TimerDriver(source, (sigh) => void env.submit(sigh));
  await driver.start();
  trigger = await rt.startTimeoutThread(env.cpu, env.pd.cap, sm, (receive) => source.run(irqReceiveWait(receive, clockUs), () => driver.interrupt()));
  await new TimerRoot(env, driver).announce();
}
