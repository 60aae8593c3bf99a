/* Checks shared by the File_system test clients. */

export class CheckFailed extends Error {}

export function pattern(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function check(cond: boolean, what: string): void {
  if (!cond) throw new CheckFailed(what);
}

/** The error name `p` is refused with (CheckFailed if it succeeds). */
export async function refusal(p: Promise<unknown>, what: string): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.name : String(e);
  }
  throw new CheckFailed(`${what} was not refused`);
}

