/*
 * A PCI function that reaches physical memory as a bus master (DMA): descriptor rings,
 * command lists, data buffers. An access works only while the driver has set the bus-master
 * bit in the command register, only inside RAM, and page by page as the memory is kept.
 */
import type { PhysicalMemory } from '../../base/src/machine.js';
import { COMMAND_BUS_MASTER, PciFunction, type PciIdentity } from './pci.js';

export class BusMasterFunction extends PciFunction {
  constructor(identity: PciIdentity, protected readonly memory: PhysicalMemory) {
    super(identity);
  }

  /** Runs `fn` over [addr, addr+len) page by page; false if the function may not or cannot reach all of it. */
  protected busAccess(addr: number, len: number, fn: (view: Uint8Array, done: number) => void): boolean {
    if (!(this.command & COMMAND_BUS_MASTER)) return false;
    if (len === 0) return true;
    if (!Number.isSafeInteger(addr) || addr < 0 || addr + len > this.memory.size) return false;
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const n = Math.min(len - done, 4096 - (a % 4096));
      const view = this.memory.find(a, n);
      if (!view) return false;
      fn(view, done);
      done += n;
    }
    return true;
  }

  protected readPhys(addr: number, len: number): Uint8Array | undefined {
    const out = new Uint8Array(len);
    return this.busAccess(addr, len, (view, done) => out.set(view, done)) ? out : undefined;
  }

  protected writePhys(addr: number, data: Uint8Array): boolean {
    return this.busAccess(addr, data.length, (view, done) => view.set(data.subarray(done, done + view.length)));
  }
}
