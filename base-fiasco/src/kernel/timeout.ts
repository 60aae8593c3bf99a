/*
 * IPC timeouts (l4_timeout_t): a send and a receive timeout of 16 bits each. A relative
 * timeout is a float of 10 bits mantissa and 5 bits exponent, t = m * 2^e microseconds;
 * mantissa 0 encodes the specials "never" (exponent 0) and "zero" (exponent 1).
 */

export const L4_IPC_TIMEOUT_NEVER = 0;
export const L4_IPC_TIMEOUT_0 = 0x0400;

/** Send and receive timeouts in one word: send in the upper half, receive in the lower. */
export function l4_timeout(snd: number, rcv: number): number {
  return ((snd & 0xffff) << 16 | (rcv & 0xffff)) >>> 0;
}

export const L4_IPC_NEVER = 0;
export const L4_IPC_SEND_TIMEOUT_0 = l4_timeout(L4_IPC_TIMEOUT_0, L4_IPC_TIMEOUT_NEVER);
export const L4_IPC_RECV_TIMEOUT_0 = l4_timeout(L4_IPC_TIMEOUT_NEVER, L4_IPC_TIMEOUT_0);
export const L4_IPC_BOTH_TIMEOUT_0 = l4_timeout(L4_IPC_TIMEOUT_0, L4_IPC_TIMEOUT_0);

/** A relative timeout of m * 2^e microseconds. */
export function l4_timeout_rel(man: number, exp: number): number {
  return ((exp & 0x1f) << 10) | (man & 0x3ff);
}

/** The closest relative timeout not shorter than `us` microseconds. */
export function l4_timeout_from_us(us: number): number {
  if (us <= 0) return L4_IPC_TIMEOUT_0;
  let e = 0;
  let m = Math.ceil(us);
  while (m > 0x3ff) {
    e++;
    m = Math.ceil(us / 2 ** e);
  }
  if (e > 0x1f) return L4_IPC_TIMEOUT_NEVER;
  return l4_timeout_rel(m, e);
}

export function sndTimeout(to: number): number {
  return (to >>> 16) & 0xffff;
}

export function rcvTimeout(to: number): number {
  return to & 0xffff;
}

/** Microseconds of a 16-bit timeout: Infinity for never, 0 for zero. */
export function timeoutUs(t: number): number {
  const man = t & 0x3ff;
  const exp = (t >>> 10) & 0x1f;
  if (man === 0) return exp === 0 ? Infinity : 0;
  return man * 2 ** exp;
}
