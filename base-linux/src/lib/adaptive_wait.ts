/*
 * Waiting for a word in shared memory to change: spin first, then Atomics.waitAsync.
 *
 * A reply that comes within a few microseconds is seen fastest by spinning (no event-loop
 * round trip), but spinning blocks this isolate's event loop, so a wait that takes longer
 * (or whose answer needs this very isolate, as a call to one's own entrypoint does) must
 * fall back to waitAsync. The spin budget adapts: a hit restores the full budget, misses
 * halve it down to zero, and a zero budget is probed again now and then with the full
 * budget. The probe must be long enough to outlast the other side's waitAsync wake-up:
 * two components that talk to each other only stay on the fast path if both spin, and a
 * short probe on one side would always miss while the other side still sleeps.
 */
import { holdEventLoop } from './keep_alive.js';

export interface SpinPolicy {
  /** Upper bound of one spin in microseconds (0: never spin, e.g. in core's main thread). */
  maxSpinUs: number;
  /** Below this budget a spin is given up (after repeated misses). */
  minSpinUs: number;
  /** Waits without spinning before the budget is probed again. */
  probeAfter: number;
}

export const DEFAULT_SPIN: SpinPolicy = { maxSpinUs: 50, minSpinUs: 2, probeAfter: 64 };
export const NO_SPIN: SpinPolicy = { maxSpinUs: 0, minSpinUs: 0, probeAfter: Infinity };

/** Waits for a word in shared memory (a futex, in Linux terms). */
export interface Waiter {
  /**
   * The word's value once `done` accepts it: a number if it is there at once or spinning got
   * it (no promise, no microtask on the fast path), else a promise.
   */
  until(word: Int32Array, index: number, done: (v: number) => boolean): number | Promise<number>;
}

export class AdaptiveWaiter implements Waiter {
  private budgetUs: number;
  private skip = 0;
  spins = 0;
  waits = 0;

  constructor(private readonly policy: SpinPolicy = DEFAULT_SPIN) {
    this.budgetUs = policy.maxSpinUs;
  }

  /**
   * The word's value once `done` accepts it: a number if spinning got it (no promise, no
   * microtask on the fast path), else a promise.
   */
  until(word: Int32Array, index: number, done: (v: number) => boolean): number | Promise<number> {
    const v = Atomics.load(word, index);
    if (done(v)) return v;
    const hit = this.spin(word, index, done);
    if (hit !== undefined) return hit;
    this.waits++;
    return this.sleep(word, index, done);
  }

  private async sleep(word: Int32Array, index: number, done: (v: number) => boolean): Promise<number> {
    const release = holdEventLoop();
    try {
      for (;;) {
        const v = Atomics.load(word, index);
        if (done(v)) return v;
        const r = Atomics.waitAsync(word, index, v);
        if (r.async) await r.value;
      }
    } finally {
      release();
    }
  }

  private spin(word: Int32Array, index: number, done: (v: number) => boolean): number | undefined {
    if (this.budgetUs <= 0) {
      if (++this.skip < this.policy.probeAfter) return undefined;
      this.skip = 0;
      this.budgetUs = this.policy.maxSpinUs;
    }
    const limit = performance.now() + this.budgetUs / 1000;
    for (let n = 1; ; n++) {
      const v = Atomics.load(word, index);
      if (done(v)) {
        this.budgetUs = this.policy.maxSpinUs;
        this.spins++;
        return v;
      }
      if ((n & 31) === 0 && performance.now() > limit) break;
    }
    this.budgetUs /= 2;
    if (this.budgetUs < this.policy.minSpinUs) this.budgetUs = 0;
    return undefined;
  }
}
