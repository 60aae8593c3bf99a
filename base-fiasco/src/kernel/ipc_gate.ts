/*
 * An IPC gate: the kernel object behind a server's capability. It is bound to the thread
 * that receives what is sent through it and carries a label that the kernel protects: the
 * receiver sees the label of the gate it was invoked through (with the invoking
 * capability's W and S rights in the low two bits), never a value the sender chose.
 * Invoked with L4_PROTO_KOBJECT through a capability with the W right, it is configured
 * (bind to a thread, get the label); otherwise an invocation is IPC to the bound thread.
 *
 * A gate may exist before its thread (created unbound, bound later): senders then wait at
 * the gate itself, by priority, until a bind or the gate's deletion wakes them all (as
 * Fiasco's Ipc_gate::block and unblock_all). Woken, they retry the send (ipc.ts).
 */
import { L4_EINVAL, L4_ENOENT, L4_EPERM, L4_IPC_GATE_GET_INFO_OP, L4_RCV_EP_BIND_OP } from './consts.js';
import { Cost } from './cost_model.js';
import { KObject, type Invocation } from './kobject.js';
import { l4_msgtag } from './msgtag.js';
import type { Fiasco } from './kernel.js';
import { SenderQueue } from './sender_queue.js';
import { Thread } from './thread.js';
import { L4_CAP_FPAGE_W } from './fpage.js';

export class IpcGate extends KObject {
  readonly kind = 'Ipc_gate';
  /** Senders blocked because the gate had no thread. */
  readonly waiters = new SenderQueue<Thread>();

  constructor(public thread: Thread | undefined, public label: number) {
    super();
  }

  override destroy(kernel: Fiasco): void {
    super.destroy(kernel);
    this.thread = undefined;
    kernel.gateChanged(this);
  }

  /** Kernel-object operations (the caller checked the protocol and the W right). */
  invoke(inv: Invocation): number {
    const mr = inv.utcb;
    inv.kernel.charge(Cost.OBJECT_OP);
    if ((inv.entry.rights & L4_CAP_FPAGE_W) === 0) return l4_msgtag(-L4_EPERM, 0, 0, 0);
    switch (mr[0]) {
      case L4_RCV_EP_BIND_OP: {
        const t = inv.kernel.itemObject(inv.caller, mr[2]!, mr[3]!);
        if (!(t instanceof Thread) || !t.alive) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
        this.thread = t;
        this.label = mr[1]! >>> 0;
        inv.kernel.gateChanged(this);
        return l4_msgtag(0, 0, 0, 0);
      }
      case L4_IPC_GATE_GET_INFO_OP:
        mr[0] = this.label;
        return l4_msgtag(0, 1, 0, 0);
      default:
        return l4_msgtag(-L4_ENOENT, 0, 0, 0);
    }
  }
}
