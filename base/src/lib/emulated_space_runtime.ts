/*
 * What the component runtimes of the emulated kernels (NOVA, Fiasco.OC, OKL4) share: the
 * component reaches its address space only through its kernel's memory gates, on behalf of
 * its main thread. A missing mapping is a page fault the runtime resolves through the
 * kernel's own fault path (the `caller`'s fault IPC to core's pager), never by reaching
 * around the kernel.
 */
import { PageFault } from '../errors.js';
import type { MemoryAccess } from '../session/region_map/session.js';
import { registerAccess } from './register_access.js';
import type { Tsc } from './runtime.js';

/** The kernel's memory system calls as a component may use them, for its thread `T`. */
export interface SpaceGate<T> {
  /** The component's name (the label its parent gave it). */
  readonly label: string;
  console(text: string): void;
  /** Bytes from `vaddr` that `t` can access as `access` without a page fault. */
  memoryAccessible(t: T, vaddr: number, access: MemoryAccess): number;
  memoryView(t: T, vaddr: number, size: number): Uint8Array | undefined;
  mmio(t: T, vaddr: number, width: number, write: boolean, value: number): number;
  /** rdtsc: the CPU's time-stamp counter, which user code reads without the kernel on x86. */
  rdtsc(): number;
  /**
   * The TSC's frequency as the kernel's info page tells it, in kHz there (NOVA's HIP,
   * Fiasco.OC's KIP frequency_cpu, the KIP processor descriptor on OKL4).
   */
  readonly tscHz: number;
}

/** The caller whose fault IPC goes to core's pager (serialised with the thread's calls). */
export interface FaultingCaller {
  fault(addr: number, access: MemoryAccess): Promise<void>;
}

export abstract class EmulatedSpaceRuntime<T> {
  abstract readonly caller: FaultingCaller;

  constructor(private readonly gate: SpaceGate<T>, private readonly mainThread: T) {}

  get label(): string {
    return this.gate.label;
  }

  diag(text: string): void {
    this.gate.console(text);
  }

  /** The emulated CPU's time-stamp counter (rdtsc is unprivileged on the PC) and its frequency from the kernel. */
  get tsc(): Tsc {
    const gate = this.gate;
    return { now: () => gate.rdtsc(), hz: gate.tscHz };
  }

  accessible(addr: number, access: MemoryAccess): number {
    return this.gate.memoryAccessible(this.mainThread, addr, access);
  }

  /** A fault on the main thread, serialised with its calls (as Genode's touch in the caller's thread). */
  pageFault(addr: number, access: MemoryAccess): Promise<void> {
    return this.caller.fault(addr, access);
  }

  mmioRead(addr: number, width: 1 | 2 | 4): Promise<number> {
    return registerAccess(this.label, addr, width, false, 0, (a, w, wr, v) => this.gate.mmio(this.mainThread, a, w, wr, v), (a, acc) => this.pageFault(a, acc));
  }

  async mmioWrite(addr: number, width: 1 | 2 | 4, value: number): Promise<void> {
    await registerAccess(this.label, addr, width, true, value, (a, w, wr, v) => this.gate.mmio(this.mainThread, a, w, wr, v), (a, acc) => this.pageFault(a, acc));
  }

  view(addr: number, size: number): Uint8Array {
    const v = this.gate.memoryView(this.mainThread, addr, size);
    if (!v) throw PageFault.at(addr, size, this.label);
    return v;
  }
}
