/*
 * A thread: the unit of execution and the endpoint of IPC. It is bound to a task and to a
 * UTCB (message, buffer and thread control registers) in kernel memory that is also mapped
 * into its task. Its IPC state is kept here; the IPC path (ipc.ts) moves it between
 * running, sending (queued at a receiver) and receiving. Invoked with L4_PROTO_THREAD it
 * is configured: l4_thread_control (bind to a task and UTCB, pager) and l4_thread_ex_regs.
 */
import { ThreadHold } from '../../../base/src/util/thread_hold.js';
import {
  L4_EBADPROTO, L4_EINVAL, L4_ENOENT, L4_EPERM, L4_PROTO_THREAD, L4_THREAD_CONTROL_BIND_TASK, L4_THREAD_CONTROL_MR_IDX_BIND_TASK,
  L4_THREAD_CONTROL_MR_IDX_BIND_UTCB, L4_THREAD_CONTROL_OP, L4_THREAD_CONTROL_SET_PAGER, L4_THREAD_EX_REGS_OP,
} from './consts.js';
import { Cost } from './cost_model.js';
import { L4_CAP_FPAGE_W } from './fpage.js';
import type { Irq } from './irq.js';
import type { Fiasco } from './kernel.js';
import type { IpcGate } from './ipc_gate.js';
import { KObject, type Invocation } from './kobject.js';
import { l4_msgtag, l4_msgtag_label } from './msgtag.js';
import { SenderQueue } from './sender_queue.js';
import { Task } from './task.js';

/** How the kernel returns from a blocking system call: the result tag and the received label. */
export type Resume = (tag: number, label: number) => void;

export const enum IpcState {
  /** Running or ready, not in IPC. */
  IDLE = 0,
  /** Queued at a receiver that was not ready, or at an IPC gate bound to no thread yet. */
  SENDING = 1,
  /** Waiting for a message. */
  RECEIVING = 2,
  DEAD = 3,
}

/** l4_thread_ex_regs flag: cancel an ongoing IPC. */
export const L4_THREAD_EX_REGS_CANCEL = 0x10000;
/** l4_thread_ex_regs flag: the thread raises an exception (to its pager) at its next kernel exit. */
export const L4_THREAD_EX_REGS_TRIGGER_EXCEPTION = 0x20000;

export class Thread extends KObject {
  readonly kind = 'Thread';
  task: Task | undefined;
  utcb: Uint32Array | undefined;
  utcbPhys = 0;
  utcbAddr = 0;
  ip = 0;
  sp = 0;
  prio = 0;
  /** CPU cycles of user work the thread ran (l4_thread_stats_time). */
  consumed = 0;
  started = false;
  pager = 0;
  /** Stopped in an exception its pager has not answered (ex_regs TRIGGER_EXCEPTION). */
  readonly hold = new ThreadHold();

  /* ---- IPC state ---- */
  state = IpcState.IDLE;
  /** Where the blocked system call continues. */
  resume: Resume | undefined;
  /** Receiving from anyone (open wait) rather than from `partner`. */
  openWait = false;
  /** The object a closed receive waits for (a thread, or an IRQ). */
  partner: KObject | undefined;
  /** The implicit reply capability: the caller this thread received a call from. */
  replyTo: Thread | undefined;
  /** Senders waiting for this thread to receive, by priority: threads, and IRQs with pending hits. */
  readonly senders = new SenderQueue<Thread | Irq>();
  /** While SENDING: the queue it waits in (a receiver's `senders` or a gate's `waiters`). */
  waitQueue: SenderQueue<Thread> | SenderQueue<Thread | Irq> | undefined;
  /** While SENDING at a gate with no thread: the gate, and the invoking capability's W and S rights. */
  sendGate: IpcGate | undefined;
  sendRights = 0;
  /** While SENDING: the label the gate gives, the tag, the system-call flags and timeout. */
  sendLabel = 0;
  sendTag = 0;
  sendFlags = 0;
  sendTimeout = 0;
  /** Absolute TSC at which the current wait ends, if it has a timeout. */
  deadline: number | undefined;
  /** IRQs bound to this thread. */
  readonly irqs = new Set<Irq>();

  constructor(public name: string) {
    super();
  }

  override destroy(kernel: Fiasco): void {
    super.destroy(kernel);
    kernel.threadDestroyed(this);
  }

  invoke(inv: Invocation): number {
    if (l4_msgtag_label(inv.tag) !== L4_PROTO_THREAD) return l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
    if ((inv.entry.rights & L4_CAP_FPAGE_W) === 0) return l4_msgtag(-L4_EPERM, 0, 0, 0);
    const mr = inv.utcb;
    const k = inv.kernel;
    k.charge(Cost.OBJECT_OP);
    const op = mr[0]! & 0xffff;
    if (op === L4_THREAD_CONTROL_OP) {
      const flags = mr[0]!;
      if (flags & L4_THREAD_CONTROL_SET_PAGER) this.pager = mr[1]!;
      if (flags & L4_THREAD_CONTROL_BIND_TASK) {
        const task = k.itemObject(inv.caller, mr[L4_THREAD_CONTROL_MR_IDX_BIND_TASK]!, mr[L4_THREAD_CONTROL_MR_IDX_BIND_TASK + 1]!);
        if (!(task instanceof Task) || !task.alive) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
        const err = k.bindThread(this, task, mr[L4_THREAD_CONTROL_MR_IDX_BIND_UTCB]!);
        if (err) return l4_msgtag(-err, 0, 0, 0);
      }
      return l4_msgtag(0, 0, 0, 0);
    }
    if (op === L4_THREAD_EX_REGS_OP) {
      if (!this.task) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
      const flags = mr[0]! & ~0xffff;
      const [ip, sp] = [mr[1]!, mr[2]!];
      mr[0] = 0;
      mr[1] = this.ip;
      mr[2] = this.sp;
      if (ip !== 0xffffffff) this.ip = ip;
      if (sp !== 0xffffffff) this.sp = sp;
      if (flags & L4_THREAD_EX_REGS_CANCEL) k.cancelIpc(this);
      /* the exception IPC goes to the pager (core), which holds the thread until it answers */
      if (flags & L4_THREAD_EX_REGS_TRIGGER_EXCEPTION) this.hold.pause();
      return l4_msgtag(0, 3, 0, 0);
    }
    return l4_msgtag(-L4_ENOENT, 0, 0, 0);
  }
}
