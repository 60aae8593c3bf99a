/*
 * The time-stamp counter: the one clock of the emulated PC.
 *
 * Time is virtual. It only moves when the CPU (a kernel) calls `advance(cycles)`; every
 * device that depends on time derives its own clock from the TSC (the PIT's 1.193182 MHz,
 * the UART's bit clock) and catches up in `sync`. Nothing here reads the host's clock, so
 * the same sequence of calls always produces the same device behaviour.
 */

import type { MachineClock } from '../../base/src/machine.js';

/** A device whose state depends on time. */
export interface TimedDevice {
  /** Bring the device's state up to TSC `tsc` (never earlier than the last sync), raising the interrupts due. */
  sync(tsc: number): void;
  /** TSC of the device's next event (strictly after the last sync), or undefined if none is scheduled. */
  nextEventAt(): number | undefined;
}

export const DEFAULT_TSC_HZ = 2_000_000_000;

export { cyclesToTicks, ticksToCycles } from '../../base/src/util/clock_ratio.js';

export class Tsc implements MachineClock {
  private cycles = 0;
  private readonly devices: TimedDevice[] = [];

  constructor(readonly tscHz: number = DEFAULT_TSC_HZ) {
    if (!Number.isFinite(tscHz) || tscHz <= 0) throw new RangeError(`tscHz must be positive, got ${tscHz}`);
  }

  /** Devices attached here are synced on every advance and asked for their next event. */
  attach(device: TimedDevice): void {
    this.devices.push(device);
  }

  tsc(): number {
    return this.cycles;
  }

  /* ------------------------------------------------------------ outside input */

  private readonly scheduleListeners: Array<() => void> = [];

  onScheduleChange(listener: () => void): void {
    this.scheduleListeners.push(listener);
  }

  /** A device scheduled an event on input from the host (not from the CPU's work). */
  scheduleChanged(): void {
    for (const l of this.scheduleListeners) l();
  }

  /* ------------------------------------------------------------ pacing */

  private paceBase: { tsc: number; hostMs: number } | undefined;

  /**
   * Ties virtual time to host time from now on: an idle system then waits for the host
   * clock to reach its next event instead of jumping there (a live display is watched by
   * a person, and an idle system should cost the host nothing). Time still never moves
   * by itself: only a kernel's advance moves it, so what a run computes does not change.
   */
  pace(): void {
    this.paceBase ??= { tsc: this.cycles, hostMs: performance.now() };
  }

  dueInMs(tsc: number): number | undefined {
    const b = this.paceBase;
    if (!b) return undefined;
    return ((tsc - b.tsc) * 1000) / this.tscHz - (performance.now() - b.hostMs);
  }

  pacedTsc(): number | undefined {
    const b = this.paceBase;
    return b ? b.tsc + Math.floor(((performance.now() - b.hostMs) * this.tscHz) / 1000) : undefined;
  }

  advance(cycles: number): void {
    if (!Number.isFinite(cycles) || cycles < 0) throw new RangeError(`cannot advance the TSC by ${cycles}`);
    this.cycles += cycles;
    // Each device accounts for every event in (last sync, now] itself, so one sync per
    // device suffices: devices only talk to each other through edge-latched IRQ lines.
    for (const device of this.devices) device.sync(this.cycles);
  }

  /** Advance exactly to `tsc` (convenience for kernels and tests that jump to an event). */
  advanceTo(tsc: number): void {
    if (tsc > this.cycles) this.advance(tsc - this.cycles);
  }

  nextEventAt(): number | undefined {
    let earliest: number | undefined;
    for (const device of this.devices) {
      const at = device.nextEventAt();
      if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
    }
    return earliest;
  }
}
