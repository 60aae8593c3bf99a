/*
 * IPv4 (RFC 791): header parsing with every length checked and the header checksum
 * verified; building headers for what the stack sends. The stack never fragments (its
 * transports keep datagrams within the MTU) and drops received fragments, counting them.
 */
import { internetChecksum } from './checksum.js';
import { readAddress, writeAddress } from './ipv4_address.js';

export const IPV4_HEADER = 20;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const DEFAULT_TTL = 64;

export interface Ipv4Packet {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  /** More-fragments set or a fragment offset: part of a fragmented datagram. */
  fragment: boolean;
  payload: Uint8Array;
}

/** The packet (payload a view into `data`), or why it is malformed. */
export function parseIpv4(data: Uint8Array): Ipv4Packet | string {
  if (data.length < IPV4_HEADER) return `IPv4 packet of ${data.length} bytes is shorter than its header`;
  const version = data[0]! >>> 4;
  const ihl = (data[0]! & 0xf) * 4;
  if (version !== 4) return `IP version ${version}, expected 4`;
  if (ihl < IPV4_HEADER || ihl > data.length) return `IPv4 header length ${ihl} invalid for ${data.length} bytes`;
  const total = (data[2]! << 8) | data[3]!;
  if (total < ihl || total > data.length) return `IPv4 total length ${total} invalid (header ${ihl}, ${data.length} bytes received)`;
  if (internetChecksum(data.subarray(0, ihl)) !== 0) return 'IPv4 header checksum mismatch';
  const flagsFrag = (data[6]! << 8) | data[7]!;
  return {
    src: readAddress(data, 12),
    dst: readAddress(data, 16),
    protocol: data[9]!,
    ttl: data[8]!,
    fragment: (flagsFrag & 0x2000) !== 0 || (flagsFrag & 0x1fff) !== 0,
    payload: data.subarray(ihl, total),
  };
}

/** A header (don't-fragment set) followed by `payload`. */
export function buildIpv4(src: number, dst: number, protocol: number, id: number, payload: Uint8Array, ttl = DEFAULT_TTL): Uint8Array {
  const p = new Uint8Array(IPV4_HEADER + payload.length);
  const total = p.length;
  p[0] = 0x45;
  p[2] = total >>> 8;
  p[3] = total & 0xff;
  p[4] = (id >>> 8) & 0xff;
  p[5] = id & 0xff;
  p[6] = 0x40; // don't fragment
  p[8] = ttl;
  p[9] = protocol;
  writeAddress(p, 12, src);
  writeAddress(p, 16, dst);
  const c = internetChecksum(p.subarray(0, IPV4_HEADER));
  p[10] = c >>> 8;
  p[11] = c & 0xff;
  p.set(payload, IPV4_HEADER);
  return p;
}
