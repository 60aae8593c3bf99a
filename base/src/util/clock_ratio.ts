/*
 * Converting counts between two clocks of whole-number frequencies (TSC cycles, PIT ticks,
 * microseconds), exactly: split into whole seconds and a remainder so the products stay
 * below 2^53. Used by the emulated PC's devices, the kernels' clocks and the timers.
 */

/** A frequency as a kernel's info page gives it (NOVA's HIP, the Fiasco.OC and OKL4 KIPs): whole kHz, in Hz. */
export function infoPageHz(hz: number): number {
  return Math.round(hz / 1000) * 1000;
}

/** Ticks of a `tickHz` clock that have elapsed after `cycles` cycles of a `tscHz` clock (rounded down). */
export function cyclesToTicks(cycles: number, tscHz: number, tickHz: number): number {
  const seconds = Math.floor(cycles / tscHz);
  const rest = cycles - seconds * tscHz;
  return seconds * tickHz + Math.floor((rest * tickHz) / tscHz);
}

/** The first cycle count at which `ticks` ticks of a `tickHz` clock have elapsed (inverse of cyclesToTicks). */
export function ticksToCycles(ticks: number, tscHz: number, tickHz: number): number {
  const seconds = Math.floor(ticks / tickHz);
  const rest = ticks - seconds * tickHz;
  return seconds * tscHz + Math.ceil((rest * tscHz) / tickHz);
}
