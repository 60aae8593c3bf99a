/*
 * Sample-rate conversion by linear interpolation (not band-limited: good enough for speech
 * and test tones; a rate change aliases what lies above the lower Nyquist frequency). Output
 * frame i lies at source position i * from / to, computed in integers so that every run and
 * every kernel gets the same samples.
 */

/** The number of output frames for `frames` input frames: every output position inside the input. */
export function resampledLength(frames: number, from: number, to: number): number {
  if (frames === 0) return 0;
  return Math.floor(((frames - 1) * to) / from) + 1;
}

export function resampleLinear(input: ArrayLike<number>, from: number, to: number): number[] {
  if (!(Number.isInteger(from) && from > 0 && Number.isInteger(to) && to > 0)) throw new RangeError(`resample: rates must be positive integers (${from} -> ${to})`);
  if (from === to) return Array.from(input);
  const out = new Array<number>(resampledLength(input.length, from, to));
  for (let i = 0; i < out.length; i++) {
    const pos = i * from; /* source position times `to` (exact: below 2^53 for any file that fits in memory) */
    const at = Math.floor(pos / to);
    const frac = (pos - at * to) / to;
    const a = input[at]!;
    const b = at + 1 < input.length ? input[at + 1]! : a;
    out[i] = a + (b - a) * frac;
  }
  return out;
}
