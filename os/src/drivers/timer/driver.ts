/*
 * The timer driver's core: one PIT, many sessions. Every change of the pending timeouts
 * and every PIT interrupt goes through `update`, which reads the time, signals the
 * sessions whose timeouts passed and re-arms the one-shot for the next deadline (or for
 * the longest one-shot, so the tick count never misses a wrap of the counter).
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { Mutex } from '../../../../base/src/util/mutex.js';
import { PitTimer, ticksToUs } from './pit.js';
import { TimeoutQueue } from './timeout_queue.js';

export interface TimeoutClient {
  /** Where its timeouts go; unset until the client registered a signal handler. */
  target: Capability<SignalContext> | undefined;
}

export class TimerDriver {
  private readonly queue = new TimeoutQueue<TimeoutClient>();
  private readonly lock = new Mutex();
  /** Timer time (us) at which the armed one-shot fires. */
  private armedUntil = 0;

  constructor(private readonly pit: PitTimer, private readonly submit: (sigh: Capability<SignalContext>) => void) {}

  async start(): Promise<void> {
    await this.lock.guard(async () => {
      await this.pit.start();
      await this.rearm(0);
    });
  }

  /** Microseconds since the driver started. */
  nowUs(): Promise<number> {
    return this.lock.guard(() => this.pit.nowUs());
  }

  /** Sets the client's timeout `us` from now (repeating with `period` if > 0). */
  async schedule(client: TimeoutClient, us: number, period: number): Promise<void> {
    await this.lock.guard(async () => {
      const now = await this.pit.nowUs();
      this.queue.schedule(client, now + us, period);
      /* re-arming costs the ticks in between, so only when the new deadline comes first */
      if (now + us < this.armedUntil) await this.rearm(now);
    });
  }

  cancel(client: TimeoutClient): void {
    this.queue.cancel(client);
  }

  /** The PIT interrupted: deliver what is due and arm the next one-shot. */
  async interrupt(): Promise<void> {
    await this.lock.guard(async () => {
      const now = await this.pit.nowUs();
      for (const c of this.queue.expire(now)) if (c.target) this.submit(c.target);
      await this.rearm(now);
    });
  }

  private async rearm(now: number): Promise<void> {
    const next = this.queue.next();
    const ticks = await this.pit.arm(next === undefined ? PitTimer.maxUs : next - now);
    this.armedUntil = now + ticksToUs(ticks);
  }
}
