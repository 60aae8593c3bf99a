/*
 * A thread of a component on Fiasco.OC: core creates it with the factory, binds it to the
 * component's task with its UTCB at the base of its stack slot, maps the thread's own
 * capability into the component's thread area, sets ip and sp, and lets the scheduler run
 * it. For the first thread the loader puts the component's start-up code at `ip`.
 */
import type { LoadedBinary, PlatformThread, PlatformThreadState } from '../../../base/src/core/platform.js';
import { ThreadKindCode } from '../../../base/src/core/platform.js';
import { STACK_AREA_BASE, STACK_SLOT_SIZE, utcbOfStack } from '../../../base/src/lib/stack_area.js';
import { L4_BASE_FACTORY_CAP, L4_BASE_SCHEDULER_CAP, L4_BASE_TASK_CAP, L4_ERROR_NAMES, L4_ITEM_MAP, capSlot } from '../kernel/consts.js';
import { L4_THREAD_EX_REGS_TRIGGER_EXCEPTION, Thread } from '../kernel/thread.js';
import { L4_CAP_FPAGE_RW, L4_CAP_FPAGE_RWS, l4_obj_fpage } from '../kernel/fpage.js';
import {
  l4_factory_create_thread, l4_scheduler_run_thread, l4_task_map, l4_thread_control, l4_thread_ex_regs,
} from '../kernel/l4sys.js';
import { l4_error } from '../kernel/msgtag.js';
import { DEFAULT_PRIO, MAX_THREADS, THREAD_PAGER_CAP, threadCapOf } from '../lib/layout.js';
import { programEntry } from './loader.js';
import type { CoreEnv } from './core_env.js';
import type { FocPd } from './pd.js';
import type { PagerObject } from './pager.js';

export class FocThread implements PlatformThread {
  /** Core's slot of the thread, once started. */
  kcap: number | undefined;
  /** Its pager object at core's pager thread. */
  private pager: PagerObject | undefined;

  constructor(private readonly env: CoreEnv, readonly pd: FocPd, readonly name: string, readonly kind: ThreadKindCode,
    private readonly prio = DEFAULT_PRIO) {}

  start(ip: number, sp: number, binary?: LoadedBinary): string | undefined {
    const { k, thread: t, caps } = this.env;
    if (this.kcap !== undefined) return 'it is started already';
    const utcb = utcbOfStack(sp);
    if (utcb === undefined) return 'the stack pointer is not in a stack slot';
    const slot = (utcb - STACK_AREA_BASE) / STACK_SLOT_SIZE;
    if (slot >= MAX_THREADS) return `stack slot ${slot} is beyond the ${MAX_THREADS} threads a task may have`;
    const kcap = caps.indices.alloc();
    /* the first failing step, named with the kernel's error */
    let failed: string | undefined;
    const ok = (call: string, tag: number) => {
      const e = l4_error(tag);
      if (e !== 0) failed = `${call} failed: ${L4_ERROR_NAMES[e] ?? `error ${e}`}`;
      return e === 0;
    };
    if (!ok('l4_factory_create_thread', l4_factory_create_thread(k, t, L4_BASE_FACTORY_CAP, kcap))) {
      caps.indices.free(kcap);
      return failed;
    }
    this.kcap = kcap;
    /* its pager: a gate to core's pager thread, in the thread's capability area (Genode's THREAD_PAGER_CAP) */
    const pager = this.env.pagers?.register(this.pd, this.name, kcap);
    if (typeof pager === 'string') {
      this.destroy();
      return pager;
    }
    this.pager = pager;
    const pagerIdx = threadCapOf(slot) + THREAD_PAGER_CAP;
    const prepared = (!pager || ok('l4_task_map', l4_task_map(k, t, this.pd.task, L4_BASE_TASK_CAP, l4_obj_fpage(pager.gate, 0, L4_CAP_FPAGE_RW), pagerIdx | L4_ITEM_MAP)))
      && ok('l4_thread_control', l4_thread_control(k, t, kcap, { bind: { utcb, task: this.pd.task }, ...(pager ? { pager: pagerIdx } : {}) }))
      && ok('l4_task_map', l4_task_map(k, t, this.pd.task, L4_BASE_TASK_CAP, l4_obj_fpage(kcap, 0, L4_CAP_FPAGE_RWS), threadCapOf(slot) | L4_ITEM_MAP))
      && ok('l4_thread_ex_regs', l4_thread_ex_regs(k, t, kcap, ip, sp))
      && (!binary || k.writeText(t, this.pd.task, ip, programEntry(k, this.pd.label, binary, sp, (reason) => this.env.reportFault(this.pd, reason))) === 0
        || ((failed = 'loading the binary failed'), false));
    if (!prepared) {
      this.destroy();
      return failed;
    }
    k.setObjectName(t, kcap, `${this.pd.label}:${this.name}`);
    return ok('l4_scheduler_run_thread', l4_scheduler_run_thread(k, t, L4_BASE_SCHEDULER_CAP, kcap, this.prio)) ? undefined : failed;
  }

  /** l4_thread_stats_time of the thread. */
  executionTime(): number | undefined {
    return this.kcap === undefined ? undefined : this.env.k.threadStatsTime(this.env.thread, this.kcap);
  }

  /*
   * Genode's base-foc pause: l4_thread_ex_regs with TRIGGER_EXCEPTION; the thread's
   * exception IPC goes to core, its pager, which does not answer until resume.
   */
  pause(): string | undefined {
    if (this.kcap === undefined) return 'it is not started';
    const e = l4_error(l4_thread_ex_regs(this.env.k, this.env.thread, this.kcap, 0xffffffff, 0xffffffff, L4_THREAD_EX_REGS_TRIGGER_EXCEPTION));
    return e === 0 ? undefined : `l4_thread_ex_regs failed: ${L4_ERROR_NAMES[e] ?? `error ${e}`}`;
  }

  /* the pager answers the exception IPC */
  resume(): string | undefined {
    if (this.kcap === undefined) return 'it is not started';
    const e = this.env.k.exceptionReply(this.env.thread, this.kcap);
    return e === 0 ? undefined : `answering its exception failed: ${L4_ERROR_NAMES[e] ?? `error ${e}`}`;
  }

  state(): PlatformThreadState | undefined {
    if (this.kcap === undefined) return undefined;
    const t = this.env.k.rootTask.objects.lookup(capSlot(this.kcap))?.obj;
    if (!(t instanceof Thread)) return undefined;
    return { paused: t.hold.paused, held: t.hold.holding, ip: t.ip, sp: t.sp };
  }

  destroy(): void {
    if (this.pager) this.env.pagers?.unregister(this.pager);
    this.pager = undefined;
    if (this.kcap === undefined) return;
    this.env.deleteObject(this.kcap);
    this.kcap = undefined;
  }
}
