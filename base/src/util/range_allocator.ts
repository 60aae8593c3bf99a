/*
 * A first-fit allocator of address ranges (physical memory, virtual address space).
 * Free ranges are kept sorted and merged, so allocation order is deterministic.
 */

interface Range { base: number; size: number }

export class RangeAllocator {
  private free: Range[] = [];
  private readonly used = new Map<number, number>();

  constructor(base = 0, size = 0) {
    if (size > 0) this.add(base, size);
  }

  /** Adds a range of free space. */
  add(base: number, size: number): void {
    this.free.push({ base, size });
    this.free.sort((a, b) => a.base - b.base);
    this.merge();
  }

  /** Allocates `size` bytes aligned to `align`; undefined if no free range fits. */
  alloc(size: number, align = 1): number | undefined {
    if (size <= 0) return undefined;
    for (let i = 0; i < this.free.length; i++) {
      const r = this.free[i]!;
      const start = Math.ceil(r.base / align) * align;
      if (start + size <= r.base + r.size) {
        this.carve(i, start, size);
        return start;
      }
    }
    return undefined;
  }

  /** Allocates exactly [base, base+size); false if any part is not free. */
  allocAt(base: number, size: number): boolean {
    const i = this.free.findIndex((r) => r.base <= base && base + size <= r.base + r.size);
    if (i < 0 || size <= 0) return false;
    this.carve(i, base, size);
    return true;
  }

  /** Frees a range obtained from alloc/allocAt; returns its size, or undefined if unknown. */
  freeAt(base: number): number | undefined {
    const size = this.used.get(base);
    if (size === undefined) return undefined;
    this.used.delete(base);
    this.add(base, size);
    return size;
  }

  sizeAt(base: number): number | undefined {
    return this.used.get(base);
  }

  avail(): number {
    return this.free.reduce((s, r) => s + r.size, 0);
  }

  private carve(i: number, start: number, size: number): void {
    const r = this.free[i]!;
    const parts: Range[] = [];
    if (start > r.base) parts.push({ base: r.base, size: start - r.base });
    const end = start + size;
    if (end < r.base + r.size) parts.push({ base: end, size: r.base + r.size - end });
    this.free.splice(i, 1, ...parts);
    this.used.set(start, size);
  }

  private merge(): void {
    const out: Range[] = [];
    for (const r of this.free) {
      const last = out[out.length - 1];
      if (last && last.base + last.size === r.base) last.size += r.size;
      else out.push({ ...r });
    }
    this.free = out;
  }
}
