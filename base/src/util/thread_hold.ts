/*
 * A kernel thread's pause state, shared by the kernels (emulated and linux): while the
 * thread is held it makes no progress. A component's code runs only between kernel
 * entries and exits (a system call and its return, a wake-up, the thread's start), so
 * holding a thread means: a system call it makes is not carried out, and a return into it
 * (a reply, a wake-up) is not delivered, until it is released. Both wait here in order and
 * go on, in that order, when the thread is released.
 *
 * Each kernel arms this with its own mechanism (NOVA: ec_ctrl RECALL, the EC held in its
 * recall exception; Fiasco.OC: l4_thread_ex_regs with TRIGGER_EXCEPTION, the thread held
 * in its exception IPC to its pager; OKL4: L4_ExchangeRegisters halt; linux: core holds
 * the worker's thread at its next kernel entry).
 */
export class ThreadHold {
  /** A pause was requested: the thread is held at its next kernel entry or exit. */
  paused = false;
  private readonly waiting: Array<() => void> = [];

  /** Whether the thread is stopped. */
  get held(): boolean {
    return this.paused;
  }

  /** How many kernel entries or exits of the thread are held. */
  get holding(): number {
    return this.waiting.length;
  }

  /** Runs `fn` (a kernel entry or exit of the thread) now, or holds it while the thread is stopped. */
  pass(fn: () => void): void {
    if (this.held) this.waiting.push(fn);
    else fn();
  }

  /** A wrapper of `fn` for a return into the thread that honours the hold. */
  exit<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      if (this.held) this.waiting.push(() => fn(...args));
      else fn(...args);
    };
  }

  /*
   * exit for the kernels' IPC continuations, which take one or two arguments: no rest
   * arrays, and the wrapper of the last continuation is reused (a thread passes the same
   * one on every call), so the IPC path allocates nothing here. Wrappers and held returns
   * are made in functions of their own: a function that makes a closure, even in a branch
   * not taken, has V8 allocate the variables the closure captures on every call.
   */
  private exitOf1: ((a: never) => void) | undefined;
  private exit1Wrapper: ((a: never) => void) | undefined;
  private exitOf2: ((a: never, b: never) => void) | undefined;
  private exit2Wrapper: ((a: never, b: never) => void) | undefined;

  /** exit for a continuation of one argument. */
  exit1<A>(fn: (a: A) => void): (a: A) => void {
    if (fn !== this.exitOf1) {
      this.exitOf1 = fn;
      this.exit1Wrapper = this.wrap1(fn);
    }
    return this.exit1Wrapper as (a: A) => void;
  }

  /** exit for a continuation of two arguments. */
  exit2<A, B>(fn: (a: A, b: B) => void): (a: A, b: B) => void {
    if (fn !== this.exitOf2) {
      this.exitOf2 = fn;
      this.exit2Wrapper = this.wrap2(fn);
    }
    return this.exit2Wrapper as (a: A, b: B) => void;
  }

  private wrap1<A>(fn: (a: A) => void): (a: A) => void {
    return (a: A) => {
      if (this.held) this.hold1(fn, a);
      else fn(a);
    };
  }

  private wrap2<A, B>(fn: (a: A, b: B) => void): (a: A, b: B) => void {
    return (a: A, b: B) => {
      if (this.held) this.hold2(fn, a, b);
      else fn(a, b);
    };
  }

  private hold1<A>(fn: (a: A) => void, a: A): void {
    this.waiting.push(() => fn(a));
  }

  private hold2<A, B>(fn: (a: A, b: B) => void, a: A, b: B): void {
    this.waiting.push(() => fn(a, b));
  }

  pause(): void {
    this.paused = true;
  }

  /**
   * Ends the pause: what was held goes on, each through `schedule` (the kernel's ready
   * queue), in the order it was held. Returns whether it was paused.
   */
  release(schedule: (fn: () => void) => void): boolean {
    const was = this.paused;
    this.paused = false;
    for (const fn of this.waiting.splice(0)) schedule(fn);
    return was;
  }

  /** The thread is gone: nothing held ever runs. */
  drop(): void {
    this.waiting.length = 0;
  }
}
