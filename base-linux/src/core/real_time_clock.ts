/*
 * The machine's time on linux: host time. The emulated kernels advance the TSC by their
 * cost model; a host kernel has no such model, the CPU simply runs, so here the TSC is
 * host time since boot times the TSC frequency. Devices only move when the TSC does, so
 * core syncs it before every device access and interrupt check, and keeps one host timer
 * armed for the machine's next device event (a PIT terminal count, a UART character
 * time), so that event's interrupt comes on time even when nobody touches the machine.
 * Input from the outside world (a byte on the serial line, scripted or from the live
 * display, a frame from the wire) may schedule a device event behind core's back (the
 * UART's character timeout): the machine's clock tells (onScheduleChange) and the timer is
 * re-armed. A slow periodic tick stays as a bound for a device that does not tell; an idle
 * system thus wakes the host a few times a second, not 200 times.
 */
import type { MachineClock } from '../../../base/src/machine.js';

/** Period of the sync tick: the latency bound for a device event scheduled from outside without telling. */
export const TICK_MS = 250;

export class RealTimeClock {
  private readonly start = performance.now();
  private timer: NodeJS.Timeout | undefined;
  /** TSC value the armed host timer is for. */
  private armedFor: number | undefined;
  private stopped = false;
  /** A device raising an interrupt during a sync makes core check interrupts, which syncs again. */
  private syncing = false;

  private readonly tick: NodeJS.Timeout;

  constructor(private readonly clock: MachineClock, tickMs = TICK_MS) {
    this.tick = setInterval(() => this.sync(), tickMs);
    /* the machine alone does not keep the process alive, its components do */
    this.tick.unref();
    /* after the device's call has returned: the sync advances the devices */
    clock.onScheduleChange?.(() => queueMicrotask(() => this.sync()));
  }

  /** The TSC value that corresponds to now. */
  private now(): number {
    return Math.floor(((performance.now() - this.start) * this.clock.tscHz) / 1000);
  }

  /** Brings the machine up to host time (raising the interrupts that came due) and re-arms. */
  sync(): void {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const target = this.now();
      const tsc = this.clock.tsc();
      if (target > tsc) this.clock.advance(target - tsc);
    } finally {
      this.syncing = false;
    }
    this.arm();
  }

  /** Arms the host timer for the machine's next event; call after anything that may change it. */
  arm(): void {
    if (this.stopped) return;
    const at = this.clock.nextEventAt();
    if (at === this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = at;
    if (at === undefined) return;
    const ms = Math.max(0, ((at - this.clock.tsc()) / this.clock.tscHz) * 1000);
    /* host timers have millisecond granularity: never early, the sync re-arms if still short */
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedFor = undefined;
      this.sync();
    }, Math.ceil(ms));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.tick);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
