/** A FIFO mutex for async flows: waiters are served in arrival order (deterministic). */
export class Mutex {
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  /** Fast path is synchronous: returns true if the lock was taken without waiting. */
  tryAcquire(): boolean {
    if (this.locked) return false;
    this.locked = true;
    return true;
  }

  acquire(): Promise<void> | undefined {
    if (this.tryAcquire()) return undefined;
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Runs `fn` with the lock held, taking it first and releasing it however `fn` ends. */
  async guard<R>(fn: () => Promise<R>): Promise<R> {
    const wait = this.acquire();
    if (wait) await wait;
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
