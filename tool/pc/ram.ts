/*
 * Physical RAM: one ArrayBuffer covering physical addresses [0, size).
 *
 * Kernels use the ArrayBuffer directly (Machine.ram); the typed views here are for tools
 * and tests that want to peek and poke without building their own.
 */

export const DEFAULT_RAM_BYTES = 64 * 1024 * 1024;

export class Ram {
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  /** Little-endian accessors, as the x86 sees memory. */
  readonly view: DataView;

  constructor(readonly size: number = DEFAULT_RAM_BYTES) {
    // Page granularity keeps every page-frame calculation in the kernels exact.
    if (!Number.isInteger(size) || size <= 0 || size % 4096 !== 0) {
      throw new RangeError(`RAM size must be a positive multiple of 4096 bytes, got ${size}`);
    }
    this.buffer = new ArrayBuffer(size);
    this.bytes = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  contains(address: number, length = 1): boolean {
    return address >= 0 && length >= 0 && address + length <= this.size;
  }

  read8(address: number): number { return this.view.getUint8(address); }
  read16(address: number): number { return this.view.getUint16(address, true); }
  read32(address: number): number { return this.view.getUint32(address, true); }
  write8(address: number, value: number): void { this.view.setUint8(address, value & 0xff); }
  write16(address: number, value: number): void { this.view.setUint16(address, value & 0xffff, true); }
  write32(address: number, value: number): void { this.view.setUint32(address, value >>> 0, true); }
}
