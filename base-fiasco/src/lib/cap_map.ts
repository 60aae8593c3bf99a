/*
 * The component's map from badges to capability slots (Genode's cap_map). A capability
 * that arrives in a message is looked up by its badge: if the component holds it already
 * (the kernel confirms both slots name the same object) the existing slot is used and the
 * received one is left to be overwritten; otherwise it is granted from the receive window
 * into a slot of its own. A badge that claims an object the component holds under a
 * different, still valid capability is a forgery and refused.
 */
import { L4_BASE_TASK_CAP, L4_FP_ALL_SPACES, L4_ITEM_MAP, L4_MAP_ITEM_GRANT } from '../kernel/consts.js';
import { L4_CAP_FPAGE_RWSD, L4_FPAGE_RWX, l4_obj_fpage } from '../kernel/fpage.js';
import type { FocSyscalls } from '../kernel/syscall_gate.js';
import { l4_task_cap_equal, l4_task_cap_valid, l4_task_map, l4_task_unmap } from '../kernel/l4sys.js';
import { l4_error, l4_msgtag_label } from '../kernel/msgtag.js';
import type { Thread } from '../kernel/thread.js';
import type { CapIndexAlloc } from './cap_index_alloc.js';
import { FocCapability } from './capability.js';

interface Entry {
  readonly cap: FocCapability;
  refs: number;
  /** Installed at start-up or made by core itself: not reference-counted. */
  readonly fixed: boolean;
}

export class CapMap {
  private readonly byBadge = new Map<number, Entry>();
  private readonly byKcap = new Map<number, Entry>();

  constructor(private readonly k: FocSyscalls, readonly indices: CapIndexAlloc) {}

  find(badge: number): FocCapability | undefined {
    return this.byBadge.get(badge)?.cap;
  }

  /** Records a capability this task holds at a known slot (core's own objects, the parent). */
  insert(badge: number, kcap: number, fixed = true): FocCapability {
    const e: Entry = { cap: new FocCapability(kcap, badge), refs: 1, fixed };
    this.byBadge.set(badge, e);
    this.byKcap.set(kcap, e);
    return e.cap;
  }

  /** A capability with `badge` arrived at slot `rcv`; `t` is the receiving thread. */
  insertMap(t: Thread, badge: number, rcv: number): FocCapability | undefined {
    const k = this.k;
    const have = this.byBadge.get(badge);
    if (have) {
      if (l4_msgtag_label(l4_task_cap_equal(k, t, L4_BASE_TASK_CAP, have.cap.kcap, rcv)) === 1) {
        if (!have.fixed) have.refs++;
        return have.cap;
      }
      /* different objects: a forgery if ours is still valid, else ours was revoked */
      if (l4_msgtag_label(l4_task_cap_valid(k, t, L4_BASE_TASK_CAP, have.cap.kcap)) === 1) return undefined;
      this.byBadge.delete(badge);
    }
    /* a full table is no reason to fail the receiver: the capability arrives as invalid */
    const kcap = this.indices.tryAlloc();
    if (kcap === undefined) return undefined;
    const tag = l4_task_map(k, t, L4_BASE_TASK_CAP, L4_BASE_TASK_CAP, l4_obj_fpage(rcv, 0, L4_FPAGE_RWX), kcap | L4_ITEM_MAP | L4_MAP_ITEM_GRANT);
    if (l4_error(tag) < 0) {
      this.indices.free(kcap);
      return undefined;
    }
    return this.insert(badge, kcap, false);
  }

  /** Drops one reference; the last one unmaps the slot (and what was mapped from it) and frees it. */
  release(t: Thread, cap: FocCapability): void {
    const e = this.byKcap.get(cap.kcap);
    if (!e || e.fixed || e.cap !== cap) return;
    if (--e.refs > 0) return;
    this.byKcap.delete(cap.kcap);
    if (this.byBadge.get(cap.badge) === e) this.byBadge.delete(cap.badge);
    l4_task_unmap(this.k, t, L4_BASE_TASK_CAP, l4_obj_fpage(cap.kcap, 0, L4_CAP_FPAGE_RWSD), L4_FP_ALL_SPACES);
    this.indices.free(cap.kcap);
  }

  /** Forgets a capability whose object core deleted (its slot is empty already). */
  remove(cap: FocCapability): void {
    if (this.byKcap.get(cap.kcap)?.cap !== cap) return;
    this.byKcap.delete(cap.kcap);
    if (this.byBadge.get(cap.badge)?.cap === cap) this.byBadge.delete(cap.badge);
    this.indices.free(cap.kcap);
  }
}
