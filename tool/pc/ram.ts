/*
 * Physical RAM of the PC: addresses [0, size), backed per allocated range (a dataspace, a
 * ROM module, a kernel page each get a buffer of their own; base/src/util/phys_memory.ts),
 * so that a view the kernel hands out never reaches beyond the range it names.
 *
 * The little-endian accessors are for tools and tests that peek and poke; they back a
 * range on first touch, as core does when it allocates.
 */
import { PhysMemory } from '../../base/src/util/phys_memory.js';

export const DEFAULT_RAM_BYTES = 64 * 1024 * 1024;

export class Ram extends PhysMemory<ArrayBufferLike> {
  /**
   * `shared`: back ranges with SharedArrayBuffers, so that a host kernel running components
   * in other threads (linux) can map the very memory the machine's devices DMA into.
   */
  constructor(size: number = DEFAULT_RAM_BYTES, readonly shared = false) {
    // Page granularity keeps every page-frame calculation in the kernels exact.
    if (!Number.isInteger(size) || size <= 0 || size % 4096 !== 0) {
      throw new RangeError(`RAM size must be a positive multiple of 4096 bytes, got ${size}`);
    }
    super(0, size, shared ? (n) => new SharedArrayBuffer(n) : (n) => new ArrayBuffer(n));
  }

  contains(address: number, length = 1): boolean {
    return address >= 0 && length >= 0 && address + length <= this.size;
  }

  private data(address: number, length: number): DataView {
    const v = this.view(address, length);
    return new DataView(v.buffer, v.byteOffset, length);
  }

  read8(address: number): number { return this.data(address, 1).getUint8(0); }
  read16(address: number): number { return this.data(address, 2).getUint16(0, true); }
  read32(address: number): number { return this.data(address, 4).getUint32(0, true); }
  write8(address: number, value: number): void { this.data(address, 1).setUint8(0, value & 0xff); }
  write16(address: number, value: number): void { this.data(address, 2).setUint16(0, value & 0xffff, true); }
  write32(address: number, value: number): void { this.data(address, 4).setUint32(0, value >>> 0, true); }
}
