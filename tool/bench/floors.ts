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

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
