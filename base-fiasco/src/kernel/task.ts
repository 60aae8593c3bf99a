/*
 * A task: an object space (capability table), a memory space and an I/O-port space, plus
 * the area where the kernel places its threads' UTCBs. Invoked with L4_PROTO_TASK it maps
 * flexpages into itself from another task, unmaps flexpages (with the mapping database
 * taking derived mappings along) and answers capability queries.
 */
import {
  L4_CAP_SHIFT, L4_EINVAL, L4_ENOENT, L4_EPERM, L4_EBADPROTO, L4_PROTO_TASK, L4_TASK_CAP_INFO_OP, L4_TASK_MAP_OP,
  L4_TASK_UNMAP_OP, capSlot,
} from './consts.js';
import { Cost } from './cost_model.js';
import { FrameSpace, type Identity } from './frame_space.js';
import { KObject, type Invocation } from './kobject.js';
import { mapFpage, unmapFpage } from './mapping.js';
import { l4_msgtag, l4_msgtag_label, l4_msgtag_words } from './msgtag.js';
import { ObjectSpace, type LastCapHandler } from './obj_space.js';
import type { Thread } from './thread.js';
import type { Fiasco } from './kernel.js';
import { L4_CAP_FPAGE_W } from './fpage.js';

/** Code loaded into a task: entry IPs map to functions (the emulated text segment). */
export type EntryFunction = (self: Thread) => unknown;

export interface UtcbArea {
  base: number;
  size: number;
}

export class Task extends KObject {
  readonly kind = 'Task';
  readonly objects: ObjectSpace;
  readonly memory: FrameSpace;
  readonly io: FrameSpace;
  readonly text = new Map<number, EntryFunction>();
  readonly threads = new Set<Thread>();
  /** The kernel pages backing the UTCB area, by virtual page. */
  readonly utcbPages = new Map<number, number>();
  /** Name for diagnostics, as a kernel debugger shows it. */
  name: string;

  constructor(
    name: string,
    readonly utcbArea: UtcbArea,
    lastCap: LastCapHandler,
    identity?: { memory: Identity; io: Identity },
  ) {
    super();
    this.name = name;
    this.objects = new ObjectSpace(lastCap);
    this.memory = new FrameSpace('memory', identity?.memory);
    this.io = new FrameSpace('io', identity?.io);
  }

  override destroy(kernel: Fiasco): void {
    super.destroy(kernel);
    kernel.taskDestroyed(this);
  }

  invoke(inv: Invocation): number {
    if (l4_msgtag_label(inv.tag) !== L4_PROTO_TASK) return l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
    const mr = inv.utcb;
    const k = inv.kernel;
    k.charge(Cost.OBJECT_OP);
    switch (mr[0]) {
      case L4_TASK_MAP_OP: {
        /* the source task comes as an object item in mr[3..4]; the destination is this task */
        if ((inv.entry.rights & L4_CAP_FPAGE_W) === 0) return l4_msgtag(-L4_EPERM, 0, 0, 0);
        const src = k.itemObject(inv.caller, mr[3]!, mr[4]!);
        if (!(src instanceof Task) || !src.alive) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
        return l4_msgtag(mapFpage(k, src, this, mr[2]!, mr[1]!), 0, 0, 0);
      }
      case L4_TASK_UNMAP_OP: {
        if ((inv.entry.rights & L4_CAP_FPAGE_W) === 0) return l4_msgtag(-L4_EPERM, 0, 0, 0);
        const words = l4_msgtag_words(inv.tag);
        for (let i = 2; i < words; i++) unmapFpage(k, this, mr[i]!, mr[1]!);
        return l4_msgtag(0, 0, 0, 0);
      }
      case L4_TASK_CAP_INFO_OP: {
        /* one index: is it valid; two indices: do they name the same object */
        const a = this.objects.lookup(capSlot(mr[1]! & ~((1 << L4_CAP_SHIFT) - 1)));
        k.charge(Cost.CAP_LOOKUP);
        if (l4_msgtag_words(inv.tag) < 3) return l4_msgtag(a ? 1 : 0, 0, 0, 0);
        const b = this.objects.lookup(capSlot(mr[2]!));
        k.charge(Cost.CAP_LOOKUP);
        return l4_msgtag(a !== undefined && b !== undefined && a.obj === b.obj ? 1 : 0, 0, 0, 0);
      }
      default:
        return l4_msgtag(-L4_ENOENT, 0, 0, 0);
    }
  }
}
