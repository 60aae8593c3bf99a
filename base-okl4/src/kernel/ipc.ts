/*
 * The IPC path: L4_Ipc with an optional send phase and an optional receive phase, and
 * asynchronous notification.
 *
 * Send: the destination is looked up by global ID (number and version). If it waits in a
 * receive phase that accepts the sender (anythread or exactly this sender), the untyped
 * words move at once and the receiver runs; otherwise the sender blocks in the destination's
 * send queue if the tag says SEND_BLOCK, or the phase fails with "would block".
 * Receive: pending notify bits the acceptor allows come first, then the first queued
 * sender that matches the from-specifier; if none, the thread blocks if the tag says
 * RECEIVE_BLOCK. A failed phase sets the error flag in the returned tag and the ErrorCode
 * TCR; a failed send phase skips the receive phase.
 *
 * Continuations are collected while the kernel changes state and run at the end of the
 * system call, so a woken thread always sees a consistent kernel.
 */
import {
  ANYTHREAD, Acceptor, IpcErr, IpcPhase, NILTHREAD, NOTIFY_LABEL, TagFlag, Tcr, ipcErrorWord, makeTag, mr, tagFlags,
} from './abi.js';
import { Cost, type Okl4Accounting } from './cost_model.js';
import type { Scheduler } from './scheduler.js';
import { ThreadState, type IpcResume, type Thread } from './thread.js';
import type { ThreadTable } from './thread_table.js';

const MR0 = mr(0);
const TAG_KEEP = ~(0xf << 12); // a delivered tag carries label and counts, not the sender's flags
/** The tag's typed-word count: OKL4 2.1 transfers no typed items, so a message claiming any is malformed. */
const TAG_TYPED = 0x3f << 6;

export class IpcEngine {
  /* Threads whose IPC completed during this system call, with the sender they got (parallel queues: no allocation per IPC). */
  private readonly doneThreads: Thread[] = [];
  private readonly doneResumes: IpcResume[] = [];
  private readonly doneFrom: number[] = [];
  private flushing = false;

  constructor(
    private readonly threads: ThreadTable,
    private readonly accounting: Okl4Accounting,
    private readonly scheduler: Scheduler,
  ) {}

  /** L4_Ipc(to, fromSpec, tag in MR0): `resume` is called once, when the IPC returns. */
  ipc(self: Thread, to: number, fromSpec: number, resume: IpcResume): void {
    const flags = tagFlags(self.utcb[MR0]!);
    if (to !== NILTHREAD && !this.send(self, to, fromSpec, flags, resume)) return this.flush();
    if (self.state !== ThreadState.RUNNING) return this.flush(); // blocked in the send phase
    if (fromSpec === NILTHREAD) {
      self.utcb[MR0] = self.utcb[MR0]! & TAG_KEEP;
      self.utcb[Tcr.ERROR_CODE] = 0;
      this.complete(self, resume, NILTHREAD);
    } else {
      this.receive(self, fromSpec, (flags & TagFlag.RECEIVE_BLOCK) !== 0, resume);
    }
    this.flush();
  }

  /** The send phase; false if it failed (the error is reported and the IPC is over). */
  private send(self: Thread, to: number, fromSpec: number, flags: number, resume: IpcResume): boolean {
    if (self.utcb[MR0]! & TAG_TYPED) {
      this.fail(self, resume, IpcErr.MSG_OVERFLOW, IpcPhase.SEND);
      return false;
    }
    this.accounting.charge(Cost.TID_LOOKUP);
    const dst = this.threads.lookup(to);
    if (!dst || !dst.alive) {
      this.fail(self, resume, IpcErr.NON_EXIST, IpcPhase.SEND);
      return false;
    }
    if (dst.state === ThreadState.RECV_BLOCKED && (dst.fromSpec === ANYTHREAD || dst.fromSpec === self.id)) {
      this.transfer(self, dst);
      this.complete(dst, dst.resume!, self.id);
      return true;
    }
    if ((flags & TagFlag.SEND_BLOCK) === 0) {
      this.fail(self, resume, IpcErr.TIMEOUT, IpcPhase.SEND);
      return false;
    }
    self.state = ThreadState.SEND_BLOCKED;
    self.sendingTo = dst;
    self.fromSpec = fromSpec;
    self.receiveBlocks = (flags & TagFlag.RECEIVE_BLOCK) !== 0;
    self.resume = resume;
    dst.sendQueue.push(self);
    return true;
  }

  private receive(self: Thread, fromSpec: number, blocks: boolean, resume: IpcResume): void {
    const u = self.utcb;
    if (u[Tcr.ACCEPTOR]! & Acceptor.NOTIFY) {
      const bits = u[Tcr.NOTIFY_BITS]! & u[Tcr.NOTIFY_MASK]!;
      if (bits !== 0) {
        this.takeNotify(self, bits);
        this.complete(self, resume, NILTHREAD);
        return;
      }
    }
    let sender: Thread | undefined;
    if (fromSpec === ANYTHREAD) {
      sender = self.sendQueue.shift();
    } else {
      this.accounting.charge(Cost.TID_LOOKUP);
      const want = this.threads.lookup(fromSpec);
      if (!want) {
        this.fail(self, resume, IpcErr.NON_EXIST, IpcPhase.RECEIVE);
        return;
      }
      const i = self.sendQueue.indexOf(want);
      if (i >= 0) sender = self.sendQueue.splice(i, 1)[0];
    }
    if (sender) {
      this.transfer(sender, self);
      this.sendDone(sender);
      this.complete(self, resume, sender.id);
      return;
    }
    if (!blocks) {
      this.fail(self, resume, IpcErr.TIMEOUT, IpcPhase.RECEIVE);
      return;
    }
    self.state = ThreadState.RECV_BLOCKED;
    self.fromSpec = fromSpec;
    self.resume = resume;
  }

  /** A queued sender's message was taken: it goes on with its receive phase, if it has one. */
  private sendDone(sender: Thread): void {
    const resume = sender.resume!;
    sender.sendingTo = undefined;
    sender.resume = undefined;
    sender.state = ThreadState.RUNNING;
    if (sender.fromSpec === NILTHREAD) {
      sender.utcb[MR0] = sender.utcb[MR0]! & TAG_KEEP; // the send flags must not read as an error
      sender.utcb[Tcr.ERROR_CODE] = 0;
      this.complete(sender, resume, NILTHREAD);
    } else {
      this.receive(sender, sender.fromSpec, sender.receiveBlocks, resume);
    }
  }

  /** Copies the tag and the untyped words from `src`'s message registers into `dst`'s. */
  private transfer(src: Thread, dst: Thread): void {
    const s = src.utcb;
    const d = dst.utcb;
    const tag = s[MR0]!;
    /* u is six bits: MR0 and at most 63 words, within the 64 registers; typed counts never pass on */
    const u = tag & 0x3f;
    d[MR0] = tag & TAG_KEEP & ~TAG_TYPED;
    if (u <= 8) {
      for (let i = MR0 + 1; i <= MR0 + u; i++) d[i] = s[i]!;
    } else {
      d.set(s.subarray(MR0 + 1, MR0 + 1 + u), MR0 + 1);
    }
    d[Tcr.ERROR_CODE] = 0;
    this.accounting.charge(Cost.MR_COPY, u + 1);
    if (src.space !== dst.space) this.accounting.charge(Cost.AS_SWITCH);
  }

  private takeNotify(t: Thread, bits: number): void {
    const u = t.utcb;
    u[Tcr.NOTIFY_BITS] = u[Tcr.NOTIFY_BITS]! & ~bits;
    u[MR0] = makeTag(NOTIFY_LABEL, 1, TagFlag.NOTIFY);
    u[MR0 + 1] = bits;
    u[Tcr.ERROR_CODE] = 0;
  }

  private fail(t: Thread, resume: IpcResume, code: IpcErr, phase: IpcPhase): void {
    t.utcb[MR0] = makeTag(0, 0, TagFlag.ERROR);
    t.utcb[Tcr.ERROR_CODE] = ipcErrorWord(code, phase);
    this.complete(t, resume, NILTHREAD);
  }

  private complete(t: Thread, resume: IpcResume, from: number): void {
    t.state = ThreadState.RUNNING;
    t.resume = undefined;
    this.doneThreads.push(t);
    this.doneResumes.push(resume);
    this.doneFrom.push(from);
  }

  /** Runs the continuations of this system call, first woken partner first. */
  private flush(): void {
    if (this.flushing) return; // an outer flush picks up what nested system calls added
    this.flushing = true;
    try {
      while (this.doneThreads.length > 0) {
        const t = this.doneThreads.shift()!;
        const resume = this.doneResumes.shift()!;
        const from = this.doneFrom.shift()!;
        if (!t.alive) continue;
        if (this.scheduler.gated) this.resumeAtGate(resume, from);
        else resume(from);
      }
    } finally {
      this.flushing = false;
    }
  }

  /* made apart from flush: a closure there would make V8 allocate its variables on every call */
  private resumeAtGate(resume: IpcResume, from: number): void {
    this.scheduler.resume(() => resume(from));
  }

  /* ---------------------------------------------------------------- notification */

  /** Sets notify bits; a thread waiting with the notify acceptor and a matching mask wakes up. */
  notify(t: Thread, bits: number): void {
    this.accounting.charge(Cost.NOTIFY);
    const u = t.utcb;
    u[Tcr.NOTIFY_BITS] = (u[Tcr.NOTIFY_BITS]! | bits) >>> 0;
    if (t.state !== ThreadState.RECV_BLOCKED || (u[Tcr.ACCEPTOR]! & Acceptor.NOTIFY) === 0) return;
    const pending = u[Tcr.NOTIFY_BITS]! & u[Tcr.NOTIFY_MASK]!;
    if (pending === 0) return;
    this.takeNotify(t, pending);
    const resume = t.resume!;
    t.resume = undefined;
    t.state = ThreadState.RUNNING;
    /* asynchronous: the woken thread runs through the run queue, not as a direct switch */
    this.scheduler.makeReady(t.priority, () => t.alive && resume(NILTHREAD));
  }

  /* ---------------------------------------------------------------- cancellation */

  /** Aborts a blocked IPC of `t` (ExchangeRegisters' cancel bits) with CANCELED. */
  cancel(t: Thread, send: boolean, receive: boolean): void {
    if (send && t.state === ThreadState.SEND_BLOCKED) {
      this.unqueue(t);
      this.fail(t, t.resume!, IpcErr.CANCELED, IpcPhase.SEND);
    } else if (receive && t.state === ThreadState.RECV_BLOCKED) {
      this.fail(t, t.resume!, IpcErr.CANCELED, IpcPhase.RECEIVE);
    }
    this.flush();
  }

  private unqueue(t: Thread): void {
    const q = t.sendingTo?.sendQueue;
    const i = q ? q.indexOf(t) : -1;
    if (i >= 0) q!.splice(i, 1);
    t.sendingTo = undefined;
  }

  /**
   * `t` is being deleted: its own blocked IPC ends, its queued senders and the threads
   * waiting to receive from it specifically fail with ABORTED.
   */
  abortPartnersOf(t: Thread, all: Iterable<Thread>): void {
    if (t.state === ThreadState.SEND_BLOCKED) this.unqueue(t);
    t.resume = undefined;
    for (const s of t.sendQueue.splice(0)) {
      s.sendingTo = undefined;
      this.fail(s, s.resume!, IpcErr.ABORTED, IpcPhase.SEND);
    }
    for (const r of all) {
      if (r !== t && r.state === ThreadState.RECV_BLOCKED && r.fromSpec === t.id) {
        this.fail(r, r.resume!, IpcErr.ABORTED, IpcPhase.RECEIVE);
      }
    }
    this.flush();
  }
}
