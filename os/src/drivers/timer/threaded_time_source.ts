/*
 * A time source whose one-shot is a thread of the timer blocked in the kernel with a
 * timeout (Genode's Threaded_time_source, as the NOVA and Fiasco.OC timers use it): the
 * thread waits until the armed deadline, and a new, earlier deadline wakes it so that it
 * waits again with that one. With nothing pending it waits without a timeout, so an idle
 * system has no timer wake-ups at all (the PIT needs one per wrap of its counter).
 *
 * Time is a kernel clock in whole microseconds (the TSC on NOVA, the KIP clock on
 * Fiasco.OC). A kernel whose timeouts cannot say every deadline exactly may end the wait
 * early: the thread then waits again for the rest, and only a deadline that passed expires.
 */
import { NO_TIMEOUT_US, type TimeSource } from './driver.js';

/** How a kernel wait ended: its timeout passed, or the timer woke the thread. */
export type WaitEnd = 'timeout' | 'woken';

/** Blocks the timeout thread until the clock reaches `deadline` (us), or without a timeout. */
export type BlockUntil = (deadline: number | undefined) => Promise<WaitEnd>;

export class ThreadedTimeSource implements TimeSource {
  /** One-shots this long wait without a deadline. */
  readonly maxUs = NO_TIMEOUT_US;
  private start0 = 0;
  /** The clock's value at which the armed one-shot expires; undefined: none armed. */
  private deadline: number | undefined;
  /** The timeout thread is blocked in the kernel (a wake-up would end that wait). */
  private waiting = false;

  /**
   * `clockUs` reads the kernel clock in whole microseconds; `wake` ends the timeout
   * thread's wait early.
   */
  constructor(private readonly clockUs: () => number, private readonly wake: () => void) {}

  async start(): Promise<void> {
    this.start0 = this.clockUs();
  }

  async nowUs(): Promise<number> {
    return this.clockUs() - this.start0;
  }

  async armUs(us: number): Promise<number> {
    const armed = Math.min(Math.max(0, us), this.maxUs);
    this.deadline = armed >= this.maxUs ? undefined : this.clockUs() + armed;
    /* the thread waits with the old deadline: wake it, it takes the new one */
    if (this.waiting) this.wake();
    return armed;
  }

  /**
   * The timeout thread's loop: blocks until the armed deadline and calls `expired` once it
   * passed; a wake-up, or a timeout before the deadline, only makes it block again.
   */
  run(block: BlockUntil, expired: () => Promise<void>): void {
    const loop = async (): Promise<void> => {
      for (;;) {
        this.waiting = true;
        const end = await block(this.deadline);
        this.waiting = false;
        if (end === 'timeout' && this.deadline !== undefined && this.clockUs() >= this.deadline) await expired();
      }
    };
    void loop();
  }
}
