/*
 * An IRQ object: a software-triggerable or hardware interrupt that is delivered as an IPC
 * message (label L4_PROTO_IRQ, the IRQ's own label as the received label) to the thread it
 * is bound to. Hits are counted: each one is delivered once, so none is lost while the
 * thread is busy. A hardware line (bound through the ICU) stays masked from its occurrence
 * until the thread's next EOI (l4_irq_receive or l4_irq_unmask).
 */
import { L4_EINVAL, L4_ENOENT, L4_EBADPROTO, L4_IRQ_SENDER_OP_DETACH, L4_PROTO_IRQ_SENDER, L4_PROTO_KOBJECT, L4_RCV_EP_BIND_OP } from './consts.js';
import { Cost } from './cost_model.js';
import type { Fiasco } from './kernel.js';
import { KObject, type Invocation } from './kobject.js';
import { l4_msgtag, l4_msgtag_label } from './msgtag.js';
import { Thread } from './thread.js';

export class Irq extends KObject {
  readonly kind = 'Irq';
  thread: Thread | undefined;
  label = 0;
  /** Hits not yet delivered. */
  pending = 0;
  /** The interrupt line behind it, if the ICU bound one. */
  line: number | undefined;
  /** The line is masked until the receiver acknowledges the last occurrence. */
  masked = false;

  invoke(inv: Invocation): number {
    const mr = inv.utcb;
    const k = inv.kernel;
    k.charge(Cost.OBJECT_OP);
    const proto = l4_msgtag_label(inv.tag);
    if (proto === L4_PROTO_KOBJECT && mr[0] === L4_RCV_EP_BIND_OP) {
      const t = k.itemObject(inv.caller, mr[2]!, mr[3]!);
      if (!(t instanceof Thread) || !t.alive) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
      k.bindIrq(this, t, mr[1]! >>> 0);
      return l4_msgtag(0, 0, 0, 0);
    }
    if (proto === L4_PROTO_IRQ_SENDER) {
      if (mr[0] !== L4_IRQ_SENDER_OP_DETACH) return l4_msgtag(-L4_ENOENT, 0, 0, 0);
      k.bindIrq(this, undefined, 0);
      return l4_msgtag(0, 0, 0, 0);
    }
    return l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
  }

  override destroy(kernel: Fiasco): void {
    super.destroy(kernel);
    kernel.irqDestroyed(this);
  }
}
