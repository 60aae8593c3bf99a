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
    return new Promise(this.start);
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
      return new Promise(this.start);
    };
    const wait = this.lock.acquire();
    return wait ? wait.then(begin) : begin();
  }

  /** Writes the request and enters the kernel (a promise executor, allocated once). */
  private readonly start = (resolve: (v: unknown) => void, reject: (e: unknown) => void): void => {
    const msg = this.msg;
    this.resolve = resolve;
    this.reject = reject;
    try {
      resetMsg(msg);
      if (this.fn) marshalRequest(this.fn, this.args!, msg);
      else this.fill!(msg);
      this.send(this.dst!);
    } catch (e) {
      /* the kernel was not entered (or refused the arguments): the call ends here */
      if (this.reject === reject) this.end(reject, e);
    }
  };

  /** The kernel returned from the call: `failure` if it failed, else the reply is in the message buffer. */
  protected replied(failure?: unknown): void {
    if (failure !== undefined) return this.end(this.reject!, failure);
    const fn = this.fn;
    let result: unknown;
    try {
      result = fn ? unmarshalReply(fn, this.msg, this.releaseCap) : this.take!(this.msg);
    } catch (e) {
      return this.end(this.reject!, e);
    }
    this.end(this.resolve!, result);
  }

  /** Ends the call in flight: settles its promise with `value` and frees the thread. */
  private end(settle: (value: unknown) => void, value: unknown): void {
    this.resolve = this.reject = this.take = this.fill = this.fn = this.args = this.dst = undefined;
    try {
      settle(value);
    } finally {
      this.lock.release();
    }
  }

  private readonly releaseCap = (cap: Capability<unknown>): void => this.release(cap);
}
