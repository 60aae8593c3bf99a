/*
 * A Timer session on linux: its one timeout is a host timer of the timer component's
 * worker, against host time. Host timers may fire a little early against a fresh clock
 * reading, so a timeout that is not yet due is re-armed for the rest; a periodic timeout
 * moves on from its deadline (not from when it fired) and skips periods it missed.
 */
import type { Capability } from '../../../base/src/capability.js';
import { BadArgument } from '../../../base/src/errors.js';
import type { SignalContext } from '../../../base/src/session/signal/session.js';
import { TimerSession } from '../../../os/src/session/timer/session.js';

import type { HostClock } from '../lib/syscall_gate.js';

function checkDuration(what: string, us: number): void {
  if (!Number.isSafeInteger(us) || us < 0) throw new BadArgument(`${what}: invalid duration ${us} us`);
}

export class HostTimerSession implements TimerSession {
  private target: Capability<SignalContext> | undefined;
  private handle: number | undefined;
  private deadline = 0;
  private period = 0;

  constructor(private readonly clock: HostClock, private readonly submit: (sigh: Capability<SignalContext>) => void) {}

  sigh = async (cap: Capability<SignalContext>): Promise<void> => {
    this.target = cap.valid ? cap : undefined;
  };

  triggerOnce = async (us: number): Promise<void> => {
    checkDuration('Timer.triggerOnce', us);
    this.arm(this.clock.nowUs() + us, 0);
  };

  triggerPeriodic = async (us: number): Promise<void> => {
    checkDuration('Timer.triggerPeriodic', us);
    if (us === 0) return this.cancel();
    const period = Math.max(us, TimerSession.MIN_PERIOD_US);
    this.arm(this.clock.nowUs() + period, period);
  };

  elapsedUs = async (): Promise<number> => this.clock.nowUs();
  elapsedMs = async (): Promise<number> => Math.floor(this.clock.nowUs() / 1000);

  cancel(): void {
    if (this.handle !== undefined) this.clock.cancel(this.handle);
    this.handle = undefined;
  }

  private arm(deadline: number, period: number): void {
    this.cancel();
    this.deadline = deadline;
    this.period = period;
    this.wait();
  }

  private wait(): void {
    const left = this.deadline - this.clock.nowUs();
    this.handle = this.clock.after(Math.max(0, Math.ceil(left / 1000)), () => this.due());
  }

  private due(): void {
    const now = this.clock.nowUs();
    if (now < this.deadline) return this.wait();
    if (this.target) this.submit(this.target);
    if (this.period === 0) {
      this.handle = undefined;
      return;
    }
    this.deadline += this.period;
    if (this.deadline <= now) this.deadline += Math.ceil((now - this.deadline + 1) / this.period) * this.period;
    this.wait();
  }
}
