/*
 * The messages core and a component's worker exchange besides RPC: what a kernel would do
 * to a process from outside (map memory, hand over channels and signal sources) and what a
 * process asks the kernel for (resolving a token, console output). Only plain data and
 * SharedArrayBuffers cross; never an object of another component.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SpinPolicy } from './adaptive_wait.js';
import type { Token } from './token.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';

/** Core -> worker, over the PD's kernel port. */
export type KernelMessage =
  /**
   * A flexpage core's pager mapped for a fault of the component. The rights are what the
   * component's MMU checks (`accessible`); read-only is not expressible for shared memory
   * in JS, so a view of a read-only mapping could still be written. `frame`: the physical
   * address where `sab` begins (the worker gets a new buffer object for each message).
   */
  | { t: 'map'; vaddr: number; size: number; sab: SharedArrayBuffer; frame: number; offset: number; writeable: boolean; executable: boolean }
  /**
   * A flexpage onto device registers that are decoded at each access (an IO_MEM dataspace of
   * the AHCI's ABAR): no memory a worker could hold, so the worker's loads and stores go to
   * core one by one ('mmio' messages); the mapping makes the range accessible for `touch`.
   */
  | { t: 'map-registers'; vaddr: number; size: number; writeable: boolean }
  | { t: 'unmap'; vaddr: number; size: number }
  /** An entrypoint thread was started: its doorbell. */
  | { t: 'ep'; thread: number; sp: number; doorbell: SharedArrayBuffer }
  /** A further thread was started: its name at core, which it calls as. */
  | { t: 'thread'; thread: number; sp: number }
  /** Core paused or resumed a further thread (Cpu_thread pause/resume). */
  | { t: 'pause'; thread: number; paused: boolean }
  /** A client connected to one of this PD's entrypoints. */
  | { t: 'channel'; thread: number; id: number; sab: SharedArrayBuffer }
  | { t: 'drop-channel'; thread: number; id: number }
  /** Core revoked an RPC object this PD's entrypoint served. */
  | { t: 'unserve'; thread: number; token: Token }
  | { t: 'source'; token: Token; sab: SharedArrayBuffer }
  | { t: 'resolved'; seq: number; id?: number; channel?: SharedArrayBuffer; doorbell?: SharedArrayBuffer; error?: string; gone?: boolean }
  /**
   * The page fault `seq` is resolved (its mapping was posted before), or refused (`error`:
   * one was pending already, or the message was malformed). An unresolvable fault gets no
   * answer: core stops the component.
   */
  | { t: 'fault-done'; seq: number; error?: string }
  /** The register access `seq` done: the value read, 0 for a store, or an MmioError (base/src/machine.ts). */
  | { t: 'mmio-done'; seq: number; result: number };

/** Worker -> core, over the worker's parent port. */
export type WorkerMessage =
  /** `thread`: the calling thread's name at core, if not the main thread (each thread has its own channels). */
  | { t: 'resolve'; seq: number; token: Token; thread?: number }
  | { t: 'diag'; text: string }
  /** The loader evaluated the program and started the component (core lets the next worker load). */
  | { t: 'loaded' }
  /** A page fault of the component (the SIGSEGV a process would raise): at most one pending. */
  | { t: 'fault'; seq: number; addr: number; access: MemoryAccess }
  /** A load or store of device registers the worker mapped ('map-registers'); core performs it. */
  | { t: 'mmio'; seq: number; addr: number; width: number; write: boolean; value: number };

/** What the component's start-up code gets (inside its compartment). */
export interface ComponentBoot {
  /** Stack pointer of the main thread (slot 0). */
  sp: number;
  parent: Token | undefined;
  control: SharedArrayBuffer;
}

/** What a worker starts with (its workerData). */
export interface WorkerBoot {
  label: string;
  /** The binary's program image (linked and metered by core's loader). */
  binary: { name: string; source: string };
  /** Stack pointer of the main thread (slot 0). */
  sp: number;
  parent: Token | undefined;
  control: SharedArrayBuffer;
  port: MessagePort;
  /** How long callers and entrypoints spin before they sleep. */
  spin?: SpinPolicy;
  /** The kernel's own timer binary gets host time and host timers (see syscall_gate.ts). */
  hostClock?: boolean;
}
