/*
 * The kernel's bookkeeping for the user code of one protection domain, shared by the
 * emulated kernels' system-call gates: the CPU meter charged at every kernel entry, the
 * guard around every upcall into user code (a throw is the domain's fault, never the
 * kernel's), and the end of a domain that faulted.
 */
import type { Meter } from './cpu_meter.js';
import { running } from './running_domain.js';

/** Longest text a domain may hand the kernel in one piece (console lines, fault reasons). */
export const MAX_TEXT = 4096;

/**
 * A thrown value as text, read without running user code: only own data properties of an
 * object are looked at (a getter or a toString of hostile code never runs in the kernel).
 */
export function describeThrown(e: unknown): string {
  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return clip(String(e));
  const own = (key: string): string | undefined => {
    const d = Object.getOwnPropertyDescriptor(e, key);
    return d && 'value' in d && typeof d.value === 'string' ? d.value : undefined;
  };
  const name = own('name') ?? className(e);
  const message = own('message');
  return clip(message === undefined ? (name ?? 'a non-error value') : `${name ?? 'Error'}: ${message}`);
}

const STANDARD_ERRORS: ReadonlyArray<[object, string]> = [
  [TypeError.prototype, 'TypeError'], [RangeError.prototype, 'RangeError'], [SyntaxError.prototype, 'SyntaxError'],
  [ReferenceError.prototype, 'ReferenceError'], [EvalError.prototype, 'EvalError'], [URIError.prototype, 'URIError'],
  [AggregateError.prototype, 'AggregateError'], [Error.prototype, 'Error'],
];

/** The name of an object's class, from plain data on its prototype chain or the standard error it extends. */
function className(e: object): string | undefined {
  try {
    let proto = Object.getPrototypeOf(e) as object | null;
    for (let depth = 0; proto && depth < 16; depth++) {
      const std = STANDARD_ERRORS.find(([p]) => p === proto);
      if (std) return std[1];
      const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor');
      const fn = ctor && 'value' in ctor ? ctor.value : undefined;
      const nd = typeof fn === 'function' ? Object.getOwnPropertyDescriptor(fn, 'name') : undefined;
      if (nd && 'value' in nd && typeof nd.value === 'string' && nd.value) return nd.value;
      proto = Object.getPrototypeOf(proto) as object | null;
    }
  } catch {
    /* a proxy that throws: no name */
  }
  return undefined;
}

export function clip(text: string, max = 256): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

export class UserDomain {
  /** Why the domain ended, once it did. */
  ended: string | undefined;
  /** User ticks charged so far. */
  ticks = 0;
  /** The domain's number in the running-domain cell (0: core, whose code is not metered). */
  id = 0;

  constructor(
    readonly label: string,
    readonly meter: Meter,
    /** Charges `ticks` of user time to the CPU. */
    private readonly charge: (ticks: number) => void,
    /** The domain faulted: stop its threads and report it (called once). */
    private readonly onFault: (reason: string) => void,
  ) {}

  get alive(): boolean {
    return this.ended === undefined;
  }

  /** Every system call starts here: the user time since the last one is charged. */
  enter(): void {
    if (this.ended !== undefined) throw new Error(`the protection domain "${this.label}" has ended`);
    const t = this.meter.drain();
    if (t > 0) {
      this.ticks += t;
      this.charge(t);
    }
  }

  /**
   * A system call that may wait starts here instead: the user ticks since the last one are
   * returned, not charged, so the kernel can let the thread pay them as preemptible CPU
   * time before the call proceeds (base/src/util/run_queue.ts).
   */
  enterPreemptible(): number {
    if (this.ended !== undefined) throw new Error(`the protection domain "${this.label}" has ended`);
    const t = this.meter.drain();
    this.ticks += t;
    return t;
  }

  /**
   * Runs user code from the kernel (an entry, a resumption); a throw ends the domain. The
   * running-domain cell is restored afterwards: the code that made the system call goes on.
   */
  upcall<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (this.ended !== undefined) return;
    const saved = running.c;
    running.c = this.id;
    try {
      fn(...args);
    } catch (e) {
      this.fault(`uncaught ${describeThrown(e)}`);
    } finally {
      running.c = saved;
    }
  }

  /** upcall with one argument, without a rest array (the IPC resumption path). */
  upcall1<T>(fn: (a: T) => unknown, a: T): void {
    if (this.ended !== undefined) return;
    const saved = running.c;
    running.c = this.id;
    try {
      fn(a);
    } catch (e) {
      this.fault(`uncaught ${describeThrown(e)}`);
    } finally {
      running.c = saved;
    }
  }

  /** upcall with two arguments, without a rest array (the entry path). */
  upcall2<T, U>(fn: (a: T, b: U) => unknown, a: T, b: U): void {
    if (this.ended !== undefined) return;
    const saved = running.c;
    running.c = this.id;
    try {
      fn(a, b);
    } catch (e) {
      this.fault(`uncaught ${describeThrown(e)}`);
    } finally {
      running.c = saved;
    }
  }

  /*
   * The kernel-side wrappers of user callbacks (continuations), made once per callback and
   * kept while the callback lives: components pass the same continuation on every call, so
   * the system-call paths allocate no closure for it. The last one is checked first.
   */
  private readonly wrappers0 = new WrapperCache<() => unknown, () => void>((fn) => () => this.upcall0(fn));
  private readonly wrappers1 = new WrapperCache<(a: never) => unknown, (a: never) => void>((fn) => (a) => this.upcall1(fn, a));
  private readonly wrappers2 = new WrapperCache<(a: never, b: never) => unknown, (a: never, b: never) => void>((fn) => (a, b) => this.upcall2(fn, a, b));

  /** The guarded kernel-side wrapper of a continuation without arguments. */
  continuation(fn: () => unknown): () => void {
    return this.wrappers0.of(fn);
  }

  /** The guarded kernel-side wrapper of a continuation of one argument. */
  resumer<T>(fn: (a: T) => unknown): (a: T) => void {
    return this.wrappers1.of(fn as (a: never) => unknown) as (a: T) => void;
  }

  /** The guarded kernel-side wrapper of a continuation of two arguments. */
  resumer2<T, U>(fn: (a: T, b: U) => unknown): (a: T, b: U) => void {
    return this.wrappers2.of(fn as (a: never, b: never) => unknown) as (a: T, b: U) => void;
  }

  /** upcall without arguments and without a rest array. */
  upcall0(fn: () => unknown): void {
    if (this.ended !== undefined) return;
    const saved = running.c;
    running.c = this.id;
    try {
      fn();
    } catch (e) {
      this.fault(`uncaught ${describeThrown(e)}`);
    } finally {
      running.c = saved;
    }
  }

  /** Ends the domain for `reason` (a fault the kernel found or one reported for it). */
  fault(reason: string): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    this.meter.stop(new Error(`the protection domain "${this.label}" has ended: ${reason}`));
    const t = this.meter.drain();
    if (t > 0) {
      this.ticks += t;
      this.charge(t);
    }
    this.onFault(reason);
  }
}

/*
 * The wrapper of the last function asked for, reused while callers pass the same one (a
 * thread passes the same continuation on every call). Deliberately no table of all
 * functions: where a component passes a fresh closure per call (Fiasco.OC's IPC path), a
 * WeakMap gained one entry per call and its table grew to the peak between collections,
 * which stayed in the heap (session_churn's heap check on fiasco).
 */
class WrapperCache<F extends object, W> {
  private last: F | undefined;
  private lastWrapper: W | undefined;

  constructor(private readonly make: (fn: F) => W) {}

  of(fn: F): W {
    if (fn !== this.last) {
      this.last = fn;
      this.lastWrapper = this.make(fn);
    }
    return this.lastWrapper!;
  }
}
