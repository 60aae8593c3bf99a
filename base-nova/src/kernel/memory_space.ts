/*
 * A PD's memory space: which virtual pages map which physical pages, with rights.
 * Like the object space it keeps a mapping database, so core revoking a dataspace's
 * pages removes them from every PD that had them mapped.
 */

export class MemMapping {
  readonly children = new Set<MemMapping>();

  constructor(
    readonly space: MemorySpace,
    /** first virtual page */
    readonly vpage: number,
    /** first physical page */
    readonly ppage: number,
    readonly pages: number,
    readonly rights: number,
    readonly parent: MemMapping | undefined,
  ) {}

  get vend(): number {
    return this.vpage + this.pages;
  }
}

export class MemorySpace {
  /** Sorted by virtual page. */
  private mappings: MemMapping[] = [];

  /** The mapping covering virtual page `vpage`, if any. */
  find(vpage: number): MemMapping | undefined {
    let lo = 0;
    let hi = this.mappings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.mappings[mid]!;
      if (vpage < m.vpage) hi = mid - 1;
      else if (vpage >= m.vend) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** Maps pages; refuses to overwrite an existing mapping (returns undefined). */
  map(vpage: number, ppage: number, pages: number, rights: number, parent?: MemMapping): MemMapping | undefined {
    for (const m of this.mappings) if (vpage < m.vend && m.vpage < vpage + pages) return undefined;
    const m = new MemMapping(this, vpage, ppage, pages, rights, parent);
    this.mappings.push(m);
    this.mappings.sort((a, b) => a.vpage - b.vpage);
    parent?.children.add(m);
    return m;
  }

  /** Removes the mappings derived from `m` whose physical pages meet [ppage, ppage+pages) (and `m` itself if `self`). */
  static revoke(m: MemMapping, self: boolean, ppage = m.ppage, pages = m.pages): number {
    let n = 0;
    for (const c of [...m.children]) {
      if (c.ppage < ppage + pages && ppage < c.ppage + c.pages) n += MemorySpace.revoke(c, true);
    }
    if (self) {
      m.space.mappings = m.space.mappings.filter((x) => x !== m);
      m.parent?.children.delete(m);
      n++;
    }
    return n;
  }

  /** Mappings meeting the virtual range [vpage, vpage+pages). */
  within(vpage: number, pages: number): MemMapping[] {
    return this.mappings.filter((m) => m.vpage < vpage + pages && vpage < m.vend);
  }

  clear(): number {
    let n = 0;
    for (const m of [...this.mappings]) n += MemorySpace.revoke(m, true);
    return n;
  }

  /** Pages mapped in this space. */
  get pages(): number {
    let n = 0;
    for (const m of this.mappings) n += m.pages;
    return n;
  }

  get count(): number {
    return this.mappings.length;
  }
}
