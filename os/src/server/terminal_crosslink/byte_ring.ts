/* A bounded FIFO of bytes (a ring buffer): `put` takes what fits, `take` what is there. */
export class ByteRing {
  private readonly buf: Uint8Array;
  private head = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  get free(): number {
    return this.capacity - this.length;
  }

  /** Appends as many of `bytes` as fit; returns how many. */
  put(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.free);
    for (let i = 0; i < n; i++) this.buf[(this.head + this.length + i) % this.capacity] = bytes[i]!;
    this.length += n;
    return n;
  }

  /** Moves up to `max` bytes into `out` (from its start); returns how many. */
  take(out: Uint8Array, max: number): number {
    const n = Math.min(max, this.length, out.length);
    for (let i = 0; i < n; i++) out[i] = this.buf[(this.head + i) % this.capacity]!;
    this.head = (this.head + n) % this.capacity;
    this.length -= n;
    return n;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }
}
