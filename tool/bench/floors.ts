/* Host floors measured in the same run as the benchmarks, so results compare as ratios. */

async function nothing(): Promise<number> {
  return 1;
}

/** ns per `await` of an async function that returns at once. */
export async function awaitFloorNs(iterations = 2_000_000): Promise<number> {
  let sum = 0;
  for (let i = 0; i < 10_000; i++) sum += await nothing();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sum += await nothing();
  const ns = Number(process.hrtime.bigint() - t0) / iterations;
  if (sum < 0) throw new Error('unreachable');
  return ns;
}

/**
 * ns per store into a typed array and per store through a DataView over the same words, in
 * this (locked-down) realm: the two are alike unless lockdown's freezing slowed typed-array
 * stores down again (base/src/loader/fast_paths.ts). And ns per read of a typed array's
 * `length`, which is well under a nanosecond unless its prototypes were left slow, and per
 * new array of two with one element stored (into a hole: slow if Array.prototype's
 * freezing turned V8's fast element stores off).
 */
export function storeFloorsNs(iterations = 10_000_000): { typedArrayNs: number; dataViewNs: number; lengthNs: number; arrayHoleNs: number } {
  const words = new Uint32Array(64);
  const view = new DataView(words.buffer);
  const time = (store: (i: number) => void): number => {
    for (let i = 0; i < 100_000; i++) store(i);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) store(i);
    return Number(process.hrtime.bigint() - t0) / iterations;
  };
  const typedArrayNs = time((i) => { words[i & 63] = i; });
  const dataViewNs = time((i) => view.setUint32((i & 63) << 2, i, true));
  let lengths = 0;
  const lengthNs = time(() => { lengths += words.length; });
  let last: number[] = [];
  const arrayHoleNs = time((i) => {
    last = new Array<number>(2);
    last[0] = i;
  });
  if (words[0]! + view.getUint32(0, true) + lengths + last[0]! < 0) throw new Error('unreachable');
  return { typedArrayNs, dataViewNs, lengthNs, arrayHoleNs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
