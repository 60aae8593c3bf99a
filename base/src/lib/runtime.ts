/*
 * The contract between the kernel-neutral component library and a kernel backend's glue
 * (base-<kernel>/src/lib). A backend implements these few operations with its native
 * system calls; everything else (Env, entrypoint, signals, connections) is generic.
 */
import type { Capability } from '../capability.js';
import type { IpcCaller } from '../rpc/client.js';
import type { MsgBuffer } from '../rpc/msgbuf.js';
import type { CpuSession } from '../session/cpu/session.js';
import type { CpuThread } from '../session/cpu_thread/session.js';
import type { PdSession } from '../session/pd/session.js';
import type { Parent } from '../session/parent/session.js';
import type { SignalContext, SignalSource } from '../session/signal/session.js';
import type { MemoryAccess } from '../session/region_map/session.js';

/**
 * Handles one incoming request for the object known under `key`; the reply goes into `msg`.
 * With `done` the handler calls it when the reply is ready (and returns nothing); without,
 * it returns a promise for that.
 */
export type RequestHandler = (key: number | string, msg: MsgBuffer, done?: () => void) => Promise<void> | undefined;

/** Delivers `count` coalesced submissions of the signal context with `imprint`. */
export type SignalDelivery = (imprint: number, count: number) => void;

export interface EntrypointThread {
  /** The thread's capability, passed to PD.allocRpcCap so core binds new objects to it. */
  readonly thread: Capability<CpuThread>;
  /** Makes a freshly allocated RPC capability dispatch to this entrypoint; returns its key. */
  activate(cap: Capability<unknown>): number | string | Promise<number | string>;
}

/** A thread the backend started (startThread). */
export interface StartedThread {
  /**
   * Gives back what the component kept for the thread (its stack slot, the receive window
   * of its UTCB) once core killed it, so a later thread can have them.
   */
  release(): void;
}

/** The x86 time-stamp counter as user code reads it (rdtsc), with its frequency in Hz. */
export interface Tsc {
  now(): number;
  readonly hz: number;
}

export interface ComponentRuntime {
  /** The kernel's name, for diagnostics ("nova", "linux", ...). */
  readonly kernel: string;
  /** The label the parent gave this component (for diagnostics). */
  readonly label: string;
  readonly caller: IpcCaller;
  readonly parent: Capability<Parent>;

  /** Creates the thread that serves this component's RPC objects. */
  startEntrypoint(cpu: CpuSession, pd: Capability<PdSession>, handler: RequestHandler): Promise<EntrypointThread>;

  /**
   * Starts a thread created GLOBAL through a CPU session (base/src/lib/thread.ts): gives it
   * a stack slot with its own UTCB / message registers and code at an IP of its own, and
   * starts it there. When the kernel first runs the thread, `run` gets the IpcCaller that
   * calls through that thread, so its calls block only it.
   */
  startThread(thread: Capability<CpuThread>, run: (caller: IpcCaller) => void): Promise<StartedThread>;

  /** Creates the receiver of this component's signals and starts delivering them. */
  startSignalReceiver(cpu: CpuSession, pd: Capability<PdSession>, source: Capability<SignalSource>, deliver: SignalDelivery): Promise<void>;

  /**
   * Submits a signal directly through the kernel where the kernel can (NOVA: semaphore up);
   * absent on kernels where signals go through core (PD.submit).
   */
  submitSignal?(ctx: Capability<SignalContext>, count: number): void;
  /**
   * The CPU's time-stamp counter and its frequency, where the component runs on an
   * (emulated) PC's CPU: Genode's Trace::timestamp.
   */
  readonly tsc?: Tsc;

  /**
   * How many bytes from `addr` the calling thread can access as `access` without a page
   * fault (0: the first byte faults). Reads the page tables, raises nothing.
   */
  accessible(addr: number, access: MemoryAccess): number;

  /**
   * Touches `addr` as `access` where it is not accessible: the kernel raises a page fault to
   * the pager (core) and blocks the calling thread until the pager resolved it. Settles when
   * the thread runs again; never settles if core stopped the component for the fault.
   */
  pageFault(addr: number, access: MemoryAccess): Promise<void>;

  /**
   * A load of `width` (1, 2, 4) bytes from device registers at `addr`, which the component
   * attached as an IO_MEM dataspace of register-decoded device memory (the AHCI's ABAR):
   * the kernel translates `addr` through the PD's page tables and the device decodes the
   * access (emulated kernels: a system call; linux: a message to core). Where `addr` is not
   * mapped yet, the access raises the page fault first. Throws BadArgument for a bad width,
   * an unaligned address or an address mapped onto no registers (base/src/lib/register_access.ts).
   */
  mmioRead(addr: number, width: 1 | 2 | 4): Promise<number>;
  /** A store of `value` (its low `width` bytes) to device registers at `addr` (see mmioRead). */
  mmioWrite(addr: number, width: 1 | 2 | 4, value: number): Promise<void>;

  /** The component's view of its own virtual memory (throws if the range is not mapped). */
  view(addr: number, size: number): Uint8Array;

  /** Drops a capability this component no longer uses. */
  release(cap: Capability<unknown>): void;

  /**
   * How many names this component's own capability space holds (NOVA selectors, Fiasco.OC
   * slots, OKL4 keys), for leak checks; absent where there is no such space (linux tokens).
   */
  capSpaceInUse?(): number;

  /**
   * Diagnostic output that needs no session (the kernel console): uncaught errors and
   * load failures of the component are reported here.
   */
  diag(text: string): void;

  /**
   * Makes a capability from a raw name the component guessed, as hostile code can always do
   * (a selector, a cap slot, a thread ID and key, a token). For forgery tests only: on a
   * kernel that protects capabilities the result reaches nothing the component was not given.
   */
  forge(guess: number): Capability<unknown>;

  /** False where the kernel does not protect capabilities (OKL4: names are plain numbers). */
  readonly capabilitiesProtected: boolean;

  /** Allocates the virtual address of a new thread's stack (and UTCB) slot. */
  threadSlot(): { sp: number };
}
