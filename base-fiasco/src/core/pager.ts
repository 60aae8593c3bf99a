/*
 * Core's pager on Fiasco.OC, as Genode's base-foc glue has it (Pager_entrypoint,
 * Ipc_pager, Pager_object): ONE thread of core receives the page faults of every
 * component thread. Each component thread gets a pager object: an IPC gate bound to that
 * thread, its label a badge naming the faulting thread, mapped into the component's task
 * in the thread's capability area and set as the thread's pager with l4_thread_control.
 * A fault arrives as the kernel's page-fault IPC through that gate (label
 * L4_PROTO_PAGE_FAULT, mr[0] the fault address with the write/exec bits, mr[1] the IP).
 *
 * The thread asks core's generic pager and
 * - replies with a map item (hotspot: the fault's flexpage, the flexpage from core's
 *   identity-mapped physical memory) and waits for the next fault in one system call
 *   (Ipc_pager::reply_and_wait_for_fault);
 * - for a fault handed to a region map's fault handler, does not reply: it waits for the
 *   next message and leaves the faulter blocked in its page-fault IPC. Once the handler's
 *   attach (or detach) lets the pager try again, core triggers the pager thread's wake-up
 *   IRQ; the thread then sends an empty message to each faulter to wake through the
 *   faulter's thread capability (Pager_object::wake_up, Ipc_pager::acknowledge_wakeup),
 *   and the faulter faults again;
 * - for a fault nothing resolves, reports the PD's fault and leaves the thread blocked
 *   (core stops the PD).
 * The thread never blocks on a waiting fault: every send it makes has a zero timeout.
 */
import type { Pager, PlatformPd } from '../../../base/src/core/platform.js';
import { L4_BASE_FACTORY_CAP, L4_ITEM_MAP, L4_PROTO_IRQ, L4_PROTO_PAGE_FAULT } from '../kernel/consts.js';
import { L4_FPAGE_RO, L4_FPAGE_W, L4_FPAGE_X, l4_fpage } from '../kernel/fpage.js';
import { pfaAccess } from '../kernel/kernel.js';
import {
  l4_factory_create_gate, l4_factory_create_irq, l4_ipc_error, l4_ipc_reply_and_wait, l4_ipc_send, l4_ipc_wait,
  l4_irq_trigger, l4_rcv_ep_bind_thread,
} from '../kernel/l4sys.js';
import { l4_error, l4_msgtag, l4_msgtag_label, l4_msgtag_words } from '../kernel/msgtag.js';
import type { Thread } from '../kernel/thread.js';
import { L4_IPC_NEVER, L4_IPC_SEND_TIMEOUT_0 } from '../kernel/timeout.js';
import type { CoreEnv } from './core_env.js';

const CORE_PAGER_IP = 0x3000;
const CORE_PAGER_PRIO = 128;
/** The label of the pager thread's wake-up IRQ (gate labels are badges, IRQ messages have their own protocol). */
const WAKE_UP_LABEL = 0x1;

/** A component thread's pager object: its gate in core's space, and whom it names. */
export interface PagerObject {
  readonly badge: number;
  /** The IPC gate (core's slot) bound to the pager thread. */
  readonly gate: number;
  readonly pd: PlatformPd;
  readonly thread: string;
  /** The faulting thread's capability in core (for the wake-up send). */
  readonly threadKcap: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

export class FocPagerEntrypoint {
  private readonly objects = new Map<number, PagerObject>();
  /** Faulters whose fault handler has done its work: the pager thread wakes them. */
  private readonly wakeUps: PagerObject[] = [];
  private readonly thread: number;
  private readonly irq: number;
  /** Messages through pager gates that were no page faults. */
  private foreign = 0;

  constructor(private readonly env: CoreEnv, private readonly pager: Pager) {
    const { k, thread: t, caps } = env;
    this.irq = caps.indices.alloc();
    env.check(l4_factory_create_irq(k, t, L4_BASE_FACTORY_CAP, this.irq), 'creating the pager\'s wake-up IRQ');
    const started = env.startThread('core:pager', CORE_PAGER_IP, CORE_PAGER_PRIO, (self) => this.run(self));
    this.thread = started.kcap;
    env.check(l4_rcv_ep_bind_thread(k, t, this.irq, this.thread, WAKE_UP_LABEL), 'binding the pager\'s wake-up IRQ');
  }

  /**
   * A pager object for thread `name` (core's capability `threadKcap`) of `pd`: a gate to
   * the pager thread labelled with a fresh badge. Returns it, or why it could not be made.
   */
  register(pd: PlatformPd, name: string, threadKcap: number): PagerObject | string {
    const { k, thread: t, caps, badges } = this.env;
    const badge = badges.alloc();
    const gate = caps.indices.alloc();
    const tag = l4_factory_create_gate(k, t, L4_BASE_FACTORY_CAP, gate, this.thread, badge);
    if (l4_error(tag) !== 0) {
      caps.indices.free(gate);
      badges.free(badge);
      return `creating the pager gate failed (${l4_error(tag)})`;
    }
    const obj: PagerObject = { badge, gate, pd, thread: name, threadKcap };
    this.objects.set(badge, obj);
    return obj;
  }

  /** The thread is gone: its gate (and every mapping of it) goes away. */
  unregister(obj: PagerObject): void {
    if (this.objects.get(obj.badge) !== obj) return;
    this.objects.delete(obj.badge);
    this.env.deleteObject(obj.gate);
    this.env.badges.free(obj.badge);
  }

  /** The PD is gone: the pager objects of threads not destroyed one by one. */
  unregisterPd(pd: PlatformPd): void {
    for (const obj of [...this.objects.values()]) if (obj.pd === pd) this.unregister(obj);
  }

  /* ------------------------------------------------------------------ the pager thread */

  private run(self: Thread): void {
    const { k } = this.env;
    const u = self.utcb!;
    const wait = (): void => l4_ipc_wait(k, self, L4_IPC_NEVER, onMessage);

    /* the fault was resolved: the flexpage goes back as a map item, then the next fault */
    const replyMap = (a: { vaddr: number; phys: number; size: number; writeable: boolean; executable: boolean }): void => {
      const rights = L4_FPAGE_RO | (a.writeable ? L4_FPAGE_W : 0) | (a.executable ? L4_FPAGE_X : 0);
      u[0] = (a.vaddr | L4_ITEM_MAP) >>> 0;
      u[1] = l4_fpage(a.phys, Math.log2(a.size), rights);
      l4_ipc_reply_and_wait(k, self, l4_msgtag(0, 0, 1, 0), L4_IPC_SEND_TIMEOUT_0, onMessage);
    };

    const handleFault = (obj: PagerObject | undefined, pfa: number): void => {
      if (!obj) return wait(); // a gate deleted while its fault was queued
      const addr = (pfa & ~3) >>> 0;
      const access = pfaAccess(pfa);
      const a = this.pager(obj.pd, { addr, access, thread: obj.thread });
      if (a.kind === 'map') return replyMap(a);
      if (a.kind === 'wait') {
        /* no reply: the faulter stays blocked; its wake-up comes through the IRQ */
        const wake = () => {
          if (this.objects.get(obj.badge) !== obj) return;
          this.wakeUps.push(obj);
          l4_irq_trigger(k, this.env.thread, this.irq);
        };
        a.retry.then(wake, wake);
        return wait();
      }
      this.env.reportFault(obj.pd, a.reason);
      return wait();
    };

    /* wake every faulter whose handler did its work: an empty message it takes as its pager's reply */
    const wakeUp = (): void => {
      const obj = this.wakeUps.shift();
      if (!obj) return wait();
      if (this.objects.get(obj.badge) !== obj) return wakeUp();
      l4_ipc_send(k, self, obj.threadKcap, l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0, () => k.userResume(wakeUp));
    };

    const onMessage = (tag: number, label: number): void => {
      /* a reply that found no faulter (it died), or a wait that ended: wait again */
      if (l4_ipc_error(tag, u)) return k.userResume(wait);
      const proto = l4_msgtag_label(tag);
      if (proto === L4_PROTO_IRQ) return k.userResume(wakeUp);
      if (proto !== L4_PROTO_PAGE_FAULT || l4_msgtag_words(tag) < 2) {
        /* not a fault (a component may send anything through its pager gate): an empty reply */
        if (this.foreign++ === 0) k.console(`[core] Warning: pager: a message with label ${proto} through pager gate ${hex(label)} is no page fault (further ones are not reported)`);
        return k.userResume(() => l4_ipc_reply_and_wait(k, self, l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0, onMessage));
      }
      const pfa = u[0]!;
      const obj = this.objects.get((label & ~3) >>> 0);
      k.userResume(() => handleFault(obj, pfa));
    };

    wait();
  }
}
