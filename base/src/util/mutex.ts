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

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
