/*
 * NetClock over a Timer session (what components use). `now()` must answer at once but
 * the session's time is an RPC away, so the clock keeps the last time it read and
 * refreshes it on every timeout signal and whenever a timer is armed (coalesced: one
 * elapsed-time RPC in flight at a time). The session has a single one-shot timeout
 * (Genode's trigger_once replaces the previous one), so the clock keeps its own list and
 * programs the session for the earliest deadline.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { TimerConnection } from '../../session/timer/connection.js';
import type { NetClock } from './clock.js';

/** What the clock needs of a Timer session (TimerConnection; a fake in unit tests). */
export interface TimerSource {
  elapsedMs(): Promise<number>;
  /** One timeout signal `us` from now, replacing the previous one. */
  triggerOnce(us: number): Promise<void>;
  onTimeout(fn: () => void | Promise<void>): void;
}

export class TimerClock implements NetClock {
  private current = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();
  /** Deadline the session is currently programmed for. */
  private programmed: number | undefined;
  private refreshing = false;
  private refreshAgain = false;

  private constructor(private source: TimerSource) {}

  static async create(source: TimerSource): Promise<TimerClock> {
    const c = new TimerClock(source);
    c.current = await source.elapsedMs();
    source.onTimeout(() => {
      c.programmed = undefined; // the session's one timeout fired
      return c.refresh();
    });
    return c;
  }

  /** Opens a Timer session (label `label`) for the stack's time. */
  static async open(env: Env, label = 'net'): Promise<TimerClock> {
    const timer = await TimerConnection.open(env, { label });
    return TimerClock.create({
      elapsedMs: () => timer.elapsedMs(),
      triggerOnce: (us) => timer.session.triggerOnce(us),
      onTimeout: (fn) => timer.onTimeout(fn),
    });
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): number {
    const id = this.nextId++;
    const at = this.current + Math.max(0, Math.ceil(ms));
    this.timers.set(id, { at, fn });
    void this.refresh(); // also keeps now() close to the session's time
    return id;
  }

  cancel(handle: number): void {
    this.timers.delete(handle);
  }

  /** Reads the session's time, fires what is due and programs the next deadline. */
  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.refreshAgain = false;
        this.current = Math.max(this.current, await this.source.elapsedMs());
        const due = [...this.timers].filter(([, t]) => t.at <= this.current).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
        for (const [id, t] of due) if (this.timers.delete(id)) t.fn();
        let next: number | undefined;
        for (const t of this.timers.values()) if (next === undefined || t.at < next) next = t.at;
        if (next !== undefined && next !== this.programmed) {
          this.programmed = next;
          await this.source.triggerOnce(Math.max(1, next - this.current) * 1000);
        } else if (next === undefined) this.programmed = undefined;
      } while (this.refreshAgain);
    } finally {
      this.refreshing = false;
    }
  }
}
