/*
 * NOVA's kernel objects: protection domain (PD), execution context (EC), scheduling
 * context (SC), portal (PT), semaphore (SM) and Genode's signal semaphore (SI).
 * An object lives as long as some capability names it (reference count).
 */
import { ObjectSpace } from './capability_space.js';
import { ThreadHold } from '../../../base/src/util/thread_hold.js';
import { MemorySpace } from './memory_space.js';
import type { Status } from './abi.js';
import type { QueuedWork } from '../../../base/src/util/run_queue.js';

/** A bitmap of I/O ports (a Set of 65536 entries would cost the root PD milliseconds at boot). */
export class IoSpace {
  private readonly bits = new Uint8Array(0x10000 / 8);

  has(port: number): boolean {
    return port >= 0 && port < 0x10000 && (this.bits[port >> 3]! & (1 << (port & 7))) !== 0;
  }

  add(port: number): void {
    this.bits[port >> 3]! |= 1 << (port & 7);
  }

  addAll(): void {
    this.bits.fill(0xff);
  }

  clear(): void {
    this.bits.fill(0);
  }
}

export abstract class KernelObject {
  refs = 0;
  abstract readonly kind: string;
  /** Called when the last capability is gone. */
  destroy(): void {}
}

/** Code loaded into a PD: entry IPs map to functions (the emulated text segment). */
export type EntryFunction = (arg: number, self: Ec) => unknown;

export class Pd extends KernelObject {
  readonly kind = 'PD';
  readonly objects = new ObjectSpace();
  readonly memory = new MemorySpace();
  /** The PD's I/O space: which of the 65536 ports it may access. */
  readonly ioPorts = new IoSpace();
  readonly code = new Map<number, EntryFunction>();
  /**
   * UTCB pages of destroyed ECs, still mapped at their virtual page: an EC created at the
   * same UTCB address gets the page again. They go back to the kernel with the PD only (user
   * code may still hold a view of one).
   */
  readonly spareUtcbs = new Map<number, number>();
  readonly ecs = new Set<Ec>();
  alive = true;
  /** Called when the PD dies, so the kernel can clean up (set by the hypervisor). */
  onDestroy?: (pd: Pd) => void;

  constructor(readonly name: string) {
    super();
  }

  override destroy(): void {
    if (!this.alive) return;
    this.alive = false;
    this.onDestroy?.(this);
  }
}

/** A pending kernel wait: resolving it resumes the blocked EC. */
export interface Waiter<T = Status> {
  ec: Ec;
  resume: (value: T) => void;
  /** Set while the EC waits in its page-fault exception: the message words the handler gets. */
  exception?: readonly number[] | undefined;
}

export class Ec extends KernelObject {
  readonly kind = 'EC';
  sc: Sc | undefined;
  /** For a local EC: the call it is serving (its partner), if any. */
  caller: Waiter | undefined;
  /** This EC's record while it waits in a call (reused: one call at a time). */
  callWaiter: Waiter | undefined;
  /** The continuation of the call this EC waits in, if it does. */
  pendingResume: ((status: Status) => void) | undefined;
  /** Ends the wait: the call's continuation runs once. */
  readonly resumeCall = (status: Status): void => {
    /* a recalled EC is held in its recall exception: the reply reaches it when core resumes it */
    if (this.hold.held) return this.hold.pass(() => this.resumeCall(status));
    const r = this.pendingResume;
    this.pendingResume = undefined;
    r?.(status);
  };
  /** Paused by core (ec_ctrl RECALL): held in its recall exception until core's pager replies. */
  readonly hold = new ThreadHold();
  /** For a local EC: its next system call, queued behind user-level work still to spend (helpers boost it). */
  pendingWork: QueuedWork | undefined;
  /** Callers that found this local EC busy: they help it, and retry their calls when it replies. */
  readonly callQueue: Array<{ caller: Waiter; pt: Pt }> = [];
  /** For a local EC: the helper whose retried call it is reserved for (nextCaller). */
  retrying: { caller: Waiter; pt: Pt } | undefined;
  /** The local EC serving this EC's call (NOVA's partner), while it does. */
  partner: Ec | undefined;
  /** The local EC this EC waits for, helping it, while its call is queued there. */
  helping: Ec | undefined;
  alive = true;
  /**
   * ec_ctrl(RECALL) was made on this EC: on NOVA it raises its recall exception the next
   * time it would return to user mode. There are no exception portals here: the EC is held
   * (`hold`) as if core's pager kept it in that exception, until core resumes it
   * (Hypervisor.recallReply); the flag itself is what ecRecalled reads and clears.
   */
  recalled = false;
  /** The virtual page the UTCB is mapped at in the PD. */
  utcbVpage = 0;
  /** The kernel's teardown, run when the last capability of the EC is revoked. */
  onDestroy: ((ec: Ec) => void) | undefined;

  override destroy(): void {
    if (this.alive) this.onDestroy?.(this);
  }

  constructor(
    readonly pd: Pd,
    readonly name: string,
    readonly utcb: Uint32Array,
    readonly utcbPhys: number,
    readonly global: boolean,
    /**
     * Where the EC runs: its entry IP (a local EC: none, its portals have IPs); for a global
     * EC of a PD with a startup portal, what the startup exception's reply set.
     */
    public ip: number,
    /** The initial stack pointer create_ec was given (what a startup handler sees as ESP). */
    public sp: number,
  ) {
    super();
  }

  /** Priority used for wake-ups: a local EC runs on its caller's donated SC. */
  get prio(): number {
    return this.sc?.prio ?? 0;
  }
}

export class Sc extends KernelObject {
  readonly kind = 'SC';
  /** CPU cycles of user work run on this SC, including that of local ECs it was donated to. */
  consumed = 0;
  constructor(readonly ec: Ec, readonly prio: number, readonly quantum: number) {
    super();
  }
}

export class Pt extends KernelObject {
  readonly kind = 'PT';
  id = 0;
  constructor(readonly ec: Ec, readonly ip: number, readonly mtd: number) {
    super();
  }
}

export interface SemaphoreWaiter extends Waiter {
  deadline: number | undefined;
}

/**
 * A GSI whose semaphore is bound to a signal (Genode's NOVA: assign_gsi with a signal
 * semaphore): an occurrence submits the signal and masks the GSI until the holder of the
 * GSI semaphore acknowledges it with sm_ctrl(DOWN); one in between is kept pending.
 */
export interface GsiSignal { irq: number; si: Si | undefined; masked: boolean; pending: boolean }

export class Sm extends KernelObject {
  readonly kind = 'SM';
  readonly waiters: SemaphoreWaiter[] = [];
  /** Set for a GSI semaphore assigned with a signal. */
  gsi: GsiSignal | undefined;
  /** Signal semaphores with pending submissions, in submission order. */
  readonly pendingSignals: Si[] = [];
  constructor(public count: number) {
    super();
  }
}

/** Genode's signal semaphore: a counter with an imprint, chained to an SM. */
export class Si extends KernelObject {
  readonly kind = 'SI';
  count = 0;
  queued = false;
  constructor(readonly sm: Sm, readonly imprint: number) {
    super();
  }
}
