/*
 * ICMP (RFC 792), the echo part: the stack answers echo requests and sends its own for
 * `ping`. Other ICMP types are counted and ignored.
 */
import { internetChecksum } from './checksum.js';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_ECHO_HEADER = 8;

export interface IcmpEcho {
  type: number;
  code: number;
  id: number;
  seq: number;
  data: Uint8Array;
}

export function parseIcmp(data: Uint8Array): IcmpEcho | string {
  if (data.length < ICMP_ECHO_HEADER) return `ICMP message of ${data.length} bytes is shorter than its header`;
  if (internetChecksum(data) !== 0) return 'ICMP checksum mismatch';
  return {
    type: data[0]!,
    code: data[1]!,
    id: (data[4]! << 8) | data[5]!,
    seq: (data[6]! << 8) | data[7]!,
    data: data.subarray(ICMP_ECHO_HEADER),
  };
}

export function buildIcmpEcho(type: number, id: number, seq: number, data: Uint8Array): Uint8Array {
  const m = new Uint8Array(ICMP_ECHO_HEADER + data.length);
  m[0] = type;
  m[4] = (id >>> 8) & 0xff;
  m[5] = id & 0xff;
  m[6] = (seq >>> 8) & 0xff;
  m[7] = seq & 0xff;
  m.set(data, ICMP_ECHO_HEADER);
  const c = internetChecksum(m);
  m[2] = c >>> 8;
  m[3] = c & 0xff;
  return m;
}
