/*
 * The timer driver's core: one one-shot time source, many sessions. Every change of the
 * pending timeouts and every expiry of the one-shot reads the time, signals the sessions
 * whose timeouts passed and re-arms the one-shot for the next deadline (or for the longest
 * one-shot: the PIT's tick count must not miss a wrap of its counter).
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { Mutex } from '../../../../base/src/util/mutex.js';
import { TimeoutQueue } from './timeout_queue.js';

/**
 * The `maxUs` of a time source whose one-shots have no length limit (about 12 days): the
 * driver arms it when nothing is pending, and the source then arms nothing at all.
 */
export const NO_TIMEOUT_US = 2 ** 40;

/** What a timer driver needs of its device (Genode's Timer::Time_source). */
export interface TimeSource {
  /** Starts counting; time 0 is now. */
  start(): Promise<void>;
  /** Microseconds since the start. */
  nowUs(): Promise<number>;
  /**
   * Expires once, `us` microseconds from now at most `maxUs`; returns the microseconds
   * armed. Called right after `nowUs`.
   */
  armUs(us: number): Promise<number>;
  /** The longest one-shot in microseconds. */
  readonly maxUs: number;
}

export interface TimeoutClient {
  /** Where its timeouts go; unset until the client registered a signal handler. */
  target: Capability<SignalContext> | undefined;
}

export class TimerDriver {
  private readonly queue = new TimeoutQueue<TimeoutClient>();
  private readonly lock = new Mutex();
  /** Timer time (us) at which the armed one-shot fires. */
  private armedUntil = 0;

  constructor(private readonly source: TimeSource, private readonly submit: (sigh: Capability<SignalContext>) => void) {}

  async start(): Promise<void> {
    await this.lock.guard(async () => {
      await this.source.start();
      await this.rearm(0);
    });
  }

  /** Microseconds since the driver started. */
  nowUs(): Promise<number> {
    return this.lock.guard(() => this.source.nowUs());
  }

  /** Sets the client's timeout `us` from now (repeating with `period` if > 0). */
  async schedule(client: TimeoutClient, us: number, period: number): Promise<void> {
    await this.lock.guard(async () => {
      const now = await this.source.nowUs();
      this.queue.schedule(client, now + us, period);
      /* re-arming costs the ticks in between, so only when the new deadline comes first */
      if (now + us < this.armedUntil) await this.rearm(now);
    });
  }

  cancel(client: TimeoutClient): void {
    this.queue.cancel(client);
  }

  /** The one-shot expired (the PIT interrupted): deliver what is due and arm the next one. */
  async interrupt(): Promise<void> {
    await this.lock.guard(async () => {
      const now = await this.source.nowUs();
      for (const c of this.queue.expire(now)) if (c.target) this.submit(c.target);
      await this.rearm(now);
    });
  }

  private async rearm(now: number): Promise<void> {
    const next = this.queue.next();
    this.armedUntil = now + (await this.source.armUs(next === undefined ? this.source.maxUs : next - now));
  }
}
