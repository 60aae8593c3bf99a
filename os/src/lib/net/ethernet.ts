/*
 * Ethernet II framing: destination and source MAC and the EtherType in front of the
 * payload (no VLAN tags, no FCS: the NetLink carries frames without it).
 */
import { ETH_MAX_FRAME, ETH_MIN_FRAME } from './link.js';

export const ETH_HEADER = 14;
export const ETH_MTU = ETH_MAX_FRAME - ETH_HEADER;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const BROADCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export interface EthernetFrame {
  dst: Uint8Array;
  src: Uint8Array;
  type: number;
  payload: Uint8Array;
}

/** The frame's header fields and payload (views into `frame`), or a reason it is malformed. */
export function parseEthernet(frame: Uint8Array): EthernetFrame | string {
  if (frame.length < ETH_MIN_FRAME) return `frame of ${frame.length} bytes is shorter than an Ethernet header`;
  if (frame.length > ETH_MAX_FRAME) return `frame of ${frame.length} bytes exceeds ${ETH_MAX_FRAME}`;
  return {
    dst: frame.subarray(0, 6),
    src: frame.subarray(6, 12),
    type: (frame[12]! << 8) | frame[13]!,
    payload: frame.subarray(ETH_HEADER),
  };
}

export function buildEthernet(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETH_HEADER + payload.length);
  f.set(dst.subarray(0, 6), 0);
  f.set(src.subarray(0, 6), 6);
  f[12] = type >>> 8;
  f[13] = type & 0xff;
  f.set(payload, ETH_HEADER);
  return f;
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isBroadcastMac(m: Uint8Array): boolean {
  return macEquals(m, BROADCAST_MAC);
}

export function formatMac(m: Uint8Array): string {
  return Array.from(m.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}
