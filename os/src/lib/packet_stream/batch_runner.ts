/*
 * How a packet-stream server runs its batches: one at a time per session. A wake-up
 * (a signal from the client, an acknowledgement slot coming free) while a batch runs asks
 * for one more round instead of starting a second batch beside it, so packets are taken
 * in order and a session's buffer is touched by one batch only.
 */
export class BatchRunner {
  private running = false;
  private again = false;
  private stopped = false;
  /** The rounds under way (a closing session waits for them: they may still touch its buffer). */
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly batch: () => Promise<void>) {}

  /** Runs a batch now, or one more after the running one; nothing once stopped. */
  wake(): Promise<void> | void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.current = this.run();
    return this.current;
  }

  /** No batch starts from now on; resolves once the running one ended (failed or not). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.current.catch(() => {});
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.batch();
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
  }
}
