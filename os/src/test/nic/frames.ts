/*
 * The test frames of the NIC scenarios: frame `seq` of a run goes to `dst`, has EtherType
 * 0x88b5 (IEEE local experimental), a size cycling through 14..1514 (both ends included)
 * and a payload of sequence number plus a pattern, so a receiver can check every byte.
 */
export const TEST_ETHERTYPE = 0x88b5;

/** Sizes from `min` (at least 18) to 1514; a card pads frames below 60 bytes, so a wire needs min=60. */
export function frameSize(seq: number, min = 18): number {
  if (seq % 50 === 0) return 1514;
  if (seq % 50 === 1) return min;
  return Math.max(min, 18 + ((seq * 397) % 1497));
}

export function testFrame(seq: number, dst: Uint8Array, src: Uint8Array, seed: number, min = 18): Uint8Array {
  const f = new Uint8Array(frameSize(seq, min));
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = TEST_ETHERTYPE >> 8;
  f[13] = TEST_ETHERTYPE & 0xff;
  new DataView(f.buffer).setUint32(14, seq);
  for (let i = 18; i < f.length; i++) f[i] = (seed + seq * 7 + i * 13) & 0xff;
  return f;
}

/** The sequence number of a test frame, or -1 if it is none. */
export function seqOf(f: Uint8Array): number {
  if (f.length < 18 || f[12] !== TEST_ETHERTYPE >> 8 || f[13] !== (TEST_ETHERTYPE & 0xff)) return -1;
  return new DataView(f.buffer, f.byteOffset, f.length).getUint32(14);
}

/** Where `got` differs from `want`, or undefined if they are equal. */
export function frameDiff(got: Uint8Array, want: Uint8Array): string | undefined {
  if (got.length !== want.length) return `${got.length} bytes instead of ${want.length}`;
  for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) return `byte ${i} is ${got[i]}, expected ${want[i]}`;
  return undefined;
}
