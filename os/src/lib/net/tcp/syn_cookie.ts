/*
 * SYN cookies: when a listener's half-open set is full (a SYN flood), the SYN-ACK's
 * sequence number encodes the connection instead of memory holding it, and a returning
 * ACK that carries a valid cookie creates the connection directly. Layout of the cookie
 * (as in Linux): 5 bits of a 64-second counter, 3 bits MSS index, 24 bits of a keyed hash
 * over the addresses, ports, the client's ISN and the counter. A cookie is valid in its
 * counter period and the next one.
 */
export const COOKIE_PERIOD_MS = 64_000;
const MSS_TABLE = [536, 1220, 1360, 1400, 1440, 1452, 1460, 1460];

export class SynCookies {
  constructor(private readonly secret: number) {}

  private hash(src: number, srcPort: number, dst: number, dstPort: number, clientIsn: number, count: number): number {
    let h = 2166136261 ^ this.secret;
    for (const v of [src, dst, (srcPort << 16) | dstPort, clientIsn, count, this.secret]) {
      h = Math.imul(h ^ (v & 0xffff), 16777619);
      h = Math.imul(h ^ (v >>> 16), 16777619);
      h ^= h >>> 13;
    }
    return (h >>> 0) & 0xffffff;
  }

  /** The ISN of a stateless SYN-ACK and the MSS it promises. */
  make(now: number, src: number, srcPort: number, dst: number, dstPort: number, clientIsn: number, peerMss: number): { iss: number; mss: number } {
    const count = Math.floor(now / COOKIE_PERIOD_MS) & 0x1f;
    let index = 0;
    for (let i = 0; i < MSS_TABLE.length; i++) if (MSS_TABLE[i]! <= peerMss) index = i;
    const iss = ((count << 27) | (index << 24) | this.hash(src, srcPort, dst, dstPort, clientIsn, count)) >>> 0;
    return { iss, mss: MSS_TABLE[index]! };
  }

  /** For an ACK without connection: the MSS if `ack - 1` is a valid cookie, else undefined. */
  check(now: number, src: number, srcPort: number, dst: number, dstPort: number, seq: number, ack: number): number | undefined {
    const cookie = (ack - 1) >>> 0;
    const clientIsn = (seq - 1) >>> 0;
    const count = cookie >>> 27;
    const current = Math.floor(now / COOKIE_PERIOD_MS) & 0x1f;
    if (count !== current && count !== ((current - 1) & 0x1f)) return undefined;
    if ((cookie & 0xffffff) !== this.hash(src, srcPort, dst, dstPort, clientIsn, count)) return undefined;
    return MSS_TABLE[(cookie >>> 24) & 7];
  }
}
