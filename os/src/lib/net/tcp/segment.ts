/*
 * TCP segments (RFC 793 section 3.1): parsing with every length and the checksum checked,
 * options walked defensively (MSS used; window scale, SACK-permitted, timestamps and
 * unknown options tolerated and skipped; a malformed option list ends option parsing
 * without rejecting the segment, as RFC 1122 asks), and building with the MSS option on SYNs.
 */
import { finish, pseudoHeaderSum, sumWords } from '../checksum.js';
import { PROTO_TCP } from '../ipv4.js';

export const TCP_HEADER = 20;
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** From the MSS option, if present and sane. */
  mss: number | undefined;
  payload: Uint8Array;
}

export function parseTcp(data: Uint8Array, src: number, dst: number): TcpSegment | string {
  if (data.length < TCP_HEADER) return `TCP segment of ${data.length} bytes is shorter than its header`;
  const off = (data[12]! >>> 4) * 4;
  if (off < TCP_HEADER || off > data.length) return `TCP data offset ${off} invalid for ${data.length} bytes`;
  if (finish(sumWords(data, pseudoHeaderSum(src, dst, PROTO_TCP, data.length))) !== 0) return 'TCP checksum mismatch';
  const srcPort = (data[0]! << 8) | data[1]!;
  const dstPort = (data[2]! << 8) | data[3]!;
  if (srcPort === 0 || dstPort === 0) return 'TCP port 0';
  let mss: number | undefined;
  for (let i = TCP_HEADER; i < off;) {
    const kind = data[i]!;
    if (kind === 0) break; // end of option list
    if (kind === 1) { i++; continue; } // no-op
    if (i + 1 >= off) break;
    const len = data[i + 1]!;
    if (len < 2 || i + len > off) break; // malformed: ignore the rest
    if (kind === 2 && len === 4) {
      const v = (data[i + 2]! << 8) | data[i + 3]!;
      if (v >= 64) mss = v;
    }
    i += len;
  }
  return {
    srcPort,
    dstPort,
    seq: ((data[4]! << 24) | (data[5]! << 16) | (data[6]! << 8) | data[7]!) >>> 0,
    ack: ((data[8]! << 24) | (data[9]! << 16) | (data[10]! << 8) | data[11]!) >>> 0,
    flags: data[13]! & 0x3f,
    window: (data[14]! << 8) | data[15]!,
    mss,
    payload: data.subarray(off),
  };
}

export interface SegmentFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  mss?: number;
  payload?: Uint8Array;
}

export function buildTcp(src: number, dst: number, s: SegmentFields): Uint8Array {
  const opt = s.mss !== undefined ? 4 : 0;
  const payload = s.payload ?? new Uint8Array(0);
  const d = new Uint8Array(TCP_HEADER + opt + payload.length);
  const v = new DataView(d.buffer);
  v.setUint16(0, s.srcPort);
  v.setUint16(2, s.dstPort);
  v.setUint32(4, s.seq >>> 0);
  v.setUint32(8, s.ack >>> 0);
  d[12] = ((TCP_HEADER + opt) / 4) << 4;
  d[13] = s.flags;
  v.setUint16(14, Math.min(0xffff, Math.max(0, s.window)));
  if (s.mss !== undefined) {
    d[20] = 2; d[21] = 4;
    v.setUint16(22, s.mss);
  }
  d.set(payload, TCP_HEADER + opt);
  const c = finish(sumWords(d, pseudoHeaderSum(src, dst, PROTO_TCP, d.length)));
  v.setUint16(16, c);
  return d;
}
