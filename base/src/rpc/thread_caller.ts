/*
 * The client side of IPC through one thread, shared by the emulated kernels' backends: a
 * thread makes one call at a time (concurrent callers of the component queue for it in
 * order), so the call in flight is kept in fields. The RPC path allocates nothing per
 * call but the promise the caller awaits: no closure, no bound function, no rest array.
 *
 * A backend says how a call enters its kernel (`send`) and hands the reply back
 * (`replied`); marshalling, the queue and the settling of the promise are here.
 */
import type { Capability } from '../capability.js';
import { InvalidCapability } from '../errors.js';
import { Mutex } from '../util/mutex.js';
import { invalidCapability, marshalRequest, unmarshalReply, type IpcCaller } from './client.js';
import type { RpcFunction } from './interface.js';
import { resetMsg, type MsgBuffer } from './msgbuf.js';

const enum Outcome { PENDING, RESOLVED, REJECTED }

export abstract class ThreadCaller<Dst> implements IpcCaller {
  /** Held from a call's start until its reply is taken (and by a backend's own thread work). */
  protected readonly lock = new Mutex();
  /** The destination of the call in flight. */
  protected dst: Dst | undefined;
  /* the call in flight: an RPC function with its arguments, or fill/take functions */
  private fn: RpcFunction | undefined;
  private args: unknown[] | undefined;
  private fill: ((msg: MsgBuffer) => void) | undefined;
  private take: ((msg: MsgBuffer) => unknown) | undefined;
  private resolve: ((v: unknown) => void) | undefined;
  private reject: ((e: unknown) => void) | undefined;
  /* set while `send` runs: a call that ends then leaves its outcome here */
  private inline = false;
  private settled = Outcome.PENDING;
  private outcome: unknown;

  /** `msg`: the thread's message buffer (over its UTCB or message registers). */
  constructor(protected readonly msg: MsgBuffer) {}

  /** The kernel's name for `cap`, undefined if it is not one of this kernel's. */
  protected abstract target(cap: Capability<unknown>): Dst | undefined;

  /** "a NOVA capability": what `target` accepts, for the error about anything else. */
  protected abstract readonly capabilityKind: string;

  /**
   * Turns the request in `msg` into the kernel's message and enters the kernel, which
   * returns later (or at once) through `replied`. A throw before the kernel was entered
   * (a malformed message) fails the call.
   */
  protected abstract send(dst: Dst): void;

  /** Drops a capability that arrived in a reply and was not taken. */
  abstract release(cap: Capability<unknown>): void;

  call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    return this.enter(dst, this.target(dst), undefined, undefined, fill, take) as Promise<R>;
  }

  /** The RPC fast path: marshals straight into the thread's message buffer. */
  invoke(cap: Capability<unknown>, fn: RpcFunction, args: unknown[]): Promise<unknown> {
    const dst = this.target(cap);
    if (dst === undefined && !cap.valid) return invalidCapability(fn);
    /* the common case, the thread free, without the detour through enter */
    if (dst === undefined || !this.lock.tryAcquire()) return this.enter(cap, dst, fn, args, undefined, undefined);
    this.dst = dst;
    this.fn = fn;
    this.args = args;
    return this.run();
  }

  /**
   * Runs the call set up in the fields. Most calls end before the kernel returns to `send`
   * (the server answered at once): then the outcome is taken from the fields, and the call
   * needs no promise of its own to settle later.
   */
  private run(): Promise<unknown> {
    this.inline = true;
    this.start();
    this.inline = false;
    if (this.settled === Outcome.PENDING) return new Promise(this.wait);
    const value = this.outcome;
    const ok = this.settled === Outcome.RESOLVED;
    this.settled = Outcome.PENDING;
    this.outcome = undefined;
    return ok ? Promise.resolve(value) : Promise.reject(value);
  }

  /** A call that waits for the thread (or fails at once): `dst` is `target(cap)`. */
  private enter(cap: Capability<unknown>, dst: Dst | undefined, fn: RpcFunction | undefined, args: unknown[] | undefined,
    fill: ((msg: MsgBuffer) => void) | undefined, take: ((msg: MsgBuffer) => unknown) | undefined): Promise<unknown> {
    if (dst === undefined) return Promise.reject(new InvalidCapability(`not ${this.capabilityKind}: ${cap}`));
    const begin = (): Promise<unknown> => {
      this.dst = dst;
      this.fn = fn;
      this.args = args;
      this.fill = fill;
      this.take = take;
      return this.run();
    };
    const wait = this.lock.acquire();
    return wait ? wait.then(begin) : begin();
  }

  /** Writes the request and enters the kernel. */
  private start(): void {
    const msg = this.msg;
    try {
      resetMsg(msg);
      if (this.fn) marshalRequest(this.fn, this.args!, msg);
      else this.fill!(msg);
      this.send(this.dst!);
    } catch (e) {
      /* the kernel was not entered (or refused the arguments): the call ends here */
      if (this.settled === Outcome.PENDING) this.end(Outcome.REJECTED, e);
    }
  }

  /** The call went on past `send`: its promise settles when the kernel returns (a promise executor, allocated once). */
  private readonly wait = (resolve: (v: unknown) => void, reject: (e: unknown) => void): void => {
    this.resolve = resolve;
    this.reject = reject;
  };

  /** The kernel returned from the call: `failure` if it failed, else the reply is in the message buffer. */
  protected replied(failure?: unknown): void {
    if (failure !== undefined) return this.end(Outcome.REJECTED, failure);
    const fn = this.fn;
    let result: unknown;
    try {
      result = fn ? unmarshalReply(fn, this.msg, this.releaseCap) : this.take!(this.msg);
    } catch (e) {
      return this.end(Outcome.REJECTED, e);
    }
    this.end(Outcome.RESOLVED, result);
  }

  /**
   * Ends the call in flight with `value` and frees the thread: while `send` runs, the
   * outcome is left in the fields for `run`; later, the call's promise settles.
   */
  private end(how: Outcome, value: unknown): void {
    const settle = how === Outcome.RESOLVED ? this.resolve : this.reject;
    this.resolve = this.reject = this.take = this.fill = this.fn = this.args = this.dst = undefined;
    if (this.inline) {
      this.settled = how;
      this.outcome = value;
      this.lock.release();
      return;
    }
    try {
      settle!(value);
    } finally {
      this.lock.release();
    }
  }

  private readonly releaseCap = (cap: Capability<unknown>): void => this.release(cap);
}
