/*
 * Splits a range into the largest naturally aligned power-of-two flexpages whose address
 * is aligned in both the source and the destination space, as a map of a region must.
 */

export interface Chunk {
  /** Start in the source space. */
  from: number;
  /** Start in the destination space. */
  to: number;
  /** log2 of the size. */
  log2: number;
}

/** Chunks of [from, from+size) mapped to [to, to+size); sizes are at least 2^minLog2. */
export function* flexpages(from: number, to: number, size: number, minLog2 = 12): Generator<Chunk> {
  let f = from;
  let t = to;
  let left = Math.ceil(size / 2 ** minLog2) * 2 ** minLog2;
  while (left > 0) {
    let log2 = minLog2;
    while (log2 < 31 && f % 2 ** (log2 + 1) === 0 && t % 2 ** (log2 + 1) === 0 && 2 ** (log2 + 1) <= left) log2++;
    yield { from: f, to: t, log2 };
    f += 2 ** log2;
    t += 2 ** log2;
    left -= 2 ** log2;
  }
}
