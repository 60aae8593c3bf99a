/*
 * A bounded, fair output queue in front of one link (the uplink or one client): every
 * source (a client, the uplink) gets its own FIFO of at most `perSource` frames, drained
 * round-robin one frame at a time while the link applies back-pressure. A source that
 * floods only fills its own FIFO; its surplus is dropped and the others still get their
 * turn.
 */
export class TxQueue {
  private readonly fifos = new Map<string, Uint8Array[]>();
  private order: string[] = [];
  private next = 0;
  private draining = false;
  private closed = false;

  constructor(
    private readonly send: (frame: Uint8Array) => Promise<boolean>,
    private readonly perSource: number,
  ) {}

  /** Queues a frame (already a private copy) from `source`; false if its FIFO is full. */
  push(source: string, frame: Uint8Array): boolean {
    if (this.closed) return false;
    let fifo = this.fifos.get(source);
    if (!fifo) {
      fifo = [];
      this.fifos.set(source, fifo);
      this.order.push(source);
    }
    if (fifo.length >= this.perSource) return false;
    fifo.push(frame);
    if (!this.draining) void this.drain();
    return true;
  }

  /** Drops everything queued from `source` (the source went away). */
  forget(source: string): void {
    if (!this.fifos.delete(source)) return;
    this.order = this.order.filter((s) => s !== source);
    this.next = 0;
  }

  /** Frames waiting from `source`. */
  pending(source: string): number {
    return this.fifos.get(source)?.length ?? 0;
  }

  close(): void {
    this.closed = true;
    this.fifos.clear();
    this.order = [];
  }

  private take(): Uint8Array | undefined {
    for (let tried = 0; tried < this.order.length; tried++) {
      const i = (this.next + tried) % this.order.length;
      const fifo = this.fifos.get(this.order[i])!;
      if (fifo.length) {
        this.next = (i + 1) % this.order.length;
        return fifo.shift();
      }
    }
    return undefined;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let frame = this.take(); frame; frame = this.take()) {
        try {
          await this.send(frame);
        } catch {
          /* a link that failed drops this frame; the queue keeps serving the others */
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
