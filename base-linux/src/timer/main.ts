/*
 * timer on linux (Genode's linux timer): the Timer service from host time and host
 * timers, where the emulated kernels program the PIT. tool/run boots it under the binary
 * name "timer" on this kernel; clients see the same Timer session as everywhere.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../base/src/lib/root_component.js';
import { TimerSession } from '../../../os/src/session/timer/session.js';
import { HostTimerSession } from './session_component.js';
import type { LinuxRuntime } from '../lib/runtime.js';
import type { HostClock } from '../lib/syscall_gate.js';

class TimerRoot extends RootComponent<TimerSession> {
  constructor(env: Env, private readonly clock: HostClock) {
    super(env, TimerSession, TimerSession.service);
  }

  protected async createSession(_ctx: SessionContext): Promise<TimerSession> {
    return new HostTimerSession(this.clock, (sigh) => void this.env.submit(sigh));
  }

  protected override async destroySession(session: TimerSession): Promise<void> {
    (session as HostTimerSession).cancel();
  }
}

export async function construct(env: Env): Promise<void> {
  const clock = (env.runtime as Partial<LinuxRuntime>).hostClock;
  if (!clock) throw new Error('the linux timer needs the host clock: it runs only as the linux kernel\'s own "timer" binary');
  await new TimerRoot(env, clock).announce();
}
