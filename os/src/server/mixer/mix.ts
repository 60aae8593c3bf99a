/*
 * The mixer's arithmetic, apart from sessions so that tests and scenarios compute the
 * expected output the same way.
 *
 * Clipping rule: every output sample is
 *
 *   clamp(sum over the contributing clients, in the order they opened their sessions,
 *         of sample * volume / 100, -1, 1) * out_volume / 100
 *
 * summed in double precision; the stream stores it as a 32-bit float. Genode's mixer clamps after each
 * client's addition (and scales by the output volume each time), which makes the result
 * depend on the clients' order beyond rounding; one clamp at the end does not, and a loud
 * client cannot mute a later one's contribution.
 */

/** Volumes are percentages, as in Genode's mixer config (0..100). */
export const MAX_VOLUME = 100;

export interface MixInput {
  samples: ArrayLike<number>;
  /** 0..100 */
  volume: number;
}

/** Mixes `inputs` (each at least out.length samples) into `out`. No inputs: silence. */
export function mixPeriod(out: { length: number; [i: number]: number }, inputs: readonly MixInput[], outVolume = MAX_VOLUME): void {
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const input of inputs) sum += scale(input.samples[i]!, input.volume);
    out[i] = scale(Math.max(-1, Math.min(1, sum)), outVolume);
  }
}

/** Full volume is the identity: one client at 100 reaches the driver bit for bit. */
function scale(v: number, volume: number): number {
  return volume === MAX_VOLUME ? v : (v * volume) / MAX_VOLUME;
}

/** A config volume attribute: a whole number 0..100, anything else is refused with a reason. */
export function parseVolume(text: string, where: string): number {
  const v = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(v) || v < 0 || v > MAX_VOLUME) {
    throw new RangeError(`${where}: volume "${text}" is not a whole number 0..${MAX_VOLUME}`);
  }
  return v;
}
