/*
 * What core's parts share on Fiasco.OC: the kernel, core's main thread (whose registers the
 * synchronous kernel-object calls use), core's capability slots and cap map, the badge
 * allocator, and the UTCB slots of core's own threads.
 */
import type { PlatformPd } from '../../../base/src/core/platform.js';
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { L4_BASE_FACTORY_CAP, L4_BASE_SCHEDULER_CAP, L4_BASE_TASK_CAP, UTCB_BYTES } from '../kernel/consts.js';
import type { Fiasco } from '../kernel/kernel.js';
import {
  l4_factory_create_thread, l4_scheduler_run_thread, l4_task_delete_obj, l4_thread_control, l4_thread_ex_regs,
} from '../kernel/l4sys.js';
import { l4_error } from '../kernel/msgtag.js';
import type { EntryFunction } from '../kernel/task.js';
import type { Thread } from '../kernel/thread.js';
import { CapIndexAlloc } from '../lib/cap_index_alloc.js';
import { CapMap } from '../lib/cap_map.js';
import { CapIdAlloc } from './cap_id_alloc.js';
import type { FocPagerEntrypoint } from './pager.js';

/** Core allocates its capability slots from here on (below are the well-known ones). */
export const CORE_FIRST_SLOT = 0x100;

export class CoreEnv {
  readonly caps: CapMap;
  readonly badges = new CapIdAlloc();
  /** UTCB slots in core's UTCB area; slot 0 is the main thread's. */
  private readonly utcbs: IdAllocator;
  /** Core's pager thread, once core registered its pager (threads started before have none). */
  pagers: FocPagerEntrypoint | undefined;

  constructor(readonly k: Fiasco, readonly thread: Thread) {
    this.caps = new CapMap(k, new CapIndexAlloc(CORE_FIRST_SLOT));
    this.utcbs = new IdAllocator(1, k.rootUtcbArea.size / UTCB_BYTES - 1);
  }

  /** Fails loudly if a kernel-object call that core relies on went wrong. */
  private faultHandler: ((pd: PlatformPd, reason: string) => void) | undefined;

  onFault(handler: (pd: PlatformPd, reason: string) => void): void {
    this.faultHandler = handler;
  }

  /** A component's task faulted (its threads are halted already): core takes it from here. */
  reportFault(pd: PlatformPd, reason: string): void {
    if (this.faultHandler) this.faultHandler(pd, reason);
    else this.k.console(`[${pd.label}] Error: ${reason}`);
  }

  check(tag: number, what: string): void {
    const err = l4_error(tag);
    if (err < 0) throw new Error(`core: ${what} failed (${err})`);
  }

  /** A thread of core, bound to core's task, running `fn` from `ip` at `prio`. Returns its slot and UTCB address. */
  startThread(name: string, ip: number, prio: number, fn: EntryFunction): { kcap: number; utcb: number } {
    const { k, thread: t } = this;
    const id = this.utcbs.alloc();
    if (id === undefined) throw new Error('core: out of UTCB slots');
    const utcb = this.k.rootUtcbArea.base + id * UTCB_BYTES;
    const kcap = this.caps.indices.alloc();
    this.check(l4_factory_create_thread(k, t, L4_BASE_FACTORY_CAP, kcap), `creating thread "${name}"`);
    this.check(l4_thread_control(k, t, kcap, { bind: { utcb, task: L4_BASE_TASK_CAP } }), `binding thread "${name}"`);
    this.check(l4_thread_ex_regs(k, t, kcap, ip, 0), `starting thread "${name}"`);
    k.writeText(t, undefined, ip, fn);
    this.check(l4_scheduler_run_thread(k, t, L4_BASE_SCHEDULER_CAP, kcap, prio), `scheduling thread "${name}"`);
    return { kcap, utcb };
  }

  /** Deletes a core thread started with startThread. */
  stopThread(kcap: number, utcb: number): void {
    this.deleteObject(kcap);
    this.utcbs.free((utcb - this.k.rootUtcbArea.base) / UTCB_BYTES);
  }

  /** Deletes the object behind one of core's slots (every capability to it goes away) and frees the slot. */
  deleteObject(kcap: number): void {
    l4_task_delete_obj(this.k, this.thread, L4_BASE_TASK_CAP, kcap);
    this.caps.indices.free(kcap);
  }

  /** The UTCB of one of core's threads, through core's own memory. */
  utcbView(addr: number): Uint32Array {
    const v = this.k.memoryView(this.thread, addr, UTCB_BYTES, true);
    if (!v) throw new Error(`core: UTCB at 0x${addr.toString(16)} is not mapped`);
    return new Uint32Array(v.buffer, v.byteOffset, UTCB_BYTES / 4);
  }
}
