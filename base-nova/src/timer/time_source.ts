/*
 * The NOVA timer's clock and wait (Genode's base-nova timer): time is the TSC, read with
 * rdtsc and scaled by the frequency the hypervisor information page gives; a timeout is a
 * thread of the timer blocked in sm_ctrl DOWN on a semaphore of its own with the deadline
 * as an absolute TSC value, and sm_ctrl UP on it ends the wait early
 * (os/src/drivers/timer/threaded_time_source.ts).
 */
import { Status } from '../kernel/abi.js';
import type { Tsc } from '../../../base/src/lib/runtime.js';
import { cyclesToTicks, ticksToCycles } from '../../../base/src/util/clock_ratio.js';
import type { BlockUntil } from '../../../os/src/drivers/timer/threaded_time_source.js';

/** The TSC in whole microseconds: the timer's clock. */
export function tscClockUs(tsc: Tsc): () => number {
  return () => cyclesToTicks(tsc.now(), tsc.hz, 1_000_000);
}

/**
 * The timeout thread's wait: sm_ctrl DOWN (`down`) with the first TSC value at which the
 * clock reads `deadline` (0 asks NOVA for no timeout).
 */
export function semaphoreWait(down: (deadline: number) => Promise<Status>, hz: number): BlockUntil {
  return async (deadline) => {
    const status = await down(deadline === undefined ? 0 : Math.max(1, ticksToCycles(deadline, hz, 1_000_000)));
    if (status === Status.TIMEOUT) return 'timeout';
    if (status === Status.SUCCESS) return 'woken';
    throw new Error(`timer: sm_ctrl DOWN failed with status ${status}`);
  };
}
