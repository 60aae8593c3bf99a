/*
 * A task's object space: its capability table, indexed by slot (capability index >> 12),
 * with the mapping database for capabilities. Each entry remembers the entry it was mapped
 * from, so unmapping a capability with L4_FP_ALL_SPACES removes everything derived from it
 * in every task. An object goes away when its last capability does.
 */
import type { KObject } from './kobject.js';

/** Slots per task: a capability index is a 32-bit word with L4_CAP_SHIFT (12) bits below the slot, so 2^20. */
export const OBJ_SPACE_SLOTS = 1 << 20;

export class CapEntry {
  children: Set<CapEntry> | undefined;

  constructor(
    readonly space: ObjectSpace,
    readonly slot: number,
    readonly obj: KObject,
    public rights: number,
    public parent: CapEntry | undefined,
  ) {}
}

/** Called when an object loses its last capability. */
export type LastCapHandler = (obj: KObject) => void;

export class ObjectSpace {
  private readonly slots: Array<CapEntry | undefined> = [];
  private used = 0;

  constructor(private readonly lastCap: LastCapHandler) {}

  lookup(slot: number): CapEntry | undefined {
    return this.slots[slot];
  }

  get size(): number {
    return this.used;
  }

  /** The entries in slots [slot, slot + count), in slot order; the work is bounded by the entries, not the range. */
  entriesIn(slot: number, count: number): CapEntry[] {
    const out: CapEntry[] = [];
    if (count <= this.used) {
      for (let i = 0; i < count; i++) {
        const e = this.slots[slot + i];
        if (e) out.push(e);
      }
      return out;
    }
    /* forEach skips the holes of the sparse table */
    this.slots.forEach((e, i) => {
      if (e && i >= slot && i < slot + count) out.push(e);
    });
    return out;
  }

  /** Installs a capability; an occupied slot is unmapped first (Fiasco maps over it). */
  insert(slot: number, obj: KObject, rights: number, parent?: CapEntry): CapEntry | undefined {
    if (slot < 0 || slot >= OBJ_SPACE_SLOTS || !obj.alive) return undefined;
    const old = this.slots[slot];
    if (old) ObjectSpace.unmap(old, true);
    const e = new CapEntry(this, slot, obj, rights, parent);
    this.slots[slot] = e;
    this.used++;
    obj.caps.add(e);
    if (parent) (parent.children ??= new Set()).add(e);
    return e;
  }

  /**
   * Grant: `e` moves to `slot` of `dst`, keeping its place in the mapping tree (its parent
   * and its children), and leaves its old slot.
   */
  static grant(e: CapEntry, dst: ObjectSpace, slot: number, rights: number): CapEntry | undefined {
    if (slot < 0 || slot >= OBJ_SPACE_SLOTS) return undefined;
    if (dst === e.space && slot === e.slot) return e;
    const old = dst.slots[slot];
    if (old) ObjectSpace.unmap(old, true);
    const moved = new CapEntry(dst, slot, e.obj, e.rights & rights, e.parent);
    moved.children = e.children;
    for (const c of moved.children ?? []) c.parent = moved;
    if (e.parent) {
      e.parent.children!.delete(e);
      e.parent.children!.add(moved);
    }
    e.space.slots[e.slot] = undefined;
    e.space.used--;
    e.obj.caps.delete(e);
    dst.slots[slot] = moved;
    dst.used++;
    e.obj.caps.add(moved);
    return moved;
  }

  /**
   * Removes the entries derived from `e` in every task, and `e` itself if `self`.
   * Returns the number of entries removed.
   */
  static unmap(e: CapEntry, self: boolean): number {
    let n = 0;
    if (e.children) {
      for (const c of [...e.children]) n += ObjectSpace.unmap(c, true);
    }
    if (self) {
      e.space.remove(e);
      n++;
    }
    return n;
  }

  /** Takes `rights` away from the entries derived from `e` (and from `e` if `self`). */
  static reduce(e: CapEntry, rights: number, self: boolean): void {
    if (self) e.rights &= ~rights;
    for (const c of e.children ?? []) ObjectSpace.reduce(c, rights, true);
  }

  private remove(e: CapEntry): void {
    if (this.slots[e.slot] !== e) return;
    this.slots[e.slot] = undefined;
    this.used--;
    if (e.parent) e.parent.children?.delete(e);
    e.obj.caps.delete(e);
    if (e.obj.caps.size === 0 && e.obj.alive) this.lastCap(e.obj);
  }

  /** Unmaps every entry and what was derived from it (the task is being destroyed). */
  clear(): number {
    let n = 0;
    for (const e of this.slots) if (e && this.slots[e.slot] === e) n += ObjectSpace.unmap(e, true);
    return n;
  }
}
