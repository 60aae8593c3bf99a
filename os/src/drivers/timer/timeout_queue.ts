/*
 * The timer driver's pending timeouts: at most one per session, one-shot or periodic,
 * ordered by deadline (microseconds of timer time). `expire(now)` hands out the sessions
 * whose deadline passed, earliest first, and moves periodic ones on by their period. A
 * periodic timeout that fell behind by more than a period skips the missed periods
 * instead of firing a burst, like a timer that coalesces its interrupts.
 */

interface Pending<K> {
  key: K;
  deadline: number;
  period: number;
  /** Order of scheduling, to keep equal deadlines in a stable order. */
  seq: number;
}

export class TimeoutQueue<K> {
  private readonly pending = new Map<K, Pending<K>>();
  private seq = 0;

  /** Schedules `key` at `deadline`; a period > 0 repeats it. Replaces `key`'s earlier timeout. */
  schedule(key: K, deadline: number, period = 0): void {
    if (!Number.isFinite(deadline) || !(period >= 0)) throw new RangeError(`bad timeout: deadline ${deadline}, period ${period}`);
    this.pending.set(key, { key, deadline, period, seq: this.seq++ });
  }

  cancel(key: K): void {
    this.pending.delete(key);
  }

  has(key: K): boolean {
    return this.pending.has(key);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The earliest deadline, or undefined if nothing is pending. */
  next(): number | undefined {
    let earliest: number | undefined;
    for (const p of this.pending.values()) if (earliest === undefined || p.deadline < earliest) earliest = p.deadline;
    return earliest;
  }

  /** The keys whose deadline is at or before `now`, by deadline; one-shots are removed, periodic ones rescheduled. */
  expire(now: number): K[] {
    const due = [...this.pending.values()].filter((p) => p.deadline <= now).sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    for (const p of due) {
      if (p.period === 0) {
        this.pending.delete(p.key);
        continue;
      }
      p.deadline += p.period;
      if (p.deadline <= now) p.deadline += Math.ceil((now - p.deadline + 1) / p.period) * p.period;
    }
    return due.map((p) => p.key);
  }
}
