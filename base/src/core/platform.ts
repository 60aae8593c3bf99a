/*
 * The contract between generic core and a kernel backend's core part (base-<kernel>/src/core):
 * creating protection domains and threads, mapping memory, making RPC and signal
 * capabilities. Generic core does all bookkeeping and quota accounting on top.
 */
import type { Capability } from '../capability.js';
import type { MsgBuffer } from '../rpc/msgbuf.js';
import type { IpcCaller } from '../rpc/client.js';
import type { RpcCapFactory } from '../lib/entrypoint.js';

export const enum ThreadKindCode { GLOBAL = 0, ENTRYPOINT = 1 }

/** Genode's priority range (CpuSession.PRIORITY_LIMIT). */
export const PRIORITY_LIMIT = 1 << 16;

/**
 * A kernel priority for Genode priority `priority` (0 highest): the kernel's default
 * priority for 0, `levels` steps below it across the range, as Genode's
 * Cpu_session::scale_priority does.
 */
export function kernelPriority(priority: number, defaultPrio: number, levels: number): number {
  const p = Math.min(Math.max(Math.floor(priority), 0), PRIORITY_LIMIT - 1);
  return defaultPrio - Math.floor((p * levels) / PRIORITY_LIMIT);
}

import type { MemoryAccess } from '../session/region_map/session.js';
export type { MemoryAccess };

/** A page fault as the kernel reported it to core's pager. */
export interface PageFaultInfo {
  addr: number;
  access: MemoryAccess;
  /** The faulting thread's name (diagnostics). */
  thread: string;
}

/**
 * Core's pager's answer to a page fault (Genode's Pager_object / Ipc_pager):
 * - map: one naturally aligned flexpage, `size` a power of two with `vaddr` and `phys` both
 *   aligned to it; the backend installs it through its kernel's path and resumes the thread;
 * - wait: the fault went to a region map's fault handler; ask again once `retry` settles
 *   (the thread stays blocked meanwhile, as with Pager_object::wake_up);
 * - fail: nothing can resolve it; the backend reports `reason` as the PD's fault.
 */
export type PagerAnswer =
  | { kind: 'map'; vaddr: number; phys: number; size: number; writeable: boolean; executable: boolean }
  | { kind: 'wait'; retry: Promise<void> }
  | { kind: 'fail'; reason: string };

/** Core's pager, called by a backend's kernel fault path for every page fault of a component. */
export type Pager = (pd: PlatformPd, fault: PageFaultInfo) => PagerAnswer;

export interface PlatformPd {
  readonly label: string;
  unmap(vaddr: number, size: number): void;
  /** Installs the parent capability where the component's start-up code finds it. */
  assignParent(parent: Capability<unknown>): boolean;
  /** Grants access to I/O ports [base, base+size). */
  allowIoPorts?(base: number, size: number): boolean;
  destroy(): void;
}

export interface PlatformThread {
  readonly name: string;
  /**
   * Starts the thread at `ip` with stack `sp`. For a component's first thread the
   * backend's loader runs `binary` there (the module named by the binary at `ip`).
   * Returns why the thread could not be started (the kernel's reason), or undefined.
   */
  start(ip: number, sp: number, binary?: LoadedBinary): string | undefined;
  /**
   * The user time (microseconds) the kernel accounted to the thread (Genode's
   * Platform_thread::execution_time); absent or undefined where the kernel keeps none.
   */
  executionTime?(): number | undefined;
  /**
   * Stops the thread with the kernel's mechanism: from now on it makes no progress (a
   * system call it makes is not carried out, a reply or wake-up is not delivered to it)
   * until `resume`. Returns why it could not be paused, or undefined.
   */
  pause(): string | undefined;
  /** Lets a paused thread go on: what it was held at proceeds. Returns why not, or undefined. */
  resume(): string | undefined;
  /** What the kernel reports of the thread; undefined if it is not started or gone. */
  state(): PlatformThreadState | undefined;
  destroy(): void;
}

/** A thread's state as its kernel reports it. */
export interface PlatformThreadState {
  /** The kernel holds the thread (paused). */
  paused: boolean;
  /** How many of its kernel entries or returns the kernel holds (0: it is blocked or ready, not yet caught). */
  held: number;
  /** The instruction pointer it was started at (or last set to): the address of its code. */
  ip: number;
  /** Its stack pointer as started (or last set). */
  sp: number;
}

/** A binary to start: the backend's loader links its program image from the module file. */
export interface LoadedBinary {
  name: string;
  /** The component's module file (URL). */
  url: string;
  /** The PD's RAM quota when its main thread starts (a backend may size host resources by it). */
  ramQuota?: number;
}

export interface CorePlatform {
  readonly kernel: string;
  /** Physical RAM that core may hand out: [ramBase, ramBase + ramSize). */
  readonly ramBase: number;
  readonly ramSize: number;
  /**
   * How many capabilities core's capability space holds (Genode's Platform::max_caps):
   * what init's cap quota is cut from. Undefined: DEFAULT_MAX_CAPS.
   */
  readonly maxCaps?: number;

  /** Core's own entrypoint: its capabilities dispatch to `handler`. */
  createEntrypoint(handler: (key: number | string, msg: MsgBuffer, done?: () => void) => Promise<void> | undefined): RpcCapFactory;

  createPd(label: string): PlatformPd;
  /** `priority`: Genode's, 0 (highest) to PRIORITY_LIMIT - 1 (see kernelPriority). */
  createThread(pd: PlatformPd, name: string, kind: ThreadKindCode, priority?: number): PlatformThread;

  /** A capability for a new RPC object served by `ep` (a thread of `pd` started as ENTRYPOINT). */
  allocRpcCap(pd: PlatformPd, ep: PlatformThread): Capability<unknown> | undefined;
  freeRpcCap(cap: Capability<unknown>): void;
  /** Sets the id the kernel delivers with calls of an RPC capability (only where core must: NOVA's pt_ctrl). */
  imprintRpcCap?(cap: Capability<unknown>, badge: number): boolean;

  allocSignalSource(pd: PlatformPd): Capability<unknown> | undefined;
  allocSignalContext(source: Capability<unknown>, imprint: number): Capability<unknown> | undefined;
  freeSignalContext(ctx: Capability<unknown>): void;
  submitSignal(ctx: Capability<unknown>, count: number): void;

  /** Core's access to physical memory it allocated (e.g. to read a binary's header). */
  physView(phys: number, size: number): Uint8Array;
  /**
   * Backs a range core just allocated with zeroed memory of its own (one buffer per
   * dataspace, so no view can be widened beyond it) and returns core's view of it.
   */
  allocRam(phys: number, size: number): Uint8Array;
  /** Removes every mapping of physical [phys, phys+size) from every PD. */
  revokePhys(phys: number, size: number): void;

  /**
   * Registers core's handler for faults of a component the kernel found (an uncaught
   * error in an upcall, a runaway, a binary that does not load): core stops the PD and
   * tells its parent.
   */
  onFault?(handler: (pd: PlatformPd, reason: string) => void): void;

  /**
   * Links the program images of the boot modules' binaries before anything runs (a link
   * takes host time; done at boot, it cannot make runs depend on the host's speed).
   * Returns the errors of binaries that do not link (they fail when started).
   */
  preload?(binaries: readonly { name: string; url: string }[]): Promise<string[]>;

  /**
   * Registers core's pager. Attaching maps nothing: the first access to a region faults
   * through the kernel's real path (NOVA's page-fault exception portal, Fiasco.OC's pager
   * IPC, OKL4's pager thread, the linux worker's fault message) and the backend asks `pager`.
   */
  setPager(pager: Pager): void;

  /** A thread of core's for RPCs to components (core delivers a faulted component's exit). */
  coreCaller?(): IpcCaller;

  /** Virtual time or host time in microseconds, for LOG timestamps and timeouts. */
  nowUs(): number;

  /*
   * Device access, present where there is a machine (the emulated kernels). Generic core's
   * IO_PORT, IO_MEM and IRQ services hand it out only as sessions routed by init.
   */

  /** Port I/O performed by core for an IO_PORT session. */
  readonly ioPorts?: {
    read(port: number, width: 1 | 2 | 4): number;
    write(port: number, width: 1 | 2 | 4, value: number): void;
  };
  /** Whether [phys, phys+size) is device memory (outside RAM) that IO_MEM may hand out. */
  isDeviceMemory?(phys: number, size: number): boolean;
  /**
   * Interrupts delivered to the IRQ session's signal handler by the backend's own path,
   * as Genode's glue does it: NOVA binds the GSI semaphore to the signal context (the
   * kernel submits it); Fiasco.OC binds every IRQ object to core's one interrupt handler
   * thread. The backend keeps an occurrence masked until the session's ack. The IRQ
   * service prefers this to attachIrq (a core thread per line that calls a handler).
   */
  readonly irqSignals?: {
    /** Takes interrupt line `irq`; false if there is none or it is taken. */
    take(irq: number): boolean;
    /** Delivers the line's occurrences to `ctx` (undefined: to nobody); false if refused. */
    sigh(irq: number, ctx: Capability<unknown> | undefined): boolean;
    /** The last occurrence was handled: the next one may be delivered. */
    ack(irq: number): void;
    release(irq: number): void;
  };
  /** Calls `handler` for each occurrence of interrupt `irq` until detached; false if impossible. */
  attachIrq?(irq: number, handler: () => void): boolean;
  detachIrq?(irq: number): void;
}
