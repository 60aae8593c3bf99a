/*
 * The component side of a register access (Runtime.mmioRead / mmioWrite), shared by every
 * backend: checks the arguments, asks the kernel (a system call on the emulated kernels, a
 * message to core on linux), and, where the address is not mapped yet, raises the page
 * fault the load or store would raise and tries again, as the CPU re-executes the
 * instruction once the pager mapped the page.
 */
import { BadArgument, PageFault } from '../errors.js';
import { MmioError, mmioAccessOk } from '../machine.js';
import type { MemoryAccess } from '../session/region_map/session.js';

const hex = (n: number) => `0x${n.toString(16)}`;

/** Bad register-access arguments, named clearly (a component error, not a fault). */
export function checkRegisterAccess(label: string, addr: number, width: number, value?: number): void {
  if (width !== 1 && width !== 2 && width !== 4) {
    throw new BadArgument(`"${label}": register access at ${typeof addr === 'number' ? hex(addr) : String(addr)}: width ${String(width)} is not 1, 2 or 4`);
  }
  if (typeof addr !== 'number' || !Number.isSafeInteger(addr) || addr < 0 || addr > 0xffff_ffff) {
    throw new BadArgument(`"${label}": register access: ${String(addr)} is no address`);
  }
  if (!mmioAccessOk(addr, width)) throw new BadArgument(`"${label}": register access at ${hex(addr)}: not aligned to its width ${width}`);
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value > 0xffff_ffff)) {
    throw new BadArgument(`"${label}": register store at ${hex(addr)}: ${String(value)} is no ${width * 8}-bit value`);
  }
}

/**
 * Performs one register access through `kernel` (which returns the value, 0 for a store, or
 * an MmioError); `pageFault` raises the fault of an unmapped address (settles once mapped,
 * never if core stops the component for it).
 */
export async function registerAccess(
  label: string, addr: number, width: number, write: boolean, value: number,
  kernel: (addr: number, width: number, write: boolean, value: number) => number | Promise<number>,
  pageFault: (addr: number, access: MemoryAccess) => Promise<void>,
): Promise<number> {
  checkRegisterAccess(label, addr, width, write ? value : undefined);
  const v = write ? (width === 4 ? value >>> 0 : value & (width === 1 ? 0xff : 0xffff)) : 0;
  for (let attempt = 0; ; attempt++) {
    const r = await kernel(addr, width, write, v);
    if (r >= 0) return r;
    if (r === MmioError.FAULT && attempt < 2) {
      await pageFault(addr, write ? 'write' : 'read');
      continue;
    }
    if (r === MmioError.FAULT) throw PageFault.at(addr, width, label);
    if (r === MmioError.NOT_REGISTERS) {
      throw new BadArgument(`"${label}": register ${write ? 'store' : 'load'} at ${hex(addr)}: the address is not mapped onto device registers (RAM or plain device memory is accessed through its view)`);
    }
    throw new BadArgument(`"${label}": register access at ${hex(addr)} (${width} bytes) refused by the kernel`);
  }
}
