/*
 * The Timer service of the timer drivers: one session component per client, its timeouts
 * kept by the driver, whatever time source the driver has (the PIT here, the TSC and a timed
 * semaphore in base-nova's timer).
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { TimerSession } from '../../session/timer/session.js';
import type { TimerDriver, TimeoutClient } from './driver.js';

function checkDuration(what: string, us: number): void {
  if (!Number.isSafeInteger(us) || us < 0) throw new BadArgument(`${what}: invalid duration ${us} us`);
}

class TimerSessionComponent implements TimerSession {
  readonly client: TimeoutClient = { target: undefined };

  constructor(private readonly driver: TimerDriver, private readonly release: (cap: Capability<unknown>) => void) {}

  sigh = async (cap: Capability<SignalContext>) => {
    this.drop();
    this.client.target = cap.valid ? cap : undefined;
  };

  /** Releases the kept signal handler (replaced, or the session is closed). */
  drop(): void {
    if (this.client.target) this.release(this.client.target);
    this.client.target = undefined;
  }

  triggerOnce = async (us: number) => {
    checkDuration('Timer.triggerOnce', us);
    await this.driver.schedule(this.client, us, 0);
  };

  triggerPeriodic = async (us: number) => {
    checkDuration('Timer.triggerPeriodic', us);
    if (us === 0) return this.driver.cancel(this.client);
    const period = Math.max(us, TimerSession.MIN_PERIOD_US);
    await this.driver.schedule(this.client, period, period);
  };

  elapsedUs = () => this.driver.nowUs();
  elapsedMs = async () => Math.floor((await this.driver.nowUs()) / 1000);
}

export class TimerRoot extends RootComponent<TimerSession> {
  constructor(env: Env, private readonly driver: TimerDriver) {
    super(env, TimerSession, TimerSession.service);
  }

  protected async createSession(_ctx: SessionContext): Promise<TimerSession> {
    return new TimerSessionComponent(this.driver, (cap) => this.env.ep.release(cap));
  }

  protected override async destroySession(session: TimerSession): Promise<void> {
    this.driver.cancel((session as TimerSessionComponent).client);
    (session as TimerSessionComponent).drop();
  }
}
