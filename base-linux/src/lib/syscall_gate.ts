/*
 * A linux component's system-call gate: what its code inside the compartment can ask of
 * the worker's loader (the trusted start-up part of the worker, outside the compartment),
 * which alone holds the Node objects: the kernel port to core, the event-loop keep-alive,
 * the host clock that times spinning.
 *
 * Everything else a component does on linux goes through shared memory it was handed
 * (channels, doorbells, its signal source, mapped dataspaces) with Atomics.
 */
import { AdaptiveWaiter, DEFAULT_SPIN, type SpinPolicy, type Waiter } from './adaptive_wait.js';
import type { KernelPort } from './kernel_port.js';
import type { KernelMessage, WorkerMessage } from './kernel_messages.js';
import { isToken, type Token } from './token.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';

export interface LinuxSyscalls {
  /** The component's label (as its parent named it). */
  readonly label: string;
  /** Registers the function that applies kernel messages from core (once). */
  onKernelMessage(apply: (m: KernelMessage) => void): void;
  /** Applies every message core posted so far. */
  sync(): void;
  /**
   * Asks core for the channel of a capability (answered by a 'resolved' kernel message),
   * for the calling thread `thread` (core's name of it; the main thread if absent).
   */
  resolve(seq: number, token: Token, thread?: number): void;
  /** Diagnostic output on core's log (no session needed). */
  diag(text: string): void;
  /**
   * Raises a page fault at `addr` as `access` to core (answered by a 'fault-done' kernel
   * message after the mapping, or not at all if core stops the component for it).
   */
  pageFault(seq: number, addr: number, access: MemoryAccess): void;
  /**
   * A register access at `addr` (a load, or a store of `value`) to core, which checks the
   * worker's mapping and performs it (answered by an 'mmio-done' kernel message).
   */
  mmio(seq: number, addr: number, width: number, write: boolean, value: number): void;
  /** A waiter for words in shared memory, with this worker's spin policy. */
  waiter(): Waiter;
  /**
   * Host time and host timers: only for the kernel's own timer binary (base-linux/src/timer,
   * Genode's linux timer, which uses the Linux kernel's clock directly). Absent for every
   * other component: they get time through a Timer session.
   */
  readonly hostClock?: HostClock;
}

export interface HostClock {
  /** Microseconds since an arbitrary start. */
  nowUs(): number;
  /** Calls `fn` after `ms` milliseconds; returns a handle for cancel. */
  after(ms: number, fn: () => void): number;
  cancel(handle: number): void;
}

export function hostClock(): HostClock {
  const start = performance.now();
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return harden({
    nowUs: () => Math.floor((performance.now() - start) * 1000),
    after(ms: number, fn: () => void): number {
      if (typeof fn !== 'function' || !Number.isFinite(ms)) throw new TypeError('after: bad arguments');
      const id = next++;
      timers.set(id, setTimeout(() => {
        timers.delete(id);
        fn();
      }, Math.max(0, Math.min(ms, 2 ** 31 - 1))));
      return id;
    },
    cancel(handle: number): void {
      const t = timers.get(handle);
      if (t) clearTimeout(t);
      timers.delete(handle);
    },
  });
}

declare const harden: <T>(x: T) => T;

const DIAG_MAX = 2000;

export interface WorkerHostSide {
  port: KernelPort;
  toCore(m: WorkerMessage): void;
}

export function linuxGate(label: string, host: WorkerHostSide, spin: SpinPolicy = DEFAULT_SPIN, withHostClock = false): LinuxSyscalls {
  return harden({
    label,
    ...(withHostClock ? { hostClock: hostClock() } : {}),
    onKernelMessage(apply: (m: KernelMessage) => void): void {
      if (typeof apply !== 'function') throw new TypeError('onKernelMessage: not a function');
      host.port.attach((m) => apply(harden(m)));
    },
    sync(): void {
      host.port.sync();
    },
    resolve(seq: number, token: Token, thread?: number): void {
      if (!Number.isSafeInteger(seq) || !isToken(token)) throw new TypeError('resolve: bad sequence number or token');
      if (thread !== undefined && !Number.isSafeInteger(thread)) throw new TypeError('resolve: bad thread');
      host.toCore(thread === undefined ? { t: 'resolve', seq, token } : { t: 'resolve', seq, token, thread });
    },
    diag(text: string): void {
      if (typeof text !== 'string') throw new TypeError('diag: not a string');
      host.toCore({ t: 'diag', text: text.length > DIAG_MAX ? `${text.slice(0, DIAG_MAX)}...` : text });
    },
    pageFault(seq: number, addr: number, access: MemoryAccess): void {
      if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(addr) || addr < 0) throw new TypeError('pageFault: bad sequence number or address');
      if (access !== 'read' && access !== 'write' && access !== 'exec') throw new TypeError('pageFault: bad access');
      host.toCore({ t: 'fault', seq, addr, access });
    },
    mmio(seq: number, addr: number, width: number, write: boolean, value: number): void {
      if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(addr) || addr < 0 || !Number.isSafeInteger(width) || !Number.isSafeInteger(value)) {
        throw new TypeError('mmio: bad sequence number, address, width or value');
      }
      host.toCore({ t: 'mmio', seq, addr, width, write: write === true, value });
    },
    waiter(): Waiter {
      const w = new AdaptiveWaiter(spin);
      return harden({ until: (word: Int32Array, index: number, done: (v: number) => boolean) => w.until(word, index, done) });
    },
  });
}

