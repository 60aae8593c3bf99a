/*
 * The CPU's ready queue and its time slices, shared by the emulated kernels.
 *
 * Threads made ready by something other than a direct IPC switch (a start, an IRQ, a
 * timeout, a reply while the replier goes on receiving) wait here and run in priority
 * order, oldest first among equals. Every `sliceOps` kernel entries the time slice ends:
 * until the host event loop has run once (timers, I/O, a display), user-level work and the
 * ready queue wait at a gate, in order, so the interleaving stays the same from run to
 * run and only the host gets its turn.
 */

/** User-level cycles after which a time slice ends (about 25 ms of virtual time). */
export const SLICE_USER_CYCLES = 50_000_000;

interface Ready {
  prio: number;
  seq: number;
  run: () => void;
}

export class RunQueue {
  private ready: Ready[] = [];
  private seq = 0;
  private drainScheduled = false;
  private gate: Promise<void> | undefined;
  private entries = 0;
  private userCycles = 0;
  private stopped = false;

  constructor(private readonly sliceOps: number) {}

  /** Work is queued or a time slice is waiting for the host: the CPU is not idle. */
  get busy(): boolean {
    return this.ready.length > 0 || this.drainScheduled || this.gate !== undefined;
  }

  /** Whether continuations must wait for the host's turn (the slice ended) or never run (stopped). */
  get gated(): boolean {
    return this.gate !== undefined || this.stopped;
  }

  /** Makes `run` ready at priority `prio`; it runs after the current work. */
  enqueue(prio: number, run: () => void): void {
    if (this.stopped) return;
    this.ready.push({ prio, seq: this.seq++, run });
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    if (this.gate) void this.gate.then(this.drain);
    else queueMicrotask(this.drain);
  }

  private readonly drain = (): void => {
    this.drainScheduled = false;
    if (this.stopped) return;
    const batch = this.ready;
    this.ready = [];
    batch.sort((a, b) => b.prio - a.prio || a.seq - b.seq);
    for (const r of batch) r.run();
  };

  /** Continues user-level work: now, or after the current time slice if it has ended. */
  dispatch(fn: () => void): void {
    if (this.stopped) return;
    if (this.gate) void this.gate.then(() => !this.stopped && fn());
    else fn();
  }

  /** Counts one kernel entry; ends the time slice after `sliceOps` of them. */
  tick(): void {
    if (++this.entries < this.sliceOps || this.gate) return;
    this.endSlice();
  }

  /**
   * Counts cycles of user-level work; ends the time slice after SLICE_USER_CYCLES of them,
   * so a component that computes much between system calls still lets the host run (and
   * is not taken for a runaway, see base/src/loader/cpu_meter.ts).
   */
  spend(cycles: number): void {
    this.userCycles += cycles;
    if (this.userCycles < SLICE_USER_CYCLES || this.gate) return;
    this.endSlice();
  }

  private endSlice(): void {
    this.entries = 0;
    this.userCycles = 0;
    this.gate = new Promise<void>((open) => setImmediate(() => {
      this.gate = undefined;
      open();
    }));
  }

  stop(): void {
    this.stopped = true;
    this.ready = [];
  }
}
