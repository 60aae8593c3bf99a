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
import { IdleLoop } from '../../../base/src/util/idle_loop.js';
import { RunQueue } from '../../../base/src/util/run_queue.js';

/** Charged cycles are handed to the machine clock in batches of about this many. */
const FLUSH_CYCLES = 20_000;

/** OKL4's default time slice (round robin among equal priorities). */
const TIMESLICE_US = 10_000;

export class Scheduler {
  /** Wake-ups in priority order, and the time slices that give the host event loop its turn. */
  private readonly run: RunQueue;
  /** When every thread is blocked: virtual time jumps to the next device event, or a halt. */
  private readonly idle: IdleLoop;
  stopped = false;

  constructor(
    private readonly machine: Machine,
    private readonly accounting: Okl4Accounting,
    yieldEvery: number,
  ) {
    this.run = new RunQueue(yieldEvery);
    /* OKL4 IPC has no timeouts: the only events are the machine's */
    this.idle = new IdleLoop(machine.clock, {
      busy: () => this.run.busy,
      flush: () => this.flushClock(),
      nextDeadline: () => undefined,
      expire: () => {},
      payDebt: () => this.run.payDebt(),
    });
    this.run.setCpu(this.idle.spend, (TIMESLICE_US * machine.clock.tscHz) / 1e6);
  }

  /** Kernel entry: charge it, count it toward the time slice, and arm the idle check. */
  enter(): void {
    this.accounting.charge(Cost.SYSCALL);
    this.run.tick();
    if (this.accounting.pending > FLUSH_CYCLES) this.flushClock();
    this.idle.poke();
  }

  /** Lets `go` wait until `cycles` of user-level work were spent at `prio` (false: charge them now). */
  deferUserWork(prio: number, cycles: number, go: () => void): boolean {
    return this.run.charge(prio, cycles, go) !== undefined;
  }

  /** Whether deferUserWork would let the work wait (asks without allocating a continuation). */
  defersUserWork(prio: number, cycles: number): boolean {
    return this.run.defers(prio, cycles);
  }

  /** Charges `cycles` of user-level code. */
  chargeUser(cycles: number): void {
    this.accounting.chargeUser(cycles);
    this.run.spend(cycles);
    if (this.accounting.pending > FLUSH_CYCLES) this.flushClock();
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
    return this.run.gated;
  }

  /** Continues a thread right away (a direct switch), or after the gate if the slice is over. */
  resume(fn: () => void): void {
    this.run.dispatch(fn);
  }

  /** Makes a thread runnable through the run queue (highest priority first, then FIFO). */
  makeReady(prio: number, run: () => void): void {
    if (this.stopped) return;
    this.accounting.charge(Cost.SCHEDULE);
    this.run.enqueue(prio, run);
    this.idle.poke();
  }

  get halted(): boolean {
    return this.idle.halted;
  }

  /** Host work in flight that will wake a thread later (e.g. loading a binary): not a halt. */
  hold(): () => void {
    return this.idle.hold();
  }

  onHalt(listener: () => void): void {
    this.idle.onHalt(listener);
  }

  /** Powers off: nothing runs again, blocked threads stay blocked. */
  shutdown(): void {
    this.stopped = true;
    this.run.stop();
    this.idle.stop();
  }
}
