/*
 * The system-call gate of a user address space: everything a component's code can do to
 * the kernel.
 *
 * OKL4's user interface is L4_Ipc on message registers plus a few control calls; the
 * kernel knows the caller from the CPU it came in on. Here the gate is a frozen object of
 * closures over the kernel and the space, handed to the component's start-up code.
 * Threads appear as opaque references (frozen empty objects the gate maps back to threads
 * of its own space), arguments are checked for their types, and every callback into user
 * code runs guarded, so a throw in it ends the space, never the kernel or another thread.
 *
 * Core uses the same library code with the kernel itself as its gate.
 */
import type { UserDomain } from '../../../base/src/loader/user_domain.js';
import { MAX_TEXT, clip } from '../../../base/src/loader/user_domain.js';
import { accessArg, callback, int, opaqueRefs, word, text as textArg } from '../../../base/src/loader/gate_args.js';
import type { KError } from './abi.js';
import type { Okl4Kernel } from './kernel.js';
import type { Space } from './space.js';
import type { IpcResume, Thread, ThreadEntry } from './thread.js';

/**
 * What the component side of the backend (base-okl4/src/lib) calls. Its threads are
 * references the gate issued; the type says Thread because core shares the library code
 * with real threads, but no user code looks inside one.
 */
export interface Okl4Syscalls {
  ipc(self: Thread, to: number, fromSpec: number, resume: IpcResume): void;
  loadCode(self: Thread, spaceId: number, ip: number, entry: ThreadEntry): KError;
  memoryView(self: Thread, vaddr: number, size: number): Uint8Array | undefined;
  /** Bytes from `vaddr` the thread can access as `access` without a fault (reads the page table). */
  memoryAccessible(self: Thread, vaddr: number, access: 'read' | 'write' | 'exec'): number;
  /**
   * A register access (load, or store of `value`) of `width` bytes at `vaddr`, which the PD
   * mapped onto register-decoded device memory: the value read, 0 for a store, or an
   * MmioError (base/src/machine.ts).
   */
  mmio(self: Thread, vaddr: number, width: number, write: boolean, value: number): number;
  /** The thread touches `vaddr` as `access`: a page fault to its pager (Okl4Kernel.pageFault); `resume` gets 0 or the IPC error. */
  pageFault(self: Thread, vaddr: number, access: 'read' | 'write' | 'exec', resume: (error: number) => void): void;
  console(text: string): void;
  /** rdtsc: the CPU's time-stamp counter, which user code reads without the kernel on x86. */
  rdtsc(): number;
  /** The KIP processor descriptor's internal frequency (kHz), in Hz: the TSC's frequency. */
  readonly tscHz: number;
}

/** A space's gate also tells its name (the label its parent gave it). */
export interface Okl4UserGate extends Okl4Syscalls {
  readonly label: string;
}

declare const harden: <T>(x: T) => T;

/** The gate of `space`, whose user code is accounted in `domain`, and how the kernel names a thread to it. */
export function syscallGate(k: Okl4Kernel, space: Space, domain: UserDomain): { gate: Okl4UserGate; ref: (t: Thread) => Thread } {
  const { ref, deref: threadOf } = opaqueRefs<Thread>((t) => t.space === space, 'a thread of this space');

  /*
   * The continuation of a system call that must wait for its user work, made here: a
   * closure in the system call itself would make V8 allocate its variables on every call.
   */
  const ipcLater = (t: Thread, ticks: number, dest: number, from: number, r: IpcResume): void =>
    k.queueUserWork(t, ticks, () => k.ipc(t, dest, from, r));

  const gate: Okl4UserGate = harden({
    label: space.label,
    ipc(self: Thread, to: number, fromSpec: number, resume: IpcResume): void {
      /* L4_Ipc may wait: the user-level work before it is preemptible CPU time */
      const ticks = domain.enterPreemptible();
      const t = threadOf(self);
      const fn = callback<IpcResume>(resume, 'resume');
      const dest = int(to, 'destination');
      const from = int(fromSpec, 'from-specifier');
      const r = domain.resumer(fn);
      if (k.chargeUserWorkNow(t, ticks)) k.ipc(t, dest, from, r);
      else ipcLater(t, ticks, dest, from, r);
    },
    loadCode(self: Thread, spaceId: number, ip: number, entry: ThreadEntry): KError {
      domain.enter();
      const fn = callback<ThreadEntry>(entry, 'entry');
      return k.loadCode(threadOf(self), int(spaceId, 'space'), int(ip, 'IP'), (t) => domain.upcall(fn, ref(t)));
    },
    memoryView(self: Thread, vaddr: number, size: number): Uint8Array | undefined {
      domain.enter();
      return k.memoryView(threadOf(self), int(vaddr, 'address'), int(size, 'size'));
    },
    memoryAccessible(self: Thread, vaddr: number, access: 'read' | 'write' | 'exec'): number {
      domain.enter();
      return k.memoryAccessible(threadOf(self), word(vaddr, 'address'), accessArg(access));
    },
    mmio(self: Thread, vaddr: number, width: number, write: boolean, value: number): number {
      domain.enter();
      return k.mmio(threadOf(self), word(vaddr, 'address'), int(width, 'width'), write === true, write === true ? int(value, 'value') : 0);
    },
    pageFault(self: Thread, vaddr: number, access: 'read' | 'write' | 'exec', resume: (error: number) => void): void {
      /* the user-level work before the faulting access is preemptible CPU time, as before a system call */
      const ticks = domain.enterPreemptible();
      const t = threadOf(self);
      const fn = callback<(error: number) => void>(resume, 'resume');
      const addr = word(vaddr, 'address');
      const kind = accessArg(access);
      const r = domain.resumer(fn);
      k.afterUserWork(t, ticks, () => k.pageFault(t, addr, kind, r));
    },
    console(text: string): void {
      domain.enter();
      k.console(`[${space.label}] ${clip(textArg(text, 'console text'), MAX_TEXT)}`);
    },
    rdtsc(): number {
      domain.enter();
      return k.tsc();
    },
    tscHz: k.tscHz,
  });
  return { gate, ref };
}
