/*
 * The byte streams a process's file descriptors refer to: a pipe (bounded, a writer waits
 * while it is full, a reader while it is empty), a file of the libc, and the runtime's
 * own standard streams. read() returns at most `count` bytes, empty at the end.
 */
import type { Libc } from '../libc/libc.js';

export interface Stream {
  read(count: number): Promise<Uint8Array>;
  write(data: Uint8Array): Promise<number>;
  /** This descriptor's end is gone (a pipe's reader sees the end once every writer closed). */
  close(): Promise<void>;
}

/** A write to a pipe whose reader is gone (SIGPIPE's case: the writer ends quietly). */
export class BrokenPipe extends Error {
  override name = 'BrokenPipe';
}

/** Bytes a pipe holds before a writer waits (POSIX's PIPE_BUF is less; Linux has 64 KiB). */
export const PIPE_CAPACITY = 64 * 1024;

export class Pipe {
  private chunks: Uint8Array[] = [];
  private held = 0;
  private writers = 1;
  private readerOpen = true;
  private wake: Array<() => void> = [];

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.wake.push(r));
  }

  readonly reader: Stream = {
    read: async (count) => {
      while (this.held === 0 && this.writers > 0) await this.wait();
      if (this.held === 0) return new Uint8Array(0);
      const out = new Uint8Array(Math.min(count, this.held));
      let at = 0;
      while (at < out.length) {
        const c = this.chunks[0]!;
        const n = Math.min(c.length, out.length - at);
        out.set(c.subarray(0, n), at);
        at += n;
        if (n === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(n);
      }
      this.held -= out.length;
      this.notify();
      return out;
    },
    write: async () => {
      throw new Error('EBADF: the read end of a pipe');
    },
    close: async () => {
      this.readerOpen = false;
      this.chunks = [];
      this.held = 0;
      this.notify();
    },
  };

  readonly writer: Stream = {
    read: async () => {
      throw new Error('EBADF: the write end of a pipe');
    },
    write: async (data) => {
      let done = 0;
      while (done < data.length) {
        if (!this.readerOpen) throw new BrokenPipe('EPIPE: the pipe has no reader');
        if (this.held >= PIPE_CAPACITY) {
          await this.wait();
          continue;
        }
        const n = Math.min(data.length - done, PIPE_CAPACITY - this.held);
        this.chunks.push(data.slice(done, done + n));
        this.held += n;
        done += n;
        this.notify();
      }
      return done;
    },
    close: async () => {
      this.writers--;
      this.notify();
    },
  };
}

/** A descriptor of the runtime's libc (a file, or the runtime's own stdin/stdout). */
export class LibcStream implements Stream {
  constructor(private readonly libc: Libc, readonly fd: number, private readonly owned: boolean) {}

  read(count: number): Promise<Uint8Array> {
    return this.libc.read(this.fd, count);
  }

  write(data: Uint8Array): Promise<number> {
    return this.libc.write(this.fd, data);
  }

  async close(): Promise<void> {
    if (this.owned) await this.libc.close(this.fd);
  }
}
