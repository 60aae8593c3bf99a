/*
 * Device memory on linux: the physical ranges outside RAM that the machine decodes (the
 * VGA framebuffer BAR). A worker can only reach memory it was handed as a
 * SharedArrayBuffer, so a range is device memory here only if the machine keeps it in
 * one; a mapping then hands the worker that buffer at the range's offset, exactly as a
 * dataspace's own buffer is handed.
 */
import type { Machine } from '../../../base/src/machine.js';

export class DeviceMemory {
  /** `ram` is core's physical RAM [base, base+size): never device memory. */
  constructor(private readonly machine: Machine, private readonly ram: { base: number; size: number }) {}

  /** The buffer behind device range [phys, phys+size) and the offset of phys in it. */
  backing(phys: number, size: number): { buffer: SharedArrayBuffer; offset: number } | undefined {
    if (!Number.isSafeInteger(phys) || !Number.isSafeInteger(size) || size <= 0) return undefined;
    if (phys < this.machine.memory.size) return undefined;
    if (phys < this.ram.base + this.ram.size && this.ram.base < phys + size) return undefined;
    const region = this.machine.mmio(phys, size);
    const buffer = region?.bytes.buffer;
    if (!(buffer instanceof SharedArrayBuffer)) return undefined;
    return { buffer, offset: region!.bytes.byteOffset };
  }

  contains(phys: number, size: number): boolean {
    return this.backing(phys, size) !== undefined || this.registers(phys, size);
  }

  /** Whether [phys, phys+size) is register-decoded device memory (accessed through core, never mapped as bytes). */
  registers(phys: number, size: number): boolean {
    if (!Number.isSafeInteger(phys) || !Number.isSafeInteger(size) || size <= 0) return false;
    if (phys < this.machine.memory.size) return false;
    if (phys < this.ram.base + this.ram.size && this.ram.base < phys + size) return false;
    return this.machine.mmioRegisters?.(phys, size) === true;
  }
}
