/*
 * The PIT timer with the TSC as its clock, where the component runs on the PC's CPU and
 * the kernel tells the TSC's frequency (as an x86 kernel keeps time from the TSC and uses
 * the PIT only for one-shot timer events). Counting PIT ticks (pit.ts, Genode's pit timer)
 * needs a wake-up per wrap of the 16-bit counter, 18 a second even when nothing is
 * pending; with the TSC as clock the PIT is armed only for a pending timeout, as often as
 * the timeout's length needs, so an idle system has no timer wake-ups.
 */
import type { Tsc } from '../../../../base/src/lib/runtime.js';
import { cyclesToTicks } from '../../../../base/src/util/clock_ratio.js';
import { NO_TIMEOUT_US, type TimeSource } from './driver.js';
import { ticksToUs, type PitTimer } from './pit.js';

export class TscPitTimer implements TimeSource {
  /** One-shots this long are not armed at all: nothing is pending. */
  readonly maxUs = NO_TIMEOUT_US;
  private start0 = 0;

  constructor(private readonly pit: PitTimer, private readonly tsc: Tsc) {}

  async start(): Promise<void> {
    this.start0 = this.tsc.now();
  }

  async nowUs(): Promise<number> {
    return cyclesToTicks(this.tsc.now() - this.start0, this.tsc.hz, 1_000_000);
  }

  /** A one-shot of at most a wrap (the driver re-arms for the rest); none when nothing is pending. */
  async armUs(us: number): Promise<number> {
    /* the PIT stays quiet: in mode 0, OUT stays high after the terminal count */
    if (us >= this.maxUs) return this.maxUs;
    return ticksToUs(await this.pit.arm(us));
  }
}
