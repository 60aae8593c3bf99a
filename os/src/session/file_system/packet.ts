/*
 * File_system packets (Genode's File_system::Packet_descriptor) and the directory-entry
 * records a READ of a directory handle returns (Genode's File_system::Directory_entry).
 *
 * Unlike Genode's descriptor ours carries a client-chosen `tag` returned unchanged, as our
 * Block packets do: payload-less packets (SYNC, READ_READY, CONTENT_CHANGED) cannot be told
 * apart by their offset, and a watch's CONTENT_CHANGED packet is acknowledged whenever the
 * watched node changes, out of submission order (see session.ts).
 */
import type { DescriptorCodec } from '../../lib/packet_stream/queue.js';
import type { PacketDescriptor } from '../../lib/packet_stream/stream.js';

export enum FsOpcode { READ = 0, WRITE = 1, CONTENT_CHANGED = 2, READ_READY = 3, SYNC = 4, WRITE_TIMESTAMP = 5 }

export const FS_OPCODE_NAMES: Record<number, string> = {
  0: 'READ', 1: 'WRITE', 2: 'CONTENT_CHANGED', 3: 'READ_READY', 4: 'SYNC', 5: 'WRITE_TIMESTAMP',
};

/** Genode's SEEK_TAIL (~0): a WRITE at this position appends. */
export const SEEK_TAIL = -1;

export interface FsPacket extends PacketDescriptor {
  op: FsOpcode;
  /** The node handle the operation is on. */
  handle: number;
  /** Byte position in the file (SEEK_TAIL: its end); for a directory, a multiple of DIRENT_SIZE. */
  position: number;
  /** Bytes to read or write (at most `size`); the server sets the bytes done in the ack. */
  length: number;
  /** Client-chosen, returned unchanged. */
  tag: number;
  success: boolean;
  /** WRITE_TIMESTAMP: seconds since the UNIX epoch. */
  timestamp?: number;
}

/** 64-byte slots: offset, size, position, length, timestamp (f64), op, handle, tag, success (u32), pad. */
export const fsPacketCodec: DescriptorCodec<FsPacket> = {
  size: 64,
  write(v, at, d) {
    v.setFloat64(at, d.offset, true);
    v.setFloat64(at + 8, d.size, true);
    v.setFloat64(at + 16, d.position, true);
    v.setFloat64(at + 24, d.length, true);
    v.setFloat64(at + 32, d.timestamp ?? 0, true);
    v.setUint32(at + 40, d.op, true);
    v.setUint32(at + 44, d.handle >>> 0, true);
    v.setUint32(at + 48, d.tag >>> 0, true);
    v.setUint32(at + 52, d.success ? 1 : 0, true);
    v.setUint32(at + 56, 0, true);
    v.setUint32(at + 60, 0, true);
  },
  read(v, at) {
    return {
      offset: v.getFloat64(at, true),
      size: v.getFloat64(at + 8, true),
      position: v.getFloat64(at + 16, true),
      length: v.getFloat64(at + 24, true),
      timestamp: v.getFloat64(at + 32, true),
      op: v.getUint32(at + 40, true),
      handle: v.getUint32(at + 44, true),
      tag: v.getUint32(at + 48, true),
      success: v.getUint32(at + 52, true) === 1,
    };
  },
};

/** Genode's File_system::Node_type, numbered as there. */
export enum FsNodeType { DIRECTORY = 0, SYMLINK = 1, CONTINUOUS_FILE = 2, TRANSACTIONAL_FILE = 3 }

/** Node permissions as bits (r=4, w=2, x=1). */
export interface FsRwx { readable: boolean; writeable: boolean; executable: boolean }

export function rwxBits(r: FsRwx): number {
  return (r.readable ? 4 : 0) | (r.writeable ? 2 : 0) | (r.executable ? 1 : 0);
}

export function rwxOf(bits: number): FsRwx {
  return { readable: (bits & 4) !== 0, writeable: (bits & 2) !== 0, executable: (bits & 1) !== 0 };
}

/** Genode's File_system::Status. */
export interface FsStatus {
  size: number;
  type: FsNodeType;
  /** rwx bits (rwxBits / rwxOf). */
  rwx: number;
  inode: number;
  /** Seconds since the UNIX epoch, 0 if unknown. */
  modificationTime: number;
}

/**
 * Longest name and path in UTF-8 bytes a client may send. Genode allows 255 and 511; ours
 * are smaller because names and paths travel in RPC messages, and the smallest message
 * buffer of our kernels (Fiasco.OC and OKL4: 61 payload words) must hold `move` with two
 * names and `dir` with a path on every kernel alike.
 */
export const MAX_NAME_LEN = 100;
export const MAX_PATH_LEN = 220;
/** Bytes of a directory entry's name field (entries show names up to the VFS's 255 bytes). */
const NAME_FIELD = 256;
const DIRENT_NAME_MAX = 255;

export interface FsDirEntry {
  inode: number;
  type: FsNodeType;
  rwx: number;
  name: string;
}

/** A directory entry: inode (f64), type, rwx, name length (u32), pad, name (NAME_FIELD bytes). */
export const DIRENT_SIZE = 24 + NAME_FIELD;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function writeDirEntry(dst: Uint8Array, e: FsDirEntry): void {
  const v = new DataView(dst.buffer, dst.byteOffset, DIRENT_SIZE);
  const name = encoder.encode(e.name);
  if (name.length > DIRENT_NAME_MAX) throw new RangeError(`directory entry name of ${name.length} bytes`);
  v.setFloat64(0, e.inode, true);
  v.setUint32(8, e.type, true);
  v.setUint32(12, e.rwx, true);
  v.setUint32(16, name.length, true);
  v.setUint32(20, 0, true);
  dst.fill(0, 24, DIRENT_SIZE);
  dst.set(name, 24);
}

/** Reads one record; a malformed one (from an untrusted server) throws naming the field. */
export function readDirEntry(src: Uint8Array): FsDirEntry {
  if (src.length < DIRENT_SIZE) throw new RangeError(`directory entry of ${src.length} bytes, ${DIRENT_SIZE} expected`);
  const v = new DataView(src.buffer, src.byteOffset, DIRENT_SIZE);
  const inode = v.getFloat64(0, true);
  const type = v.getUint32(8, true);
  const rwx = v.getUint32(12, true);
  const len = v.getUint32(16, true);
  if (!Number.isSafeInteger(inode) || inode < 0) throw new RangeError(`directory entry: inode ${inode}`);
  if (FsNodeType[type] === undefined) throw new RangeError(`directory entry: node type ${type}`);
  if (rwx > 7) throw new RangeError(`directory entry: rwx bits ${rwx}`);
  if (len === 0 || len > DIRENT_NAME_MAX) throw new RangeError(`directory entry: name length ${len}`);
  let name: string;
  try {
    name = decoder.decode(src.slice(24, 24 + len));
  } catch {
    throw new RangeError('directory entry: name is not valid UTF-8');
  }
  return { inode, type, rwx, name };
}

/**
 * Why the server refuses a packet's fields (then it is acknowledged with success=false), or
 * undefined. The payload's place in the buffer was checked by the packet stream already;
 * this checks what only the File_system session knows.
 */
export function checkFsPacket(p: FsPacket): string | undefined {
  const name = FS_OPCODE_NAMES[p.op];
  if (name === undefined) return `unknown operation ${p.op}`;
  if (p.op === FsOpcode.READ || p.op === FsOpcode.WRITE) {
    if (!Number.isSafeInteger(p.length) || p.length < 0) return `${name}: length ${p.length} is not a byte count`;
    if (p.length > p.size) return `${name}: length ${p.length} exceeds the packet's ${p.size} payload bytes`;
    const tail = p.op === FsOpcode.WRITE && p.position === SEEK_TAIL;
    if (!tail && (!Number.isSafeInteger(p.position) || p.position < 0)) return `${name}: position ${p.position} is invalid`;
    if (!tail && p.position + p.length > Number.MAX_SAFE_INTEGER) return `${name}: position ${p.position} + length ${p.length} overflows`;
  }
  if (p.op === FsOpcode.WRITE_TIMESTAMP && (p.timestamp === undefined || !Number.isSafeInteger(p.timestamp) || p.timestamp < 0)) {
    return `WRITE_TIMESTAMP: time ${p.timestamp} is invalid`;
  }
  return undefined;
}
