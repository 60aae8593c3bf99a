/*
 * The factory: creates kernel objects (task, thread, IPC gate, IRQ, factory). A request
 * names the kind of object in mr[0], its parameters as typed arguments ("vargs") and, for
 * a gate, the thread as an object item; the new object's capability arrives in the
 * caller's receive buffer br[0], as any capability received by IPC would. Each factory has
 * a kernel-memory quota that its objects are charged to, and is refunded when they die.
 */
import {
  L4_EBADPROTO, L4_EINVAL, L4_ENOMEM, L4_PROTO_FACTORY, L4_PROTO_IRQ_SENDER, L4_PROTO_TASK, L4_PROTO_THREAD,
  L4_VARG_TYPE_FPAGE, L4_VARG_TYPE_UMWORD, PAGE_SIZE,
} from './consts.js';
import { Cost } from './cost_model.js';
import { FpageType, decodeFpage } from './fpage.js';
import { IpcGate } from './ipc_gate.js';
import { Irq } from './irq.js';
import { KObject, type Invocation } from './kobject.js';
import { l4_msgtag, l4_msgtag_items, l4_msgtag_label, l4_msgtag_words } from './msgtag.js';
import { Thread } from './thread.js';

/** Kernel memory each kind of object takes (bytes), for the factory quota. */
const OBJECT_SIZE: Record<string, number> = {
  Task: 2 * PAGE_SIZE, Thread: PAGE_SIZE, Ipc_gate: 64, Irq: 64, Factory: 64,
};

export class Factory extends KObject {
  readonly kind = 'Factory';
  used = 0;
  private readonly charged = new WeakMap<KObject, number>();

  /** `limit` bytes of kernel memory, or Infinity for the root factory. */
  constructor(readonly limit: number) {
    super();
  }

  /** An object made by this factory died: its memory returns to the quota. */
  refund(obj: KObject): void {
    const n = this.charged.get(obj);
    if (n === undefined) return;
    this.charged.delete(obj);
    this.used -= n;
  }

  invoke(inv: Invocation): number {
    if (l4_msgtag_label(inv.tag) !== L4_PROTO_FACTORY) return l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
    const k = inv.kernel;
    const mr = inv.utcb;
    const words = l4_msgtag_words(inv.tag);
    k.charge(Cost.OBJECT_OP);
    /* typed arguments after mr[0]: a type word (size << 16 | type), then the value */
    const arg = (type: number, i: number): number | undefined =>
      1 + 2 * i + 1 < words && (mr[1 + 2 * i]! & 0xff) === type ? mr[2 + 2 * i]! : undefined;

    let obj: KObject;
    let replyWords = 0;
    switch (mr[0]! | 0) {
      case L4_PROTO_TASK: {
        const area = arg(L4_VARG_TYPE_FPAGE, 0);
        const fp = area === undefined ? undefined : decodeFpage(area);
        if (!fp || fp.type !== FpageType.MEMORY || fp.order < 12) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
        obj = k.newTask('', { base: fp.address, size: 2 ** fp.order });
        mr[0] = area!;
        replyWords = 1;
        break;
      }
      case L4_PROTO_THREAD:
        obj = new Thread('');
        break;
      case L4_PROTO_IRQ_SENDER:
        obj = new Irq();
        break;
      case 0: {
        /* an IPC gate: its label, and optionally the thread it is bound to */
        const label = arg(L4_VARG_TYPE_UMWORD, 0) ?? 0;
        let thread: Thread | undefined;
        if (l4_msgtag_items(inv.tag) > 0) {
          const t = k.itemObject(inv.caller, mr[words]!, mr[words + 1]!);
          if (!(t instanceof Thread) || !t.alive) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
          thread = t;
        }
        obj = new IpcGate(thread, label >>> 0);
        break;
      }
      case L4_PROTO_FACTORY:
        obj = new Factory(arg(L4_VARG_TYPE_UMWORD, 0) ?? 0);
        break;
      default:
        return l4_msgtag(-L4_EINVAL, 0, 0, 0);
    }
    const size = OBJECT_SIZE[obj.kind]!;
    if (this.used + size > this.limit) {
      k.discard(obj);
      return l4_msgtag(-L4_ENOMEM, 0, 0, 0);
    }
    k.charge(Cost.OBJECT_CREATE);
    if (!k.deliverCreated(inv.caller, obj)) {
      k.discard(obj);
      return l4_msgtag(-L4_EINVAL, 0, 0, 0);
    }
    this.used += size;
    this.charged.set(obj, size);
    k.createdBy.set(obj, this);
    return l4_msgtag(0, replyWords, 0, 0);
  }
}
