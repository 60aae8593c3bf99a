/* A NetClock for unit tests: time moves only when the test advances it. */
import type { NetClock } from '../../os/src/lib/net/clock.js';

export class FakeClock implements NetClock {
  private time = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  cancel(handle: number): void {
    this.timers.delete(handle);
  }

  /** The earliest pending deadline, if any. */
  next(): number | undefined {
    let best: number | undefined;
    for (const t of this.timers.values()) if (best === undefined || t.at < best) best = t.at;
    return best;
  }

  /** Fires every timer due at the earliest deadline (moving time there); false if none. */
  step(): boolean {
    const at = this.next();
    if (at === undefined) return false;
    this.time = Math.max(this.time, at);
    const due = [...this.timers].filter(([, t]) => t.at <= this.time).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
    for (const [id, t] of due) {
      if (!this.timers.delete(id)) continue;
      t.fn();
    }
    return true;
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Runs the simulation until `p` settles: lets promises run, then moves time to the next
 * timer. Fails if nothing is left to do or `limitMs` of fake time passes.
 */
export async function settle<T>(clock: FakeClock, p: Promise<T>, limitMs = 600_000): Promise<T> {
  let done = false;
  let result: { v?: T; e?: unknown; failed: boolean } = { failed: false };
  p.then((v) => { done = true; result = { v, failed: false }; }, (e) => { done = true; result = { e, failed: true }; });
  const end = clock.now() + limitMs;
  for (;;) {
    await flush();
    if (done) break;
    if (clock.now() > end) throw new Error(`settle: not done after ${limitMs} ms of fake time`);
    if (!clock.step()) {
      await flush();
      if (done) break;
      throw new Error('settle: stuck (no timer pending and the promise did not settle)');
    }
  }
  if (result.failed) throw result.e;
  return result.v as T;
}
