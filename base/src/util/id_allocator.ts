/** Allocates small integer ids from [base, base+count) lowest-first, so runs are deterministic. */
export class IdAllocator {
  private readonly used: Uint32Array;
  /** How many ids are allocated (for leak checks). */
  inUse = 0;

  constructor(readonly base: number, readonly count: number) {
    this.used = new Uint32Array(Math.ceil(count / 32));
  }

  /** Allocates `2^order` consecutive ids aligned to their size; undefined if none is free. */
  alloc(order = 0): number | undefined {
    const n = 1 << order;
    for (let i = 0; i + n <= this.count; i += n) {
      let free = true;
      for (let j = 0; j < n && free; j++) free = !this.isSet(i + j);
      if (free) {
        for (let j = 0; j < n; j++) this.set(i + j, true);
        this.inUse += n;
        return this.base + i;
      }
    }
    return undefined;
  }

  /** Marks a specific id as used; false if it already was. */
  claim(id: number): boolean {
    const i = id - this.base;
    if (i < 0 || i >= this.count || this.isSet(i)) return false;
    this.set(i, true);
    this.inUse++;
    return true;
  }

  free(id: number, order = 0): void {
    for (let j = 0; j < 1 << order; j++) {
      const i = id - this.base + j;
      if (i >= 0 && i < this.count && this.isSet(i)) {
        this.set(i, false);
        this.inUse--;
      }
    }
  }

  isUsed(id: number): boolean {
    const i = id - this.base;
    return i >= 0 && i < this.count && this.isSet(i);
  }

  private isSet(i: number): boolean {
    return (this.used[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  private set(i: number, v: boolean): void {
    if (v) this.used[i >>> 5]! |= 1 << (i & 31);
    else this.used[i >>> 5]! &= ~(1 << (i & 31));
  }
}
