/*
 * Scheduling and time on the emulated CPU. IPC switches directly between threads (the
 * continuation runs at once, as OKL4's fast path does); everything else that makes a thread
 * runnable (a start, a notify wake-up) goes through a priority run queue drained in
 * microtasks. Nothing reads host time: when every thread is blocked, virtual time jumps to
 * the machine's next device event, or the system has halted.
 *
 * Time slices: after `yieldEvery` system calls a gate closes until the host event loop has
 * run once (its timers, I/O, the display). Until then every continuation waits at the gate
 * in order, so the interleaving of threads is the same from run to run.
 */
import type { Machine } from '../../../base/src/machine.js';
import { Cost, type Okl4Accounting } from './cost_model.js';

/** Charged cycles are handed to the machine clock in batches of about this many. */
const FLUSH_CYCLES = 20_000;

interface Ready { prio: number; seq: number; run: () => void }

export class Scheduler {
  private readonly readyQueue: Ready[] = [];
  private seq = 0;
  private drainScheduled = false;
  private idleScheduled = false;
  private opsSinceYield = 0;
  private gate: Promise<void> | undefined;
  private yielded = 0;
  private holds = 0;
  private haltListeners: Array<() => void> = [];
  halted = false;
  stopped = false;

  constructor(
    private readonly machine: Machine,
    private readonly accounting: Okl4Accounting,
    private readonly yieldEvery: number,
  ) {}

  /** Kernel entry: charge it, count it toward the time slice, and arm the idle check. */
  enter(): void {
    this.accounting.charge(Cost.SYSCALL);
    if (++this.opsSinceYield >= this.yieldEvery && !this.gate) this.closeGate();
    if (this.accounting.pending > FLUSH_CYCLES) this.flushClock();
    if (!this.idleScheduled) this.scheduleIdleCheck();
  }

  flushClock(): void {
    const c = this.accounting.pending;
    this.accounting.pending = 0;
    if (c > 0) this.machine.clock.advance(c);
  }

  tsc(): number {
    this.flushClock();
    return this.machine.clock.tsc();
  }

  /** Whether continuations must wait for the host's turn (then use `resume`). */
  get gated(): boolean {
    return this.gate !== undefined || this.stopped;
  }

  /** Continues a thread right away (a direct switch), or after the gate if the slice is over. */
  resume(fn: () => void): void {
    if (this.stopped) return;
    if (this.gate) void this.gate.then(fn);
    else fn();
  }

  /** Makes a thread runnable through the run queue (highest priority first, then FIFO). */
  makeReady(prio: number, run: () => void): void {
    if (this.stopped) return;
    this.accounting.charge(Cost.SCHEDULE);
    this.readyQueue.push({ prio, seq: this.seq++, run });
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      const drain = () => this.drain();
      if (this.gate) void this.gate.then(drain);
      else queueMicrotask(drain);
    }
    this.scheduleIdleCheck();
  }

  private drain(): void {
    this.drainScheduled = false;
    const batch = this.readyQueue.splice(0).sort((a, b) => b.prio - a.prio || a.seq - b.seq);
    for (const r of batch) if (!this.stopped) r.run();
  }

  private closeGate(): void {
    this.opsSinceYield = 0;
    this.yielded++;
    this.gate = new Promise<void>((open) => setImmediate(() => {
      this.yielded--;
      this.gate = undefined;
      open();
    }));
  }

  /* ---------------------------------------------------------------- idle and virtual time */

  scheduleIdleCheck(): void {
    if (this.idleScheduled) return;
    this.idleScheduled = true;
    this.halted = false;
    setImmediate(() => this.onIdle());
  }

  /** Nothing ran since the check was armed: every thread is blocked. */
  private onIdle(): void {
    this.idleScheduled = false;
    if (this.stopped) return;
    if (this.readyQueue.length > 0 || this.drainScheduled || this.yielded > 0) return this.scheduleIdleCheck();
    this.flushClock();
    const clock = this.machine.clock;
    const next = clock.nextEventAt();
    if (next === undefined) {
      if (this.holds > 0) return; // the release checks again
      this.halted = true;
      for (const l of this.haltListeners) l();
      return;
    }
    /* the device event raises its interrupt line while the clock advances */
    if (next > clock.tsc()) clock.advance(next - clock.tsc());
    this.scheduleIdleCheck();
  }

  /** Host work in flight that will wake a thread later (e.g. loading a binary): not a halt. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.scheduleIdleCheck();
    };
  }

  onHalt(listener: () => void): void {
    this.haltListeners.push(listener);
  }

  /** Powers off: nothing runs again, blocked threads stay blocked. */
  shutdown(): void {
    this.stopped = true;
    this.readyQueue.length = 0;
    this.haltListeners = [];
  }
}
