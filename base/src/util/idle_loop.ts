/*
 * The idle loop and virtual time, shared by the emulated kernels (a generic utility: each
 * kernel keeps its own objects and system calls). Nothing reads host time: when every thread is blocked
 * (the host has no more of our work to run), virtual time jumps to the next event, a
 * device's (a PIT terminal count) or an IPC timeout's. With no event pending the system
 * has halted, unless host work that will wake a thread is in flight (a hold) or the clock
 * is paced (a person or a host peer can still send input).
 */
import type { MachineClock } from '../machine.js';

export interface IdleHooks {
  /** Work is queued or waiting for the host. */
  busy(): boolean;
  /** Hands the cycles charged so far to the clock. */
  flush(): void;
  /** The earliest IPC timeout (absolute TSC), if a thread waits with one. */
  nextDeadline(): number | undefined;
  /** Ends the waits whose timeout has passed. */
  expire(now: number): void;
  /** Spends one step of user-level work that holds the CPU (the run queue's payDebt); false if none. */
  payDebt?(): boolean;
}

export class IdleLoop {
  private scheduled = false;
  private holds = 0;
  private listeners: Array<() => void> = [];
  private stopped = false;
  halted = false;

  constructor(private readonly clock: MachineClock, private readonly hooks: IdleHooks) {
    /* a device scheduled an event on outside input (a frame from the host, a character): look at once */
    clock.onScheduleChange?.(() => this.poke());
  }

  /** For a paced clock: the host timer that ends the wait for the next event's real time. */
  private sleeping: ReturnType<typeof setTimeout> | undefined;

  /** Something ran: look again once the host has nothing else of ours to do. */
  poke(): void {
    if (this.sleeping !== undefined) {
      clearTimeout(this.sleeping);
      this.sleeping = undefined;
    }
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.halted = false;
    setImmediate(this.check);
  }

  /** The loop halted (nothing pending) and nothing moved time since. */
  private stalled = false;

  private readonly check = (): void => {
    this.scheduled = false;
    if (this.stopped) return;
    /*
     * A paced clock stands still while nothing is pending (a timer on kernel timeouts has no
     * wake-ups when idle): outside input ends that at the host's time, and virtual time
     * catches up first (no event can be skipped, none was pending), or what follows would
     * race through the time the system stood still.
     */
    if (this.stalled) {
      this.stalled = false;
      const host = this.clock.pacedTsc?.();
      if (host !== undefined && host > this.clock.tsc()) this.clock.advance(host - this.clock.tsc());
    }
    if (this.hooks.busy()) return this.poke();
    /*
     * Host work in flight (a binary being linked) takes host time, not virtual time: the
     * clock stands still until it is done, so runs stay the same whatever the host's speed.
     */
    if (this.holds > 0) return; // the release looks again
    /* the CPU is busy with a thread's user-level work: spend a step of it */
    if (this.hooks.payDebt?.()) return this.poke();
    this.hooks.flush();
    /*
     * Handing the charged cycles to the clock may have fired a device event whose interrupt
     * made a thread ready: it runs first, before time jumps to the next event.
     */
    if (this.hooks.busy()) return this.poke();
    const device = this.clock.nextEventAt();
    const deadline = this.hooks.nextDeadline();
    const next = device === undefined ? deadline : deadline === undefined ? device : Math.min(device, deadline);
    if (next === undefined) {
      if (this.holds > 0) return; // the release looks again
      this.halted = true;
      this.stalled = true;
      /*
       * A paced clock has a person or a host peer on the other side, whose input can still
       * come (a timer on kernel timeouts leaves nothing pending when idle): it waits for that,
       * the run goes on. Only an unpaced system that halted can never make progress again.
       */
      if (this.clock.pacedTsc?.() !== undefined) return;
      for (const l of this.listeners) l();
      return;
    }
    const now = this.clock.tsc();
    /* a paced clock waits for the host's clock to get there (anything that happens meanwhile pokes) */
    const wait = next > now ? this.clock.dueInMs?.(next) : undefined;
    if (wait !== undefined && wait >= 1) {
      this.sleeping = setTimeout(() => {
        this.sleeping = undefined;
        this.check();
      }, Math.min(wait, 1000));
      return;
    }
    if (next > now) this.clock.advance(next - now);
    this.hooks.expire(this.clock.tsc());
    this.poke();
  };

  /**
   * The CPU spends up to `cycles` in user-level work: virtual time advances to the next
   * device event or timeout at most (which then fires), so whatever it makes ready can
   * preempt. Returns the cycles spent.
   */
  readonly spend = (cycles: number): number => {
    this.hooks.flush();
    const now = this.clock.tsc();
    const device = this.clock.nextEventAt();
    const deadline = this.hooks.nextDeadline();
    let next = device === undefined ? deadline : deadline === undefined ? device : Math.min(device, deadline);
    if (next !== undefined && next <= now) next = undefined;
    const step = next === undefined ? cycles : Math.min(cycles, next - now);
    this.clock.advance(step);
    this.hooks.expire(this.clock.tsc());
    return step;
  };

  /** Host work in flight that will wake a thread later (loading a binary); returns its release. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.poke();
    };
  }

  onHalt(listener: () => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    if (this.sleeping !== undefined) clearTimeout(this.sleeping);
    this.sleeping = undefined;
    this.stopped = true;
    this.listeners = [];
  }
}
