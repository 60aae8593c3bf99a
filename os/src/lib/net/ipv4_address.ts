/*
 * IPv4 addresses: dotted-quad strings at the API, unsigned 32-bit numbers inside the stack.
 */
import { SocketError } from './socket.js';

export const ANY_ADDRESS = 0;
export const BROADCAST_ADDRESS = 0xffffffff;

/** Parses "a.b.c.d" strictly (four decimal octets, no leading junk). */
export function parseAddress(s: string): number {
  const parts = typeof s === 'string' ? s.split('.') : [];
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) {
    throw new SocketError('EINVAL', `invalid IPv4 address '${String(s)}'`);
  }
  return parts.reduce((a, p) => a * 256 + Number(p), 0) >>> 0;
}

export function formatAddress(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

export function readAddress(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

export function writeAddress(b: Uint8Array, off: number, a: number): void {
  b[off] = a >>> 24;
  b[off + 1] = (a >>> 16) & 0xff;
  b[off + 2] = (a >>> 8) & 0xff;
  b[off + 3] = a & 0xff;
}
