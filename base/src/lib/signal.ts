/*
 * Asynchronous notifications. A signal context is a kernel object with an imprint; submits
 * to it coalesce into a count until the receiver picks it up, so a handler runs once per
 * delivery with the number of submissions since the last one.
 */
import type { Capability } from '../capability.js';
import type { SignalContext } from '../session/signal/session.js';

export type SignalFunction = (count: number) => void | Promise<void>;

export class SignalHandler {
  /** Number of deliveries so far (a delivery may carry several coalesced submissions). */
  deliveries = 0;
  /** Total submissions received (including those waiting while the handler is busy). */
  received = 0;
  private receivedWaiters: Array<{ n: number; wake: () => void }> = [];

  /** Resolves once `n` submissions in all have arrived, delivered or not. */
  whenReceived(n: number): Promise<void> {
    if (this.received >= n) return Promise.resolve();
    return new Promise((wake) => this.receivedWaiters.push({ n, wake }));
  }

  constructor(
    readonly cap: Capability<SignalContext>,
    readonly imprint: number,
    private readonly fn: SignalFunction,
    private readonly onDispose: (h: SignalHandler) => Promise<void>,
  ) {}

  private running = false;
  private pending = 0;

  /**
   * Called by the receiver. While the handler function is still busy with an earlier
   * delivery, further submits accumulate and arrive as one delivery when it is done, as
   * they do when a Genode entrypoint is busy. Errors of the handler are reported, not
   * propagated into the receiver.
   */
  fire(count: number, report: (e: unknown) => void): void {
    this.received += count;
    if (this.receivedWaiters.length > 0) {
      const ready = this.receivedWaiters.filter((w) => this.received >= w.n);
      this.receivedWaiters = this.receivedWaiters.filter((w) => this.received < w.n);
      for (const w of ready) w.wake();
    }
    if (this.running) {
      this.pending += count;
      return;
    }
    this.run(count, report);
  }

  private run(count: number, report: (e: unknown) => void): void {
    this.deliveries++;
    this.running = true;
    const done = () => {
      this.running = false;
      if (this.pending > 0) {
        const n = this.pending;
        this.pending = 0;
        this.run(n, report);
      }
    };
    try {
      const r = this.fn(count);
      if (r instanceof Promise) r.catch(report).finally(done);
      else done();
    } catch (e) {
      report(e);
      done();
    }
  }

  dispose(): Promise<void> {
    return this.onDispose(this);
  }
}

/** One per component: maps imprints of delivered signals to their handlers. */
export class SignalReceiver {
  private readonly handlers = new Map<number, SignalHandler>();
  private nextImprint = 1;

  constructor(private readonly report: (e: unknown) => void) {}

  allocImprint(): number {
    return this.nextImprint++;
  }

  add(h: SignalHandler): void {
    this.handlers.set(h.imprint, h);
  }

  remove(h: SignalHandler): void {
    this.handlers.delete(h.imprint);
  }

  readonly deliver = (imprint: number, count: number): void => {
    this.handlers.get(imprint)?.fire(count, this.report);
  };
}
