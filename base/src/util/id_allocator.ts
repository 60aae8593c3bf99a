/**
 * Allocates small integer ids from [base, base+count) lowest-first, so runs are
 * deterministic. The bitmap grows with the highest id in use (a capability space of 2^20
 * selectors costs a component only what it uses), and a search starts at the first word
 * that may have a free bit, so allocating stays cheap with many ids in use.
 */
export class IdAllocator {
  private used = new Uint32Array(4);
  /** No word below this one has a free bit. */
  private firstFreeWord = 0;
  /** Per order above 0: no word below this one starts a free block of that size (frees lower it). */
  private readonly blockHints: number[] = [];
  /** How many ids are allocated (for leak checks). */
  inUse = 0;

  constructor(readonly base: number, readonly count: number) {}

  /** Allocates `2^order` consecutive ids aligned to their size; undefined if none is free. */
  alloc(order = 0): number | undefined {
    const n = 1 << order;
    if (n > this.count) return undefined;
    if (n === 1) return this.allocOne();
    /* blocks of a word or more are whole free words; smaller ones lie within a word */
    const mask = n >= 32 ? 0xffffffff : ((1 << n) - 1) >>> 0;
    const step = Math.max(1, n >>> 5);
    const from = Math.max(this.firstFreeWord, this.blockHints[order] ?? 0);
    const first = from - (from % step);
    for (let w = first; w * 32 + n <= this.count; w += step) {
      this.blockHints[order] = w;
      if (n >= 32) {
        let free = true;
        for (let k = 0; k < step && free; k++) free = this.word(w + k) === 0;
        if (!free) continue;
        for (let k = 0; k < step; k++) this.setWord(w + k, 0xffffffff);
        return this.took(w * 32, n);
      }
      const bits = this.word(w);
      if (bits === 0xffffffff) continue;
      for (let b = 0; b + n <= 32 && w * 32 + b + n <= this.count; b += n) {
        const m = (mask << b) >>> 0;
        if ((bits & m) === 0) {
          this.setWord(w, (bits | m) >>> 0);
          return this.took(w * 32 + b, n);
        }
      }
    }
    return undefined;
  }

  private allocOne(): number | undefined {
    const words = Math.ceil(this.count / 32);
    for (let w = this.firstFreeWord; w < words; w++) {
      const bits = this.word(w);
      if (bits === 0xffffffff) continue;
      /* lowest zero bit */
      const b = 31 - Math.clz32(~bits & (bits + 1));
      const i = w * 32 + b;
      if (i >= this.count) return undefined;
      this.setWord(w, (bits | (1 << b)) >>> 0);
      this.firstFreeWord = w;
      return this.took(i, 1);
    }
    return undefined;
  }

  private took(i: number, n: number): number {
    this.inUse += n;
    return this.base + i;
  }

  /** Marks a specific id as used; false if it already was. */
  claim(id: number): boolean {
    const i = id - this.base;
    if (!Number.isInteger(i) || i < 0 || i >= this.count || this.isSet(i)) return false;
    this.set(i, true);
    this.inUse++;
    return true;
  }

  free(id: number, order = 0): void {
    for (let j = 0; j < 1 << order; j++) {
      const i = id - this.base + j;
      if (Number.isInteger(i) && i >= 0 && i < this.count && this.isSet(i)) {
        this.set(i, false);
        this.inUse--;
      }
    }
  }

  isUsed(id: number): boolean {
    const i = id - this.base;
    return Number.isInteger(i) && i >= 0 && i < this.count && this.isSet(i);
  }

  private word(w: number): number {
    return w < this.used.length ? this.used[w]! : 0;
  }

  private setWord(w: number, v: number): void {
    if (w >= this.used.length) {
      if (v === 0) return;
      let len = this.used.length;
      while (len <= w) len *= 2;
      const grown = new Uint32Array(Math.min(len, Math.ceil(this.count / 32)));
      grown.set(this.used);
      this.used = grown;
    }
    const freed = (this.used[w]! & ~v) !== 0;
    this.used[w] = v;
    if (v !== 0xffffffff && w < this.firstFreeWord) this.firstFreeWord = w;
    if (freed) for (let o = 1; o < this.blockHints.length; o++) if (this.blockHints[o]! > w) this.blockHints[o] = w;
  }

  private isSet(i: number): boolean {
    return (this.word(i >>> 5) & (1 << (i & 31))) !== 0;
  }

  private set(i: number, v: boolean): void {
    const w = i >>> 5;
    const bits = this.word(w);
    this.setWord(w, (v ? bits | (1 << (i & 31)) : bits & ~(1 << (i & 31))) >>> 0);
  }
}
