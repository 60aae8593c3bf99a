/*
 * NIC packets (Genode's Nic::Packet_descriptor, a plain Packet_descriptor): one Ethernet
 * frame in the bulk buffer, without preamble and FCS. Both streams of a NIC session carry
 * them. `checkFrame` is the size rule every receiver of a descriptor applies after the
 * packet stream checked that the payload lies in the bulk buffer.
 */
import { ETH_MAX_FRAME, ETH_MIN_FRAME } from '../../lib/net/link.js';
import type { DescriptorCodec } from '../../lib/packet_stream/queue.js';
import type { PacketDescriptor } from '../../lib/packet_stream/stream.js';

export type NicPacket = PacketDescriptor;

/** 16-byte slots: offset and size (f64, so garbage stays visible as garbage). */
export const nicPacketCodec: DescriptorCodec<NicPacket> = {
  size: 16,
  write(v, at, d) {
    v.setFloat64(at, d.offset, true);
    v.setFloat64(at + 8, d.size, true);
  },
  read(v, at) {
    return { offset: v.getFloat64(at, true), size: v.getFloat64(at + 8, true) };
  },
};

/** Why a frame of `size` bytes is no Ethernet frame, or undefined. */
export function checkFrame(size: number): string | undefined {
  if (size < ETH_MIN_FRAME) return `frame of ${size} bytes is shorter than an Ethernet header (${ETH_MIN_FRAME})`;
  if (size > ETH_MAX_FRAME) return `frame of ${size} bytes exceeds the Ethernet maximum (${ETH_MAX_FRAME})`;
  return undefined;
}

/** A MAC address as text (02:00:00:00:00:01). */
export function macText(mac: Uint8Array): string {
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A MAC address from text; throws naming the text if it is none. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new RangeError(`"${text}" is not a MAC address (six hex bytes separated by colons)`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}
