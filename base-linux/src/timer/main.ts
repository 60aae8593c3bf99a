/*
 * timer on linux (Genode's linux timer): the Timer service from host time and host
 * timers, where the emulated kernels program the PIT. tool/run boots it under the binary
 * name "timer" on this kernel; clients see the same Timer session as everywhere.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../base/src/lib/root_component.js';
import { TimerSession } from '../../../os/src/session/timer/session.js';
import { HostTimerSession } from './session_component.js';

class TimerRoot extends RootComponent<TimerSession> {
  constructor(env: Env, private readonly nowUs: () => number) {
    super(env, TimerSession, TimerSession.service);
  }

  protected async createSession(_ctx: SessionContext): Promise<TimerSession> {
    return new HostTimerSession(this.nowUs, (sigh) => void this.env.submit(sigh));
  }

  protected override async destroySession(session: TimerSession): Promise<void> {
    (session as HostTimerSession).cancel();
  }
}

export async function construct(env: Env): Promise<void> {
  const start = performance.now();
  const nowUs = () => Math.floor((performance.now() - start) * 1000);
  await new TimerRoot(env, nowUs).announce();
}
