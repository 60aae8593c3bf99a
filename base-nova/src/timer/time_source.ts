/*
 * The NOVA timer's time source (Genode's base-nova timer): time is the TSC, read with
 * rdtsc and scaled by the frequency the hypervisor information page gives; a timeout is a
 * thread of the timer blocked in sm_ctrl DOWN on a semaphore of its own with the deadline
 * as an absolute TSC value. A new, earlier deadline ends the wait with sm_ctrl UP and the
 * thread blocks again with it. With nothing pending the thread waits without a deadline, so
 * an idle system has no timer wake-ups at all (the PIT needs one per wrap of its counter).
 */
import { Status } from '../kernel/abi.js';
import type { TimeSource } from '../../../os/src/drivers/timer/driver.js';

export interface Tsc {
  now(): number;
  readonly hz: number;
}

/** Whole microseconds in `cycles` TSC cycles (exact while the cycles are below 2^53). */
function cyclesToUs(cycles: number, hz: number): number {
  const seconds = Math.floor(cycles / hz);
  return seconds * 1_000_000 + Math.floor(((cycles - seconds * hz) * 1_000_000) / hz);
}

/** The TSC cycles that cover at least `us` microseconds. */
function usToCycles(us: number, hz: number): number {
  const seconds = Math.floor(us / 1_000_000);
  return seconds * hz + Math.ceil(((us - seconds * 1_000_000) * hz) / 1_000_000);
}

export class TscTimeSource implements TimeSource {
  /** One-shots this long or longer wait without a deadline (about 12 days). */
  readonly maxUs = 2 ** 40;
  private start0 = 0;
  /** The absolute TSC deadline of the armed one-shot; 0: none. */
  private deadline = 0;
  /** The timeout thread is blocked in its semaphore (an UP would end that wait). */
  private waiting = false;

  /** `wake` ups the timeout thread's semaphore. */
  constructor(private readonly tsc: Tsc, private readonly wake: () => void) {}

  async start(): Promise<void> {
    this.start0 = this.tsc.now();
  }

  async nowUs(): Promise<number> {
    return cyclesToUs(this.tsc.now() - this.start0, this.tsc.hz);
  }

  async armUs(us: number): Promise<number> {
    const armed = Math.min(Math.max(0, us), this.maxUs);
    this.deadline = armed >= this.maxUs ? 0 : this.tsc.now() + usToCycles(armed, this.tsc.hz);
    /* the thread blocks with the old deadline: wake it, it takes the new one */
    if (this.waiting) this.wake();
    return armed;
  }

  /**
   * The timeout thread's loop: blocks with the armed deadline (`down`) and calls `expired`
   * at every timeout; a wake-up only makes it block again with the new deadline.
   */
  run(down: (deadline: number) => Promise<Status>, expired: () => Promise<void>): void {
    const loop = async (): Promise<void> => {
      for (;;) {
        this.waiting = true;
        const status = await down(this.deadline);
        this.waiting = false;
        if (status === Status.TIMEOUT) await expired();
        else if (status !== Status.SUCCESS) throw new Error(`timer: sm_ctrl DOWN failed with status ${status}`);
      }
    };
    void loop();
  }
}
