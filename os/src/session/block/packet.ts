/*
 * Block packets (Genode's Block::Packet_descriptor and Block::Operation): a packet-stream
 * descriptor with the operation, the block range, a client-chosen tag and the server's
 * verdict, plus the server's checks of a request against the device (`checkRequest`).
 */
import type { DescriptorCodec } from '../../lib/packet_stream/queue.js';
import type { PacketDescriptor } from '../../lib/packet_stream/stream.js';

export enum Opcode { READ = 0, WRITE = 1, SYNC = 2, TRIM = 3 }

export const OPCODE_NAMES: Record<number, string> = { 0: 'read', 1: 'write', 2: 'sync', 3: 'trim' };

export interface BlockPacket extends PacketDescriptor {
  op: Opcode;
  blockNumber: number;
  count: number;
  /** Client-defined request identifier, returned unchanged. */
  tag: number;
  success: boolean;
}

export interface BlockInfo {
  /** Bytes per block. */
  blockSize: number;
  blockCount: number;
  /** Payload alignment in the bulk buffer the server needs (log2 of bytes). */
  alignLog2: number;
  writeable: boolean;
}

/** 48-byte slots: offset, size, block number, count (f64), opcode, tag, success (u32). */
export const blockPacketCodec: DescriptorCodec<BlockPacket> = {
  size: 48,
  write(v, at, d) {
    v.setFloat64(at, d.offset, true);
    v.setFloat64(at + 8, d.size, true);
    v.setFloat64(at + 16, d.blockNumber, true);
    v.setFloat64(at + 24, d.count, true);
    v.setUint32(at + 32, d.op, true);
    v.setUint32(at + 36, d.tag >>> 0, true);
    v.setUint32(at + 40, d.success ? 1 : 0, true);
    v.setUint32(at + 44, 0, true);
  },
  read(v, at) {
    return {
      offset: v.getFloat64(at, true),
      size: v.getFloat64(at + 8, true),
      blockNumber: v.getFloat64(at + 16, true),
      count: v.getFloat64(at + 24, true),
      op: v.getUint32(at + 32, true),
      tag: v.getUint32(at + 36, true),
      success: v.getUint32(at + 40, true) === 1,
    };
  },
};

export function hasPayload(op: Opcode): boolean {
  return op === Opcode.READ || op === Opcode.WRITE;
}

/**
 * Why the device refuses a request (then it is acknowledged with success=false), or
 * undefined if it can be served. The payload itself was checked by the packet stream.
 */
export function checkRequest(p: BlockPacket, info: BlockInfo): string | undefined {
  const name = OPCODE_NAMES[p.op];
  if (name === undefined) return `unknown operation ${p.op}`;
  if (!Number.isSafeInteger(p.blockNumber) || p.blockNumber < 0) return `${name}: block number ${p.blockNumber} is invalid`;
  if (!Number.isSafeInteger(p.count) || p.count < 0) return `${name}: block count ${p.count} is invalid`;
  if (p.blockNumber > info.blockCount || p.count > info.blockCount - p.blockNumber) {
    return `${name}: blocks ${p.blockNumber}..${p.blockNumber + p.count - 1} are beyond the device's ${info.blockCount} blocks`;
  }
  if (!info.writeable && (p.op === Opcode.WRITE || p.op === Opcode.TRIM)) return `${name}: the device is read-only`;
  if (!hasPayload(p.op)) return undefined;
  if (p.count === 0) return `${name}: no blocks`;
  if (p.size < p.count * info.blockSize) return `${name}: ${p.count} blocks of ${info.blockSize} bytes do not fit the packet's ${p.size} bytes`;
  if (p.offset % 2 ** info.alignLog2 !== 0) return `${name}: payload offset ${p.offset} is not aligned to ${2 ** info.alignLog2} bytes`;
  return undefined;
}
