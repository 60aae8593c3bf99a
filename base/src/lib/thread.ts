/*
 * A thread of the component (Genode's Thread): a kernel thread of its own, created through
 * a CPU session, with its own stack slot and UTCB / message registers, started at code
 * that runs the thread's entry function. Its RPCs go through its own IpcCaller, so a call
 * that blocks blocks only this thread, not the main thread or the other threads.
 *
 * JavaScript has no implicit current thread, so the caller is explicit: `thread.rpc(...)`
 * and `thread.client(connection)` make clients that call through this thread. The entry's
 * promise settling ends the thread (Genode: the entry returns); `join` waits for that,
 * `kill` ends it from outside (CPU session's kill_thread). Each thread costs one
 * capability of the CPU session it is created through, given back when it ends.
 */
import type { Capability } from '../capability.js';
import { GenodeError } from '../errors.js';
import { invoke, rpcClient, type IpcCaller } from '../rpc/client.js';
import type { InterfaceClass, RpcFunction } from '../rpc/interface.js';
import type { MsgBuffer } from '../rpc/msgbuf.js';
import { ThreadKind, type CpuSession } from '../session/cpu/session.js';
import { CpuThread, type ThreadState as KernelThreadState } from '../session/cpu_thread/session.js';
import type { SignalContext } from '../session/signal/session.js';
import type { Connection } from './connection.js';
import type { StartedThread } from './runtime.js';
import type { Client, Env } from './env.js';

/** What a thread's entry sees of its own thread: how to call through it. */
export interface CallingThread {
  readonly name: string;
  readonly caller: IpcCaller;
  rpc<T>(iface: InterfaceClass<T>, cap: Capability<T>): Client<T>;
  client<T>(connection: Connection<T>): Client<T>;
}

export type ThreadEntry<R> = (self: CallingThread) => R | Promise<R>;

export interface ThreadOptions {
  /** The CPU session to create the thread through (and pay it from); env.cpu if absent. */
  cpu?: Client<CpuSession>;
}

export type ThreadState = 'created' | 'starting' | 'running' | 'exited' | 'killed';

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export class Thread<R = void> implements CallingThread {
  private threadCap: Capability<CpuThread> | undefined;
  /* the backend's start: the entry may end before it resolved */
  private starting: Promise<StartedThread> | undefined;
  private kernelCaller: IpcCaller | undefined;
  private current: ThreadState = 'created';
  private readonly cpu: Client<CpuSession>;
  /* settles when the kernel first runs the thread (its caller exists then) */
  private running!: (caller: IpcCaller) => void;
  private readonly runs = new Promise<IpcCaller>((r) => (this.running = r));
  private ended!: (outcome: { ok: true; value: R } | { ok: false; error: unknown }) => void;
  private readonly outcome = new Promise<{ ok: true; value: R } | { ok: false; error: unknown }>((r) => (this.ended = r));

  constructor(private readonly env: Env, readonly name: string, private readonly entry: ThreadEntry<R>, opts: ThreadOptions = {}) {
    this.cpu = opts.cpu ?? env.cpu;
  }

  get state(): ThreadState {
    return this.current;
  }

  /** The thread's capability at its CPU session (once started). */
  get cap(): Capability<CpuThread> {
    if (!this.threadCap) throw new GenodeError(`thread "${this.name}" is not started`);
    return this.threadCap;
  }

  /**
   * Creates the kernel thread and starts it. Throws OutOfCaps when the CPU session cannot
   * pay for it, ThreadCreationFailed when the kernel refuses; nothing is kept then.
   */
  async start(): Promise<void> {
    if (this.current !== 'created') throw new GenodeError(`thread "${this.name}" is started already`);
    this.current = 'starting';
    let cap: Capability<CpuThread>;
    try {
      cap = await this.cpu.createThread(this.env.pd.cap, this.name, ThreadKind.GLOBAL);
    } catch (e) {
      this.current = 'created';
      throw e;
    }
    this.threadCap = cap;
    try {
      this.starting = this.env.runtime.startThread(cap, (caller) => this.run(caller));
      await this.starting;
    } catch (e) {
      this.current = 'created';
      this.threadCap = undefined;
      this.starting = undefined;
      await this.cpu.killThread(cap).catch(() => {});
      this.env.runtime.release(cap);
      throw e;
    }
  }

  /** The kernel runs the thread for the first time: the entry starts. */
  private run(caller: IpcCaller): void {
    if (this.current === 'killed') return;
    this.kernelCaller = caller;
    this.current = 'running';
    this.running(caller);
    let p: Promise<R>;
    try {
      p = Promise.resolve(this.entry(this));
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then((value) => this.exit({ ok: true, value }), (error) => this.exit({ ok: false, error }));
  }

  /** The entry returned or threw: the kernel thread goes, and with it its capability quota. */
  private async exit(outcome: { ok: true; value: R } | { ok: false; error: unknown }): Promise<void> {
    if (this.current !== 'running') return;
    if (!outcome.ok) {
      /*
       * An uncaught error is the thread's exception: reported to core through the thread
       * itself (its exception IPC). With an exception handler registered the thread stays
       * stopped in it until someone resumes it; then, or without a handler, it ends.
       */
      const cap = this.threadCap;
      if (cap) await this.rpc(CpuThread, cap).exception(describe(outcome.error).slice(0, 160)).catch(() => false);
      if (this.current !== 'running') return;
    }
    this.current = 'exited';
    if (!outcome.ok) this.env.runtime.diag(`Warning: thread "${this.name}" ended by an uncaught ${describe(outcome.error)}`);
    /* nobody awaits this: a failure to free the thread is reported, not left unhandled */
    await this.destroy().catch((e) => this.env.runtime.diag(`Warning: thread "${this.name}" could not be freed: ${describe(e)}`));
    this.ended(outcome);
  }

  private async destroy(): Promise<void> {
    const cap = this.threadCap;
    if (!cap) return;
    this.threadCap = undefined;
    const started = await this.starting;
    this.starting = undefined;
    await this.cpu.killThread(cap);
    this.env.runtime.release(cap);
    /* the kernel thread is gone: its slot and receive window can serve another */
    started?.release();
  }

  /**
   * Ends the thread from outside (Genode's Cpu_session::kill_thread): it never runs again,
   * a call it has in flight never returns to it. `join` rejects.
   */
  async kill(): Promise<void> {
    if (this.current === 'exited' || this.current === 'killed') return;
    this.current = 'killed';
    await this.destroy();
    this.ended({ ok: false, error: new GenodeError(`thread "${this.name}" was killed`) });
  }

  /** The thread's CPU thread (Genode's Cpu_thread_client of `cap`), called through the main thread. */
  private cpuThread(): Client<CpuThread> {
    return rpcClient(CpuThread, this.cap, this.env.runtime.caller);
  }

  /** Stops the thread (Cpu_thread::pause): its kernel holds it; it makes no progress until `resume`. */
  pause(): Promise<void> {
    return this.cpuThread().pause();
  }

  /** Lets a paused thread, or one stopped in an exception, go on (Cpu_thread::resume). */
  resume(): Promise<void> {
    return this.cpuThread().resume();
  }

  /** The thread's state as core and its kernel report it (Cpu_thread::state). */
  threadState(): Promise<KernelThreadState> {
    return this.cpuThread().state();
  }

  /** The signal context core submits to when the thread raises an exception (Cpu_thread::exception_sigh). */
  exceptionSigh(sigh: Capability<SignalContext>): Promise<void> {
    return this.cpuThread().exceptionSigh(sigh);
  }

  /** Waits until the thread ended: its entry's result, or its error (also when it was killed). */
  async join(): Promise<R> {
    const o = await this.outcome;
    if (o.ok) return o.value;
    throw o.error;
  }

  /**
   * Calls through this thread's UTCB. A call made before the kernel ran the thread waits
   * until it does; a call after it ended fails.
   */
  readonly caller: IpcCaller = {
    call: <T>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => T): Promise<T> =>
      this.through().then((c) => c.call(dst, fill, take)),
    invoke: (dst: Capability<unknown>, fn: RpcFunction, args: unknown[]): Promise<unknown> => {
      const c = this.kernelCaller;
      if (c && this.current === 'running') return invoke(c, dst, fn, args);
      return this.through().then((k) => invoke(k, dst, fn, args));
    },
    release: (cap: Capability<unknown>): void => {
      if (this.kernelCaller?.release) this.kernelCaller.release(cap);
      else this.env.runtime.release(cap);
    },
  };

  private through(): Promise<IpcCaller> {
    if (this.current === 'exited' || this.current === 'killed') {
      return Promise.reject(new GenodeError(`thread "${this.name}" is gone: it cannot call`));
    }
    return this.kernelCaller ? Promise.resolve(this.kernelCaller) : this.runs;
  }

  /** A typed client for `cap` whose calls go through this thread. */
  rpc<T>(iface: InterfaceClass<T>, cap: Capability<T>): Client<T> {
    return rpcClient(iface, cap, this.caller);
  }

  /** The session of `connection`, called through this thread (the same session capability). */
  client<T>(connection: Connection<T>): Client<T> {
    return this.rpc(connection.iface, connection.cap);
  }
}
