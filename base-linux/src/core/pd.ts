/*
 * A protection domain on linux: the isolate (worker) that will run the component, and
 * what core does to it from outside: map and unmap dataspaces, post kernel messages over
 * its kernel port, hold its parent capability until the worker starts.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Capability } from '../../../base/src/capability.js';
import type { PlatformPd } from '../../../base/src/core/platform.js';
import { tokenOf } from '../lib/capability.js';
import { CONTROL_BYTES, Ctl, controlBlock } from '../lib/control_block.js';
import type { KernelMessage } from '../lib/kernel_messages.js';
import type { Token } from '../lib/token.js';
import type { DeviceMemory } from './device_memory.js';
import type { Party } from './endpoint.js';
import { MmioError, type PhysicalMemory } from '../../../base/src/machine.js';
import type { WorkerHost } from './worker_host.js';

interface Mapping {
  vaddr: number;
  phys: number;
  size: number;
  writeable: boolean;
  /** Onto register-decoded device memory: no buffer, accessed through core. */
  registers: boolean;
}

export class LinuxPd implements PlatformPd, Party {
  readonly controlSab = new SharedArrayBuffer(CONTROL_BYTES);
  readonly control = controlBlock(this.controlSab);
  private readonly kernelPort: MessagePort;
  /** The worker's end, handed over when the worker is created. */
  readonly workerPort: MessagePort;
  private readonly mappings = new Map<number, Mapping>();
  parent: Token | undefined;
  host: WorkerHost | undefined;
  /** The worker ran and is gone. */
  ended = false;
  destroyed = false;

  constructor(
    readonly id: number, readonly label: string, private readonly phys: PhysicalMemory, private readonly onDestroy: (pd: LinuxPd) => void,
    /** The machine's device memory (IO_MEM dataspaces), where there is a machine. */
    private readonly device?: DeviceMemory,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.kernelPort = port1;
    this.workerPort = port2;
  }

  get alive(): boolean {
    return !this.ended && !this.destroyed;
  }

  /** Posts to the worker (queued until it runs); counted so the worker can catch up at will. */
  post(m: KernelMessage): void {
    if (this.destroyed) return;
    this.kernelPort.postMessage(m);
    Atomics.add(this.control, Ctl.POSTED, 1);
  }

  /** Not called by generic core any more (mappings come from page faults: `install`). */
  map(vaddr: number, phys: number, size: number, writeable: boolean): boolean {
    if (size <= 0) return false;
    for (const m of this.mappings.values()) {
      if (m.vaddr < vaddr + size && vaddr < m.vaddr + m.size) return false;
    }
    return this.install(vaddr, phys, size, writeable, true);
  }

  /**
   * Maps the flexpage core's pager answered a fault with: posts it to the worker (before
   * the fault's answer), replacing what overlaps it. False if the physical range has no
   * backing buffer (core's pager named memory that is not there).
   */
  install(vaddr: number, phys: number, size: number, writeable: boolean, executable: boolean): boolean {
    if (!Number.isSafeInteger(vaddr) || vaddr < 0 || size <= 0) return false;
    if (this.device?.registers(phys, size)) {
      this.unmapOverlapping(vaddr, size);
      this.mappings.set(vaddr, { vaddr, phys, size, writeable, registers: true });
      this.post({ t: 'map-registers', vaddr, size, writeable });
      return true;
    }
    let b = this.device?.backing(phys, size);
    if (!b) {
      /* only memory core backed (allocated): never a new buffer for a range it did not */
      const v = this.phys.find(phys, size);
      if (!v) return false;
      b = { buffer: v.buffer as SharedArrayBuffer, offset: v.byteOffset };
    }
    this.unmapOverlapping(vaddr, size);
    this.mappings.set(vaddr, { vaddr, phys, size, writeable, registers: false });
    this.post({ t: 'map', vaddr, size, sab: b.buffer, frame: phys - b.offset, offset: b.offset, writeable, executable });
    return true;
  }

  private unmapOverlapping(vaddr: number, size: number): void {
    for (const m of [...this.mappings.values()]) {
      if (m.vaddr < vaddr + size && vaddr < m.vaddr + m.size) this.mappings.delete(m.vaddr);
    }
  }

  /**
   * The physical address behind the worker's register access at `vaddr` (what its MMU
   * would translate), or an MmioError: FAULT where nothing is mapped with the rights,
   * NOT_REGISTERS where memory is mapped that the worker reaches directly.
   */
  registerAddress(vaddr: number, write: boolean): number {
    for (const m of this.mappings.values()) {
      if (vaddr < m.vaddr || vaddr >= m.vaddr + m.size) continue;
      if (write && !m.writeable) return MmioError.FAULT;
      return m.registers ? m.phys + (vaddr - m.vaddr) : MmioError.NOT_REGISTERS;
    }
    return MmioError.FAULT;
  }

  /** The page fault core took from the worker and has not answered (at most one; see platform.ts). */
  fault: { seq: number } | undefined;

  unmap(vaddr: number, size: number): void {
    for (const m of [...this.mappings.values()]) {
      if (m.vaddr < vaddr + size && vaddr < m.vaddr + m.size) this.drop(m);
    }
  }

  /** Drops every mapping of physical [phys, phys+size). */
  revokePhys(phys: number, size: number): void {
    for (const m of [...this.mappings.values()]) {
      if (m.phys < phys + size && phys < m.phys + m.size) this.drop(m);
    }
  }

  private drop(m: Mapping): void {
    this.mappings.delete(m.vaddr);
    this.post({ t: 'unmap', vaddr: m.vaddr, size: m.size });
  }

  assignParent(parent: Capability<unknown>): boolean {
    const token = tokenOf(parent);
    /* the worker reads its parent at start, as Genode's startup code does */
    if (token === undefined || this.host) return false;
    this.parent = token;
    return true;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.onDestroy(this);
    this.destroyed = true;
    this.mappings.clear();
    this.kernelPort.close();
  }
}
