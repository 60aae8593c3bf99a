/*
 * The Fiasco.OC timer's clock and wait (Genode's base-foc timer): time is the clock field
 * of the kernel info page; a timeout is the timer's thread in an IPC receive from an IRQ
 * object of its own with a relative receive timeout, and triggering that IRQ ends the wait
 * early (os/src/drivers/timer/threaded_time_source.ts). Genode's timer sleeps at most 1 ms
 * at a time because thread_ex_regs could not cancel the sleep there; the IRQ can, so this
 * one waits without a timeout when nothing is pending.
 */
import { L4_IPC_RETIMEOUT } from '../kernel/consts.js';
import { L4_IPC_TIMEOUT_NEVER, l4_timeout, l4_timeout_rel } from '../kernel/timeout.js';
import type { BlockUntil } from '../../../os/src/drivers/timer/threaded_time_source.js';

const MANTISSA_BITS = 10;
const MAX_EXPONENT = 0x1f;

/**
 * The longest relative timeout (m * 2^e us, 10-bit m, 5-bit e) not longer than `us` (> 0):
 * it ends at or before the deadline, and the thread waits again for what is left, which
 * takes a few rounds at most (each leaves less than 1/512 of the rest).
 */
export function timeoutNotAfterUs(us: number): number {
  const e = Math.min(MAX_EXPONENT, Math.max(0, Math.floor(Math.log2(us)) - (MANTISSA_BITS - 1)));
  const m = Math.min(2 ** MANTISSA_BITS - 1, Math.floor(us / 2 ** e));
  return l4_timeout_rel(m, e);
}

/**
 * The timeout thread's wait: an IRQ receive (`receive`, the IPC error it yields) with the
 * receive timeout up to `deadline` on the KIP clock `clockUs`, or none without a deadline.
 */
export function irqReceiveWait(receive: (timeout: number) => Promise<number>, clockUs: () => number): BlockUntil {
  return async (deadline) => {
    let timeout = L4_IPC_TIMEOUT_NEVER;
    if (deadline !== undefined) {
      const rest = deadline - clockUs();
      if (rest <= 0) return 'timeout';
      timeout = timeoutNotAfterUs(rest);
    }
    const error = await receive(l4_timeout(L4_IPC_TIMEOUT_NEVER, timeout));
    if (error === L4_IPC_RETIMEOUT) return 'timeout';
    if (error === 0) return 'woken';
    throw new Error(`timer: the IRQ receive failed with IPC error ${error}`);
  };
}
