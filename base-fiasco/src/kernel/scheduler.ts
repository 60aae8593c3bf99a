/*
 * The scheduler object: l4_scheduler_run_thread gives a bound thread a priority and makes
 * it runnable; it then starts at the instruction pointer set by l4_thread_ex_regs.
 */
import { L4_EBADPROTO, L4_EINVAL, L4_ENOENT, L4_PROTO_SCHEDULER, L4_SCHEDULER_RUN_THREAD_OP } from './consts.js';
import { Cost } from './cost_model.js';
import { KObject, type Invocation } from './kobject.js';
import { l4_msgtag, l4_msgtag_label } from './msgtag.js';
import { Thread } from './thread.js';

export const MAX_PRIO = 255;

export class Scheduler extends KObject {
  readonly kind = 'Scheduler';

  invoke(inv: Invocation): number {
    if (l4_msgtag_label(inv.tag) !== L4_PROTO_SCHEDULER) return l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
    const mr = inv.utcb;
    inv.kernel.charge(Cost.OBJECT_OP);
    if (mr[0] !== L4_SCHEDULER_RUN_THREAD_OP) return l4_msgtag(-L4_ENOENT, 0, 0, 0);
    /* mr[1..2] affinity (one CPU here), mr[3] priority, mr[4] quantum, mr[5..6] the thread item */
    const t = inv.kernel.itemObject(inv.caller, mr[5]!, mr[6]!);
    const prio = mr[3]!;
    if (!(t instanceof Thread) || !t.alive || !t.task || prio > MAX_PRIO) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
    inv.kernel.runThread(t, prio);
    return l4_msgtag(0, 0, 0, 0);
  }
}
