/*
 * A queue of waiting senders ordered by priority, as Fiasco's Prio_list: the highest
 * priority comes first, and among equal priorities the one that queued first. A thread
 * waits in one such queue at a time (at a receiver thread, or at an IPC gate that has no
 * thread yet) and records which one in `Thread.waitQueue`, so it can leave it again on a
 * timeout, a cancel or its death.
 */
export class SenderQueue<T> {
  /** Highest priority first; FIFO within a priority. */
  private readonly entries: Array<{ sender: T; prio: number }> = [];

  get length(): number {
    return this.entries.length;
  }

  /** Inserts behind every sender of the same or a higher priority. */
  insert(sender: T, prio: number): void {
    let i = this.entries.length;
    /* scanned from the back: senders of one priority (the common case) append in O(1) */
    while (i > 0 && this.entries[i - 1]!.prio < prio) i--;
    this.entries.splice(i, 0, { sender, prio });
  }

  first(): T | undefined {
    return this.entries[0]?.sender;
  }

  /** Removes `sender`; returns whether it was queued. */
  remove(sender: T): boolean {
    const i = this.indexOf(sender);
    if (i < 0) return false;
    this.entries.splice(i, 1);
    return true;
  }

  has(sender: T): boolean {
    return this.indexOf(sender) >= 0;
  }

  /* a loop, not findIndex with a closure: every receive asks, and a closure costs an allocation */
  private indexOf(sender: T): number {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]!.sender === sender) return i;
    return -1;
  }

  /** Empties the queue, returning the senders in queue order. */
  takeAll(): T[] {
    return this.entries.splice(0).map((e) => e.sender);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const e of this.entries) yield e.sender;
  }
}
