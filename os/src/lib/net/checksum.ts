/*
 * The Internet checksum (RFC 1071): one's complement of the one's complement sum of
 * 16-bit words. Used by IPv4, ICMP, UDP and TCP (the latter two over a pseudo header).
 */

/** Adds `data` to a running 32-bit sum (not yet folded). */
export function sumWords(data: Uint8Array, sum = 0): number {
  const n = data.length & ~1;
  for (let i = 0; i < n; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length & 1) sum += data[data.length - 1]! << 8;
  return sum;
}

/** Folds a running sum to 16 bits and complements it. */
export function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

export function internetChecksum(data: Uint8Array): number {
  return finish(sumWords(data));
}

/** The sum of the IPv4 pseudo header that UDP and TCP checksums cover. */
export function pseudoHeaderSum(src: number, dst: number, proto: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + length;
}
