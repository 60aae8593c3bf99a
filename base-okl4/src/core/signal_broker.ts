/*
 * Signals on OKL4 go through core, as Genode's generic signal mechanism does: there is no
 * kernel object for them. Core serves signal sources with a thread of its own (the signal
 * entrypoint). A component's signal thread calls it with its source's local name; core
 * withholds the reply until a context of that source was submitted to, then answers with
 * the context's imprint and the number of submits since the last delivery.
 *
 * Submits come from anywhere in core (an RPC to PD.submit, an interrupt, a parent's
 * session response), so they only record the signal and kick the signal entrypoint with a
 * notify bit; the entrypoint itself sends the withheld replies, because the waiting thread
 * accepts a reply from it alone.
 */
import {
  ANYTHREAD, Acceptor, NILTHREAD, TagFlag, Tcr, ipcFailed, makeTag, mr, tagFlags,
} from '../kernel/abi.js';
import type { Thread } from '../kernel/thread.js';
import { Okl4Capability } from '../lib/capability.js';
import { ExceptionCode } from '../lib/message.js';
import { SIGNAL_MR_COUNT, SIGNAL_MR_IMPRINT, SIGNAL_REPLY_WORDS } from '../lib/signal_protocol.js';
import { SIGNAL_EP_IP, startCoreThread, type CoreEnv } from './core_thread.js';

/** The notify bit that tells the signal entrypoint to look for deliverable signals. */
const KICK_BIT = 1 << 0;
const WAIT_TAG = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);
/** L4_Reply: a send phase that never blocks. */
const REPLY_TAG = makeTag(0, SIGNAL_REPLY_WORDS, 0);
const REPLY_WAIT_TAG = makeTag(0, SIGNAL_REPLY_WORDS, TagFlag.RECEIVE_BLOCK);

interface Source {
  readonly key: number;
  /** The thread blocked in wait_for_signal, whose reply core withholds. */
  waiter: number;
  readonly pending: Context[];
}

interface Context {
  readonly key: number;
  readonly source: Source;
  readonly imprint: number;
  count: number;
  queued: boolean;
}

export class SignalBroker {
  private readonly sources = new Map<number, Source>();
  private readonly contexts = new Map<number, Context>();
  /** Threads that get an error reply (their source is gone, or the request named none). */
  private readonly refused: number[] = [];
  private self: Thread | undefined;
  readonly tid: number;

  constructor(private readonly env: CoreEnv, private readonly newKey: () => number) {
    this.tid = startCoreThread(env, 'signal', SIGNAL_EP_IP, (self) => {
      this.self = self;
      self.utcb[Tcr.ACCEPTOR] = Acceptor.NOTIFY;
      self.utcb[Tcr.NOTIFY_MASK] = KICK_BIT;
      this.wait();
    });
  }

  /* ---------------------------------------------------------------- core's side */

  allocSource(): Okl4Capability {
    const key = this.newKey();
    this.sources.set(key, { key, waiter: NILTHREAD, pending: [] });
    return new Okl4Capability(this.tid, key);
  }

  allocContext(sourceKey: number, imprint: number): Okl4Capability | undefined {
    const source = this.sources.get(sourceKey);
    if (!source) return undefined;
    const key = this.newKey();
    this.contexts.set(key, { key, source, imprint, count: 0, queued: false });
    return new Okl4Capability(this.tid, key);
  }

  /** Frees a context or a source (a waiter of a freed source gets an error reply). */
  free(key: number): void {
    const ctx = this.contexts.get(key);
    if (ctx) {
      this.contexts.delete(key);
      const i = ctx.source.pending.indexOf(ctx);
      if (i >= 0) ctx.source.pending.splice(i, 1);
      return;
    }
    const source = this.sources.get(key);
    if (!source) return;
    this.sources.delete(key);
    for (const [k, c] of this.contexts) if (c.source === source) this.contexts.delete(k);
    if (source.waiter !== NILTHREAD) {
      this.refused.push(source.waiter);
      this.kick();
    }
  }

  /** Records `count` submits to the context with `key` (a forged key reaches whatever context has it). */
  submit(key: number, count: number): void {
    const ctx = this.contexts.get(key);
    if (!ctx || !this.sources.has(ctx.source.key)) return;
    ctx.count += count;
    if (!ctx.queued) {
      ctx.queued = true;
      ctx.source.pending.push(ctx);
    }
    if (ctx.source.waiter !== NILTHREAD) this.kick();
  }

  private kick(): void {
    this.env.kernel.notify(this.env.main, this.tid, KICK_BIT);
  }

  /* ---------------------------------------------------------------- the signal entrypoint thread */

  private wait(): void {
    const t = this.self!;
    t.utcb[mr(0)] = WAIT_TAG;
    this.env.kernel.ipc(t, NILTHREAD, ANYTHREAD, this.onReceive);
  }

  private readonly onReceive = (from: number): void => {
    const u = this.self!.utcb;
    const tag = u[mr(0)]!;
    if (ipcFailed(tag)) return this.wait();
    if ((tagFlags(tag) & TagFlag.NOTIFY) === 0) {
      /* wait_for_signal: remember the caller, reply when there is something */
      const source = (tag & 0x3f) >= 1 ? this.sources.get(u[mr(1)]!) : undefined;
      if (!source || source.waiter !== NILTHREAD) this.refused.push(from);
      else source.waiter = from;
    }
    this.deliver();
  };

  /** Sends the withheld replies one by one (continuing here), the last one with the wait for more. */
  private readonly deliver = (): void => {
    const job = this.nextJob();
    if (!job) return this.wait();
    this.reply(job.to, job.code, job.imprint, job.count, !this.hasJob());
  };

  private hasJob(): boolean {
    if (this.refused.length > 0) return true;
    for (const source of this.sources.values()) if (source.waiter !== NILTHREAD && source.pending.length > 0) return true;
    return false;
  }

  private nextJob(): { to: number; code: ExceptionCode; imprint: number; count: number } | undefined {
    const refused = this.refused.shift();
    if (refused !== undefined) return { to: refused, code: ExceptionCode.INVALID_OBJECT, imprint: 0, count: 0 };
    for (const source of this.sources.values()) {
      if (source.waiter === NILTHREAD || source.pending.length === 0) continue;
      const ctx = source.pending.shift()!;
      const count = ctx.count;
      ctx.count = 0;
      ctx.queued = false;
      const to = source.waiter;
      source.waiter = NILTHREAD;
      return { to, code: ExceptionCode.NONE, imprint: ctx.imprint, count };
    }
    return undefined;
  }

  /** L4_Reply, or for the last reply L4_ReplyWait: answer and wait for the next request in one call. */
  private reply(to: number, code: ExceptionCode, imprint: number, count: number, last: boolean): void {
    const t = this.self!;
    const u = t.utcb;
    u[mr(1)] = code;
    u[mr(2)] = 0;
    u[mr(SIGNAL_MR_IMPRINT)] = imprint;
    u[mr(SIGNAL_MR_COUNT)] = count;
    /* a waiter that is gone makes the reply fail (and skips the wait): onReceive waits afresh */
    if (last) {
      u[mr(0)] = REPLY_WAIT_TAG;
      this.env.kernel.ipc(t, to, ANYTHREAD, this.onReceive);
    } else {
      u[mr(0)] = REPLY_TAG;
      this.env.kernel.ipc(t, to, NILTHREAD, this.deliver);
    }
  }
}
