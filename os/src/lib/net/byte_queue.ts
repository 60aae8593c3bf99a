/*
 * A FIFO of bytes kept as a list of chunks: TCP's send and receive buffers. Appending
 * copies (callers' arrays are only valid during the call); reading from the front
 * and peeking at any offset copy out.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // consumed bytes of chunks[0]
  length = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data.slice());
    this.length += data.length;
  }

  /** Copies up to `len` bytes starting `offset` bytes from the front. */
  peek(offset: number, len: number): Uint8Array {
    const n = Math.max(0, Math.min(len, this.length - offset));
    const out = new Uint8Array(n);
    let skip = offset + this.head;
    let done = 0;
    for (const c of this.chunks) {
      if (done >= n) break;
      if (skip >= c.length) { skip -= c.length; continue; }
      const take = Math.min(c.length - skip, n - done);
      out.set(c.subarray(skip, skip + take), done);
      done += take;
      skip = 0;
    }
    return out;
  }

  /** Removes `n` bytes from the front. */
  drop(n: number): void {
    n = Math.min(n, this.length);
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      const avail = c.length - this.head;
      if (n >= avail) {
        n -= avail;
        this.chunks.shift();
        this.head = 0;
      } else {
        this.head += n;
        n = 0;
      }
    }
  }

  /** Removes and returns up to `n` bytes from the front. */
  take(n: number): Uint8Array {
    const out = this.peek(0, n);
    this.drop(out.length);
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.length = 0;
  }
}
