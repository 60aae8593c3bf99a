/*
 * Physical RAM backed per allocation: every range core allocates (a dataspace, a ROM
 * module, a kernel page) is a buffer of its own, keyed by its base. A view of memory
 * always lies within one range, so no view a component holds can be widened to other
 * memory (its `buffer` is exactly the range it was given). Freeing a range drops its
 * buffer; the allocator may hand the base out again with another size.
 *
 * The emulated kernels back ranges with ArrayBuffers (one thread); linux uses
 * SharedArrayBuffers, so a range can be mapped into exactly the workers that attach it.
 */
import type { PhysicalMemory } from '../machine.js';

interface Backing<B extends ArrayBufferLike> {
  base: number;
  size: number;
  buffer: B;
}

export class PhysMemory<B extends ArrayBufferLike = ArrayBuffer> implements PhysicalMemory {
  /** Sorted by base, never overlapping. */
  private readonly ranges: Array<Backing<B>> = [];

  constructor(readonly base: number, readonly size: number, private readonly make: (bytes: number) => B = (n) => new ArrayBuffer(n) as B) {}

  /** Index of the last range with base <= phys, or -1. */
  private index(phys: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.base <= phys) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }

  private check(phys: number, size: number): void {
    if (!Number.isSafeInteger(phys) || !Number.isSafeInteger(size) || size <= 0 || phys < this.base || phys + size > this.base + this.size) {
      throw new RangeError(`physical range 0x${phys.toString(16)}+${size} lies outside RAM`);
    }
  }

  /** The range that holds all of [phys, phys+size), if one does. */
  private holder(phys: number, size: number): Backing<B> | undefined {
    const i = this.index(phys);
    const r = i >= 0 ? this.ranges[i] : undefined;
    return r && phys + size <= r.base + r.size ? r : undefined;
  }

  /** Backs [phys, phys+size) with fresh zeroed memory of its own (a new allocation). */
  back(phys: number, size: number): void {
    this.check(phys, size);
    /* anything it overlaps was freed without being dropped, so it is stale */
    this.drop(phys, size);
    this.ranges.splice(this.index(phys) + 1, 0, { base: phys, size, buffer: this.make(size) });
  }

  /** The buffer behind [phys, phys+size) and the offset of phys in it; backs a new range first. */
  backing(phys: number, size: number): { buffer: B; offset: number } {
    this.check(phys, size);
    let r = this.holder(phys, size);
    if (!r) {
      this.back(phys, size);
      r = this.holder(phys, size)!;
    }
    return { buffer: r.buffer, offset: phys - r.base };
  }

  /** A view of [phys, phys+size), backing a new range first (core's access to what it allocates). */
  view(phys: number, size: number): Uint8Array {
    const { buffer, offset } = this.backing(phys, size);
    return new Uint8Array(buffer, offset, size);
  }

  /** A view of [phys, phys+size) if one backed range holds all of it (what an MMU can reach). */
  find(phys: number, size: number): Uint8Array | undefined {
    if (!Number.isSafeInteger(phys) || !Number.isSafeInteger(size) || size < 0) return undefined;
    const r = this.holder(phys, Math.max(size, 1));
    return r ? new Uint8Array(r.buffer, phys - r.base, size) : undefined;
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

/** Physical memory whose ranges are SharedArrayBuffers (linux: mapped into workers). */
export class SharedPhysMemory extends PhysMemory<SharedArrayBuffer> {
  constructor(base: number, size: number) {
    super(base, size, (n) => new SharedArrayBuffer(n));
  }
}
