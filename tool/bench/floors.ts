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
  /* each floor's loop first warms up (V8 optimizes it), then is timed */
  const twice = (loop: (n: number) => number): number => {
    loop(100_000);
    return loop(iterations);
  };
  const typedArrayNs = twice((n) => typedArrayStores(words, n));
  const dataViewNs = twice((n) => dataViewStores(view, n));
  const lengthNs = twice((n) => lengthReads(words, n));
  const arrayHoleNs = twice((n) => holeStores(n));
  return { typedArrayNs, dataViewNs, lengthNs, arrayHoleNs };
}

function nsSince(t0: bigint, n: number): number {
  return Number(process.hrtime.bigint() - t0) / n;
}

/*
 * One function per floor, each with its own loop: a loop shared by all four would call the
 * operation through a call site that has seen four functions, and time that call (about
 * 5 ns) instead of the operation.
 */

function typedArrayStores(words: Uint32Array, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) words[i & 63] = i;
  return nsSince(t0, n);
}

function dataViewStores(view: DataView, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) view.setUint32((i & 63) << 2, i, true);
  return nsSince(t0, n);
}

function lengthReads(words: Uint32Array, n: number): number {
  let lengths = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) lengths += words.length;
  const ns = nsSince(t0, n);
  if (lengths < 0) throw new Error('unreachable');
  return ns;
}

function holeStores(n: number): number {
  let last: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    last = new Array<number>(2);
    last[0] = i;
  }
  const ns = nsSince(t0, n);
  if (last[0]! < 0) throw new Error('unreachable');
  return ns;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
