/*
 * The kernel's table of global thread IDs. A thread number names at most one live thread;
 * an ID is valid only while the thread with that number and that version exists. The
 * table remembers the last version of every number, so a destroyed thread's ID can never
 * name its successor: re-creating a number with the same version is refused.
 */
import { MAX_THREAD_NO, threadNoOf, versionOf } from './abi.js';
import type { Thread } from './thread.js';

export class ThreadTable {
  private readonly live = new Map<number, Thread>();
  private readonly lastVersion = new Map<number, number>();

  /** The live thread named by `id` (number and version must both match). */
  lookup(id: number): Thread | undefined {
    const t = this.live.get(threadNoOf(id));
    return t && t.version === versionOf(id) ? t : undefined;
  }

  /** Whether `id` may name a new thread: a free number, a non-zero version not used last time. */
  available(id: number): boolean {
    const no = threadNoOf(id);
    const version = versionOf(id);
    if (no > MAX_THREAD_NO || version === 0 || this.live.has(no)) return false;
    return this.lastVersion.get(no) !== version;
  }

  insert(t: Thread): void {
    this.live.set(t.threadNo, t);
    this.lastVersion.set(t.threadNo, t.version);
  }

  remove(t: Thread): void {
    if (this.live.get(t.threadNo) === t) this.live.delete(t.threadNo);
  }

  all(): IterableIterator<Thread> {
    return this.live.values();
  }

  get size(): number {
    return this.live.size;
  }
}
