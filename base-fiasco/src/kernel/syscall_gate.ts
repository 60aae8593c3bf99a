/*
 * The system-call gate of a user task: everything a component's code can do to the kernel.
 *
 * On Fiasco.OC every operation is an invocation of a capability (l4_ipc) with arguments in
 * the calling thread's UTCB; the kernel knows the caller from the CPU it came in on. Here
 * the gate is a frozen object of closures over the kernel and the task, handed to the
 * component's start-up code. Threads appear as opaque references (frozen empty objects the
 * gate maps back to threads of its own task), arguments are checked for their types, and
 * every callback into user code runs guarded, so a throw in it ends the task, never the
 * kernel or a thread of another task.
 *
 * Core uses the same bindings (l4sys.ts) with the kernel itself as its gate.
 */
import type { UserDomain } from '../../../base/src/loader/user_domain.js';
import { MAX_TEXT, clip } from '../../../base/src/loader/user_domain.js';
import { accessArg, callback, int, opaqueRefs, text as textArg, word } from '../../../base/src/loader/gate_args.js';
import type { Fiasco, MemoryAccess } from './kernel.js';
import type { Task } from './task.js';
import type { Resume, Thread } from './thread.js';

/** What the user-level bindings (l4sys.ts) need: the system call and the caller's UTCB. */
export interface L4Sys {
  /** An invocation that completes at once (kernel objects, a reply without waiting). */
  ipc(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void;
  /**
   * IPC that may wait (call, send, wait, receive): the user-level work before it is
   * preemptible CPU time that the thread spends first (base/src/util/run_queue.ts).
   */
  ipcBlocking(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void;
  utcbOf(t: Thread): Uint32Array;
}

/**
 * What the component side of the backend (base-fiasco/src/lib) calls. Its threads are
 * references the gate issued; the type says Thread because core shares the library code
 * with real threads, but no user code looks inside one.
 */
export interface FocSyscalls extends L4Sys {
  /** Continues user-level work after a system call returned (after the time slice, if it ended). */
  userResume(fn: () => void): void;
  /** Loads an entry function into the caller's task at `ip` (the emulated text segment). */
  writeText(t: Thread, taskCap: number | undefined, ip: number, fn: (self: Thread) => unknown): number;
  memoryView(t: Thread, vaddr: number, size: number): Uint8Array | undefined;
  /** Bytes from `vaddr` that `t` can access as `access` without a page fault (Fiasco.memoryAccessible). */
  memoryAccessible(t: Thread, vaddr: number, access: MemoryAccess): number;
  /**
   * A register access (load, or store of `value`) of `width` bytes at `vaddr`, which the PD
   * mapped onto register-decoded device memory: the value read, 0 for a store, or an
   * MmioError (base/src/machine.ts).
   */
  mmio(t: Thread, vaddr: number, width: number, write: boolean, value: number): number;
  /** `t` touches `vaddr` as `access`: a page fault, the pager IPC on its behalf (Fiasco.pageFault). */
  pageFault(t: Thread, vaddr: number, access: MemoryAccess, resume: Resume): void;
  console(text: string): void;
  /** l4_kip_clock: the KIP's clock in microseconds since boot (a read of the mapped page, no system call). */
  kipClock(): number;
  /** rdtsc: the CPU's time-stamp counter, which user code reads without the kernel on x86. */
  rdtsc(): number;
  /** The KIP's frequency_cpu (kHz), in Hz: the TSC's frequency. */
  readonly tscHz: number;
}

/** A task's gate also tells its name (the label its parent gave it). */
export interface FocUserGate extends FocSyscalls {
  readonly label: string;
}

declare const harden: <T>(x: T) => T;

/** The gate of `task`, whose user code is accounted in `domain`, and how the kernel names a thread to it. */
export function syscallGate(k: Fiasco, task: Task, domain: UserDomain): { gate: FocUserGate; ref: (t: Thread) => Thread } {
  const { ref, deref: threadOf } = opaqueRefs<Thread>((t) => t.task === task, 'a thread of this task');

  /*
   * The continuation of a system call that must wait for its user work, made here: a
   * closure in the system call itself would make V8 allocate its variables on every call.
   */
  const ipcLater = (self: Thread, ticks: number, d: number, f: number, g: number, o: number, r: Resume): void =>
    k.queueUserWork(self, ticks, () => k.ipc(self, d, f, g, o, r));

  const gate: FocUserGate = harden({
    label: task.name,
    ipc(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void {
      domain.enter();
      const self = threadOf(t);
      const fn = callback<Resume>(resume, 'resume');
      k.ipc(self, int(dest, 'destination'), int(flags, 'flags'), int(tag, 'tag'), int(timeout, 'timeout'), domain.resumer2(fn));
    },
    ipcBlocking(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void {
      const ticks = domain.enterPreemptible();
      const self = threadOf(t);
      const fn = callback<Resume>(resume, 'resume');
      const d = int(dest, 'destination');
      const f = int(flags, 'flags');
      const g = int(tag, 'tag');
      const o = int(timeout, 'timeout');
      const r = domain.resumer2(fn);
      if (k.chargeUserWorkNow(self, ticks)) k.ipc(self, d, f, g, o, r);
      else ipcLater(self, ticks, d, f, g, o, r);
    },
    utcbOf(t: Thread): Uint32Array {
      domain.enter();
      return threadOf(t).utcb!;
    },
    userResume(fn: () => void): void {
      domain.enter();
      const f = callback<() => void>(fn, 'continuation');
      k.userResume(domain.continuation(f));
    },
    writeText(t: Thread, taskCap: number | undefined, ip: number, fn: (self: Thread) => unknown): number {
      domain.enter();
      const entry = callback<(self: Thread) => unknown>(fn, 'entry');
      if (taskCap !== undefined) int(taskCap, 'task capability');
      return k.writeText(threadOf(t), taskCap, int(ip, 'IP'), (self) => domain.upcall(entry, ref(self)));
    },
    memoryView(t: Thread, vaddr: number, size: number): Uint8Array | undefined {
      domain.enter();
      return k.memoryView(threadOf(t), int(vaddr, 'address'), int(size, 'size'));
    },
    memoryAccessible(t: Thread, vaddr: number, access: MemoryAccess): number {
      domain.enter();
      return k.memoryAccessible(threadOf(t), int(vaddr, 'address'), accessArg(access));
    },
    mmio(t: Thread, vaddr: number, width: number, write: boolean, value: number): number {
      domain.enter();
      return k.mmio(threadOf(t), word(vaddr, 'address'), int(width, 'width'), write === true, write === true ? int(value, 'value') : 0);
    },
    pageFault(t: Thread, vaddr: number, access: MemoryAccess, resume: Resume): void {
      const ticks = domain.enterPreemptible();
      const self = threadOf(t);
      const addr = int(vaddr, 'address');
      const kind = accessArg(access);
      const fn = callback<Resume>(resume, 'resume');
      const r = domain.resumer2(fn);
      k.afterUserWork(self, ticks, () => k.pageFault(self, addr, kind, r));
    },
    console(text: string): void {
      domain.enter();
      k.console(`[${task.name}] ${clip(textArg(text, 'console text'), MAX_TEXT)}`);
    },
    kipClock(): number {
      domain.enter();
      return k.kipClock();
    },
    rdtsc(): number {
      domain.enter();
      return k.tsc();
    },
    tscHz: k.tscHz,
  });
  return { gate, ref };
}
