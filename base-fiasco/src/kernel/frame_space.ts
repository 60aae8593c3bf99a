/*
 * A task's memory space or I/O-port space: which frames (physical pages, or ports) appear
 * at which of the task's units (virtual pages, or ports), with rights, and the mapping
 * database that links each mapping to the one it was mapped from. Unmapping a frame with
 * L4_FP_ALL_SPACES removes every mapping derived from it in every task.
 *
 * The root task (sigma0's role) starts with an identity range it owns with all rights;
 * its nodes are made on demand, when something is mapped from them.
 */

export class FrameMapping {
  children: Set<FrameMapping> | undefined;

  constructor(
    readonly space: FrameSpace,
    readonly unit: number,
    readonly frame: number,
    public rights: number,
    public parent: FrameMapping | undefined,
  ) {}
}

export interface Identity {
  first: number;
  end: number;
  rights: number;
}

export class FrameSpace {
  private readonly units = new Map<number, FrameMapping>();

  constructor(readonly name: string, private readonly identity?: Identity) {}

  /** The mapping at `unit`; for the identity range it is created when first needed. */
  node(unit: number): FrameMapping | undefined {
    const m = this.units.get(unit);
    if (m || !this.identity) return m;
    if (unit < this.identity.first || unit >= this.identity.end) return undefined;
    const root = new FrameMapping(this, unit, unit, this.identity.rights, undefined);
    this.units.set(unit, root);
    return root;
  }

  /** Frame and rights at `unit` without creating nodes (the MMU's view). */
  frameAt(unit: number): number | undefined {
    const m = this.units.get(unit);
    if (m) return m.frame;
    const id = this.identity;
    return id && unit >= id.first && unit < id.end ? unit : undefined;
  }

  rightsAt(unit: number): number {
    const m = this.units.get(unit);
    if (m) return m.rights;
    const id = this.identity;
    return id && unit >= id.first && unit < id.end ? id.rights : 0;
  }

  get count(): number {
    return this.units.size;
  }

  /**
   * Maps `frame` at `unit` as a child of `parent`. A different frame already there stays
   * (Fiasco does not overmap memory); the same frame gets the additional rights.
   * Returns the mapping, or undefined if the unit was taken.
   */
  insert(unit: number, frame: number, rights: number, parent: FrameMapping | undefined): FrameMapping | undefined {
    const old = this.node(unit);
    if (old) {
      if (old.frame !== frame) return undefined;
      old.rights |= rights;
      return old;
    }
    const m = new FrameMapping(this, unit, frame, rights, parent);
    this.units.set(unit, m);
    if (parent) (parent.children ??= new Set()).add(m);
    return m;
  }

  /** Grant: `m` moves to `unit` of `dst` with its parent and children, leaving its place. */
  static grant(m: FrameMapping, dst: FrameSpace, unit: number, rights: number): FrameMapping | undefined {
    if (dst.units.has(unit)) return undefined;
    const moved = new FrameMapping(dst, unit, m.frame, m.rights & rights, m.parent);
    moved.children = m.children;
    for (const c of moved.children ?? []) c.parent = moved;
    if (m.parent) {
      m.parent.children!.delete(m);
      m.parent.children!.add(moved);
    }
    m.space.units.delete(m.unit);
    dst.units.set(unit, moved);
    return moved;
  }

  /** Removes what was derived from `m` (and `m` itself if `self`); returns the count removed. */
  static unmap(m: FrameMapping, self: boolean): number {
    let n = 0;
    if (m.children) for (const c of [...m.children]) n += FrameSpace.unmap(c, true);
    if (self && !m.space.isIdentityRoot(m)) {
      m.space.units.delete(m.unit);
      m.parent?.children?.delete(m);
      n++;
    }
    return n;
  }

  /** Takes `rights` away from the mappings derived from `m` (and `m` if `self`). */
  static reduce(m: FrameMapping, rights: number, self: boolean): void {
    if (self && !m.space.isIdentityRoot(m)) m.rights &= ~rights;
    for (const c of m.children ?? []) FrameSpace.reduce(c, rights, true);
  }

  /** The root task's own identity frames are permanent (sigma0 never loses its memory). */
  private isIdentityRoot(m: FrameMapping): boolean {
    return m.parent === undefined && this.identity !== undefined && m.unit >= this.identity.first && m.unit < this.identity.end;
  }

  /**
   * The mappings a map operation takes from [unit, unit + count): the nodes there, and in
   * the root's identity range its frames (made nodes on first use). The work is bounded by
   * the space's mappings (and the identity range), not by the flexpage's order.
   */
  sources(unit: number, count: number): FrameMapping[] {
    if (!this.identity) return this.nodesIn(unit, count);
    const out: FrameMapping[] = [];
    const lo = Math.max(unit, this.identity.first);
    const hi = Math.min(unit + count, this.identity.end);
    for (const m of this.nodesIn(unit, count)) if (m.unit < lo || m.unit >= hi) out.push(m);
    for (let u = lo; u < hi; u++) out.push(this.node(u)!);
    return out.sort((a, b) => a.unit - b.unit);
  }

  /** Mappings in [unit, unit + count) that exist as nodes. */
  nodesIn(unit: number, count: number): FrameMapping[] {
    const out: FrameMapping[] = [];
    if (count <= this.units.size) {
      for (let u = unit; u < unit + count; u++) {
        const m = this.units.get(u);
        if (m) out.push(m);
      }
    } else {
      for (const m of this.units.values()) if (m.unit >= unit && m.unit < unit + count) out.push(m);
      out.sort((a, b) => a.unit - b.unit);
    }
    return out;
  }

  clear(): number {
    let n = 0;
    for (const m of [...this.units.values()]) if (this.units.get(m.unit) === m) n += FrameSpace.unmap(m, true);
    return n;
  }
}
