/*
 * The CPU's ready queue and its time slices, shared by the emulated kernels.
 *
 * Threads made ready by something other than a direct IPC switch (a start, an IRQ, a
 * timeout, a reply while the replier goes on receiving) wait here and run in priority
 * order, oldest first among equals. Every `sliceOps` kernel entries the time slice ends:
 * until the host event loop has run once (timers, I/O, a display), user-level work and the
 * ready queue wait at a gate, in order, so the interleaving stays the same from run to
 * run and only the host gets its turn.
 *
 * User-level work is preemptible in virtual time. A component's code runs on the host in
 * one piece, but its effects reach others only through system calls; so a thread that
 * computed for longer than a little before its system call carries that time as a debt
 * (`charge`): the call proceeds only once the CPU has spent the debt at the thread's
 * priority. While it does, time advances event by event, and work of higher priority that
 * an interrupt or timeout makes ready runs first (preemption); work of equal priority
 * takes turns every quantum (round robin). So a high-priority thread keeps its deadline
 * while a low-priority one computes, exactly as the kernel's scheduler would have it.
 */

/** User-level cycles after which a time slice ends (about 25 ms of virtual time). */
export const SLICE_USER_CYCLES = 50_000_000;

interface Ready {
  prio: number;
  seq: number;
  run: () => void;
  /** CPU cycles still to spend before `run` (user-level work done before a system call). */
  debt: number;
  /** Cycles spent since this job last got the CPU (for the quantum). */
  spent: number;
  /** Told every step of the debt the CPU spends (the kernel charges the scheduling context that ran it). */
  account?: (cycles: number) => void;
}

/** Work queued with `charge` (opaque to the kernels). */
export type QueuedWork = object;

/** How the CPU spends cycles: advances virtual time by at most `cycles`, up to the next event; returns what it spent. */
export type Spend = (cycles: number) => number;

/** Debts below this are charged at once (no deferral): a few microseconds of virtual time. */
export const DEBT_THRESHOLD = 20_000;

export class RunQueue {
  private ready: Ready[] = [];
  private seq = 0;
  private drainScheduled = false;
  private gate: Promise<void> | undefined;
  private entries = 0;
  private userCycles = 0;
  private stopped = false;

  private spendCpu: Spend | undefined;
  /** Cycles a thread may run before an equal-priority one takes over. */
  private quantum = Infinity;

  constructor(private readonly sliceOps: number) {}

  /** Connects the CPU clock (the idle loop's `spend`) and the scheduling quantum. */
  setCpu(spend: Spend, quantumCycles: number): void {
    this.spendCpu = spend;
    this.quantum = quantumCycles;
  }

  /**
   * Runs `run` once `cycles` of CPU time were spent at priority `prio` (the user-level work
   * before a system call). Returns false where the caller may go on at once, having
   * charged the cycles itself: a small debt while no thread of higher or equal priority
   * holds the CPU (or a kernel without a CPU clock). `account`, if given, is told each step
   * of the cycles as the CPU spends them (not for work the caller charged itself).
   */
  charge(prio: number, cycles: number, run: () => void, account?: (cycles: number) => void): QueuedWork | undefined {
    if (!this.defers(prio, cycles)) return undefined;
    this.spend(cycles);
    const job: Ready = { prio, seq: this.seq++, run, debt: cycles, spent: 0, account };
    this.push(job);
    return job;
  }

  /**
   * Whether `charge(prio, cycles, ...)` would queue the work (else the caller charges the
   * cycles and goes on). Lets the system-call paths ask first and allocate the deferred
   * continuation only when it is needed.
   */
  defers(prio: number, cycles: number): boolean {
    if (!this.spendCpu || this.stopped) return false;
    if (cycles >= DEBT_THRESHOLD) return true;
    const holder = this.holder();
    return holder !== undefined && holder.prio >= prio;
  }

  /**
   * Raises queued work to `prio` (NOVA's helping: a caller of higher priority waiting for
   * a server lends its priority to the server's pending work, so it is not stuck behind
   * threads of lower priority).
   */
  boost(work: QueuedWork, prio: number): void {
    const r = work as Ready;
    if (r.prio < prio && (r.debt > 0 || this.ready.includes(r))) {
      r.prio = prio;
      this.scheduleDrain();
    }
  }

  /** The job whose user-level work holds the CPU: the first in order that has a debt. */
  private holder(): Ready | undefined {
    /* while a drain runs, the batch it took out of the queue counts too */
    let h: Ready | undefined = this.draining;
    for (const r of this.ready) {
      if (r.debt > 0 && (!h || r.prio > h.prio || (r.prio === h.prio && r.seq < h.seq))) h = r;
    }
    return h;
  }

  /** The job that runs next (highest priority, oldest among equals). */
  private head(): Ready | undefined {
    let h: Ready | undefined;
    for (const r of this.ready) if (!h || r.prio > h.prio || (r.prio === h.prio && r.seq < h.seq)) h = r;
    return h;
  }

  /**
   * Work is queued that can run now, or a time slice is waiting for the host: the CPU is
   * not idle. A queue whose head is user-level work to be spent is idle in this sense:
   * the idle loop spends it (payDebt).
   */
  get busy(): boolean {
    if (this.drainScheduled || this.gate !== undefined) return true;
    const h = this.head();
    return h !== undefined && h.debt === 0;
  }

  /** Whether continuations must wait for the host's turn (the slice ended) or never run (stopped). */
  get gated(): boolean {
    return this.gate !== undefined || this.stopped;
  }

  /** Makes `run` ready at priority `prio`; it runs after the current work. */
  enqueue(prio: number, run: () => void): void {
    if (this.stopped) return;
    this.push({ prio, seq: this.seq++, run, debt: 0, spent: 0 });
  }

  private push(r: Ready): void {
    this.ready.push(r);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    if (this.gate) void this.gate.then(this.drain);
    else queueMicrotask(this.drain);
  }

  /**
   * Runs the ready jobs in order up to the first one with user-level work still to spend:
   * it holds the CPU, and it and everything after it (lower priority, or equal and later)
   * wait until the idle loop has spent that work.
   */
  private readonly drain = (): void => {
    this.drainScheduled = false;
    if (this.stopped) return;
    const batch = this.ready;
    this.ready = [];
    batch.sort((a, b) => b.prio - a.prio || a.seq - b.seq);
    this.draining = batch.find((r) => r.debt > 0);
    try {
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i]!;
        if (r.debt > 0) {
          for (let j = i; j < batch.length; j++) this.ready.push(batch[j]!);
          return;
        }
        r.run();
        if (this.stopped) return;
      }
    } finally {
      this.draining = undefined;
    }
  };

  /** The first job with user-level work in the batch a drain is running (it holds the CPU). */
  private draining: Ready | undefined;

  /**
   * Called by the idle loop when every thread has reached the kernel and the head of the
   * queue is user-level work: spends one step of it (up to the next event, which then
   * fires). Work of higher priority that the event makes ready runs before the rest; an
   * equal one takes over after the quantum. True if there was work to spend.
   */
  payDebt(): boolean {
    const r = this.head();
    if (!r || r.debt === 0 || !this.spendCpu || this.stopped) return false;
    const spent = Math.min(r.debt, Math.max(1, this.spendCpu(r.debt)));
    r.debt -= spent;
    r.account?.(spent);
    r.spent += spent;
    if (r.debt <= 0) {
      r.debt = 0;
      this.scheduleDrain();
    } else if (r.spent >= this.quantum && this.ready.some((o) => o !== r && o.prio === r.prio)) {
      r.spent = 0;
      r.seq = this.seq++; // to the back of its priority
      this.scheduleDrain();
    }
    return true;
  }

  /** Continues user-level work: now, or after the current time slice if it has ended. */
  dispatch(fn: () => void): void {
    if (this.stopped) return;
    if (this.gate) this.afterSlice(this.gate, fn);
    else fn();
  }

  /* made apart from dispatch: a closure there would make V8 allocate `fn` on every call */
  private afterSlice(gate: Promise<void>, fn: () => void): void {
    void gate.then(() => !this.stopped && fn());
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
