/*
 * Threads of core itself (its entrypoints, the signal entrypoint, interrupt threads): core
 * creates them in its own space with ThreadControl, writes their code and starts them with
 * ExchangeRegisters, as for any other space.
 */
import { Exreg, KError, NILTHREAD, PAGE_SIZE, threadNoOf } from '../kernel/abi.js';
import { ROOT_SPACE, type Okl4Kernel } from '../kernel/kernel.js';
import type { Thread, ThreadEntry } from '../kernel/thread.js';
import type { PlatformPd } from '../../../base/src/core/platform.js';
import { THREADS_PER_SPACE, type ThreadIds } from './thread_ids.js';

/** Core's UTCB area: one page per thread index. */
export const CORE_UTCB_AREA = { base: 0x40000, size: THREADS_PER_SPACE * PAGE_SIZE };

/** Code addresses in core's space; interrupt threads use IRQ_IP + irq. */
export const CORE_EP_IP = 0x1000;
export const SIGNAL_EP_IP = 0x1100;
export const CORE_CALLER_IP = 0x1800;
export const CORE_PAGER_IP = 0x1900;
export const IRQ_IP = 0x2000;

export interface CoreEnv {
  readonly kernel: Okl4Kernel;
  /** Core's main thread: it makes core's privileged system calls. */
  readonly main: Thread;
  readonly ids: ThreadIds;
  /** Hands a component's fault (its threads are halted already) to generic core. */
  readonly reportFault: (pd: PlatformPd, reason: string) => void;
  /** Core's pager thread, the pager of every component thread (once core registered its pager). */
  pager?: { readonly tid: number; add(tid: number, pd: PlatformPd & { readonly alive: boolean; mapFault(vaddr: number, phys: number, size: number, rights: number): boolean }, name: string): void; remove(tid: number): void };
}

export function coreUtcbOf(id: number): number {
  return CORE_UTCB_AREA.base + (threadNoOf(id) % THREADS_PER_SPACE) * PAGE_SIZE;
}

/** Creates and starts a core thread running `entry`; returns its ID. */
export function startCoreThread(env: CoreEnv, name: string, ip: number, entry: ThreadEntry, priority?: number): number {
  const { kernel, main, ids } = env;
  const id = ids.alloc(ROOT_SPACE);
  if (id === undefined) throw new Error(`core: no thread slot left for "${name}"`);
  let err = kernel.threadControl(main, id, ROOT_SPACE, main.id, NILTHREAD, coreUtcbOf(id), `core:${name}`);
  if (err === KError.OK) err = kernel.loadCode(main, ROOT_SPACE, ip, entry);
  if (err === KError.OK && priority !== undefined) err = kernel.schedule(main, id, priority);
  if (err === KError.OK) {
    err = kernel.exchangeRegisters(main, id, Exreg.SET_IP | Exreg.SET_USER_HANDLE | Exreg.HALT, 0, ip, 0, id, NILTHREAD).error;
  }
  if (err !== KError.OK) throw new Error(`core: cannot start thread "${name}" (error ${err})`);
  return id;
}

export function stopCoreThread(env: CoreEnv, id: number): void {
  env.kernel.threadControl(env.main, id, 0xffffffff, NILTHREAD, NILTHREAD, 0);
  env.ids.free(ROOT_SPACE, id);
}
