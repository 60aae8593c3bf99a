/*
 * "Physical memory" on linux. Generic core allocates physical ranges from
 * [ramBase, ramBase+ramSize) and touches each new range through physView() at once (to
 * clear it or fill a ROM module); that first touch creates the range's own
 * SharedArrayBuffer, keyed by its base. So each dataspace is its own buffer and can be
 * handed to exactly the PDs that attach it. Dropping a range (its dataspace is freed)
 * drops the buffer.
 */

interface Backing {
  base: number;
  size: number;
  sab: SharedArrayBuffer;
}

export class PhysMemory {
  /** Sorted by base, never overlapping. */
  private readonly ranges: Backing[] = [];

  constructor(readonly base: number, readonly size: number) {}

  /** Index of the last range with base <= phys, or -1. */
  private find(phys: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.base <= phys) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }

  /** The buffer behind [phys, phys+size) and the offset of phys in it; created for a new range. */
  backing(phys: number, size: number): { sab: SharedArrayBuffer; offset: number } {
    if (!Number.isSafeInteger(phys) || !Number.isSafeInteger(size) || size <= 0 || phys < this.base || phys + size > this.base + this.size) {
      throw new Error(`core: physical range 0x${phys.toString(16)}+${size} lies outside RAM`);
    }
    const i = this.find(phys);
    const r = i >= 0 ? this.ranges[i] : undefined;
    if (r && phys + size <= r.base + r.size) return { sab: r.sab, offset: phys - r.base };
    /* a new allocation; anything it overlaps was freed without being dropped, so it is stale */
    this.drop(phys, size);
    const b = { base: phys, size, sab: new SharedArrayBuffer(size) };
    this.ranges.splice(this.find(phys) + 1, 0, b);
    return { sab: b.sab, offset: 0 };
  }

  view(phys: number, size: number): Uint8Array {
    const { sab, offset } = this.backing(phys, size);
    return new Uint8Array(sab, offset, size);
  }

  /** Forgets every range that overlaps [phys, phys+size). */
  drop(phys: number, size: number): void {
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const r = this.ranges[i]!;
      if (r.base < phys + size && phys < r.base + r.size) this.ranges.splice(i, 1);
    }
  }

  get backedBytes(): number {
    return this.ranges.reduce((s, r) => s + r.size, 0);
  }
}
