/*
 * A PD's object space: selectors naming kernel objects, with NOVA's mapping database.
 * Every capability entry remembers the entry it was delegated from, so `revoke` removes
 * everything derived from it in every PD, and a destroyed PD takes its delegations along.
 */
import type { KernelObject } from './objects.js';

export class CapEntry {
  readonly children = new Set<CapEntry>();

  constructor(
    readonly space: ObjectSpace,
    readonly sel: number,
    readonly obj: KernelObject,
    readonly rights: number,
    readonly parent: CapEntry | undefined,
  ) {}
}

export class ObjectSpace {
  private readonly entries = new Map<number, CapEntry>();

  lookup(sel: number): CapEntry | undefined {
    return this.entries.get(sel);
  }

  /** Installs an entry; false if the selector is taken. */
  insert(sel: number, obj: KernelObject, rights: number, parent?: CapEntry): CapEntry | undefined {
    if (this.entries.has(sel)) return undefined;
    const e = new CapEntry(this, sel, obj, rights, parent);
    this.entries.set(sel, e);
    parent?.children.add(e);
    obj.refs++;
    return e;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The entries at selectors [base, base + count), in selector order. The work is bounded
   * by what the space holds, not by the range: a CRD of order 31 costs no more than the
   * space's entries.
   */
  within(base: number, count: number): CapEntry[] {
    const found: CapEntry[] = [];
    if (count <= this.entries.size) {
      for (let i = 0; i < count; i++) {
        const e = this.entries.get(base + i);
        if (e) found.push(e);
      }
      return found;
    }
    for (const [sel, e] of this.entries) if (sel >= base && sel < base + count) found.push(e);
    return found.sort((a, b) => a.sel - b.sel);
  }

  /** Removes an entry's derived entries (and the entry itself if `self`). Returns the count removed. */
  static revoke(e: CapEntry, self: boolean): number {
    let n = 0;
    for (const child of [...e.children]) n += ObjectSpace.revoke(child, true);
    if (self) {
      e.space.remove(e);
      n++;
    }
    return n;
  }

  private remove(e: CapEntry): void {
    this.entries.delete(e.sel);
    e.parent?.children.delete(e);
    e.obj.refs--;
    if (e.obj.refs === 0) e.obj.destroy();
  }

  /** Revokes every entry (used when the PD is destroyed). */
  clear(): number {
    let n = 0;
    for (const e of [...this.entries.values()]) if (this.entries.get(e.sel) === e) n += ObjectSpace.revoke(e, true);
    return n;
  }
}
