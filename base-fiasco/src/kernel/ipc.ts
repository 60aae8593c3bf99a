/*
 * The IPC path: l4_ipc() with its send and receive phases.
 *
 * Send phase: through an IPC gate to the gate's thread (the receiver gets the gate's
 * label), through the reply capability to the caller, or to an IRQ (trigger / EOI). If the
 * receiver is waiting, the message is transferred and the CPU switches to it directly;
 * otherwise the sender queues at the receiver (or fails at once with a zero timeout).
 * Queues are ordered by priority, FIFO within one (sender_queue.ts). A gate that has no
 * thread yet holds its senders itself until it is bound or deleted.
 * Receive phase: closed (from the called thread, or from an IRQ) or open (from anyone):
 * a queued sender or pending IRQ is taken at once, else the thread blocks, possibly with
 * a timeout. Results are a tag (with L4_MSGTAG_ERROR and the code in the thread control
 * register on failure) and the received label.
 *
 * The kernel returns into a thread by calling its continuation; that happens as the last
 * step of a system call, when the kernel's state is consistent again.
 */
import {
  L4_IPC_ENOT_EXISTENT, L4_IPC_NO_REPLY_CAP, L4_IPC_REABORTED, L4_IPC_RETIMEOUT, L4_IPC_SEABORTED, L4_IPC_SETIMEOUT,
  L4_IRQ_OP_EOI, L4_PROTO_IRQ, L4_PROTO_KOBJECT, L4_PROTO_THREAD, L4_SYSF_OPEN_WAIT, L4_SYSF_RECV, L4_SYSF_REPLY, L4_SYSF_SEND,
  UTCB_TCR_ERRORCODE, capSlot, isInvalidCap,
} from './consts.js';
import { Cost } from './cost_model.js';
import { L4_CAP_FPAGE_S, L4_CAP_FPAGE_W } from './fpage.js';
import { IpcGate } from './ipc_gate.js';
import { Irq } from './irq.js';
import type { Fiasco } from './kernel.js';
import type { KObject } from './kobject.js';
import { L4_MSGTAG_ERROR, l4_msgtag, l4_msgtag_items, l4_msgtag_label, l4_msgtag_words } from './msgtag.js';
import { IpcState, Thread, type Resume } from './thread.js';
import { rcvTimeout, sndTimeout, timeoutUs } from './timeout.js';
import { transferMessage } from './transfer.js';
import { MAX_PRIO } from './scheduler.js';
import type { SenderQueue } from './sender_queue.js';

const ERROR_TAG = l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);
const OK_TAG = l4_msgtag(0, 0, 0, 0);
const IRQ_TAG = l4_msgtag(L4_PROTO_IRQ, 0, 0, 0);

export class IpcPath {
  constructor(private readonly k: Fiasco) {}

  /** l4_ipc(dest, flags, tag, timeout): the one system call of Fiasco.OC. */
  ipc(t: Thread, dest: number, flags: number, tag: number, timeout: number, resume: Resume): void {
    const k = this.k;
    k.enter();
    if (t.state === IpcState.DEAD || !t.utcb || k.stopped) return; // a dead thread never returns
    /*
     * A thread blocked in IPC cannot make a system call on real hardware; user code that
     * calls again through a thread that waits (asynchronous code can) is refused without
     * touching the pending IPC: its UTCB and state belong to that one.
     */
    if (t.state !== IpcState.IDLE) return resume(ERROR_TAG, 0);
    t.utcb![UTCB_TCR_ERRORCODE] = 0;
    let from: KObject | undefined;

    if (flags & L4_SYSF_SEND) {
      if (flags & L4_SYSF_REPLY) {
        const caller = t.replyTo;
        t.replyTo = undefined;
        if (!caller) return this.fail(t, resume, L4_IPC_NO_REPLY_CAP);
        /* the reply capability is good only while the caller waits for this thread */
        if (caller.state !== IpcState.RECEIVING || caller.openWait || caller.partner !== t) return this.fail(t, resume, L4_IPC_SETIMEOUT);
        return this.send(t, caller, 0, tag, flags, timeout, resume);
      }
      if (isInvalidCap(dest)) return this.fail(t, resume, L4_IPC_ENOT_EXISTENT);
      k.charge(Cost.CAP_LOOKUP);
      const e = t.task!.objects.lookup(capSlot(dest));
      if (!e) return this.fail(t, resume, L4_IPC_ENOT_EXISTENT);
      const obj = e.obj;
      if (obj instanceof IpcGate && !(l4_msgtag_label(tag) === L4_PROTO_KOBJECT && (e.rights & L4_CAP_FPAGE_W))) {
        return this.sendThroughGate(t, obj, e.rights & (L4_CAP_FPAGE_W | L4_CAP_FPAGE_S), tag, flags, timeout, resume);
      }
      if (obj instanceof Irq && l4_msgtag_label(tag) === L4_PROTO_IRQ) {
        /* no words: trigger; an EOI word: acknowledge, and with a receive phase wait for the IRQ */
        if (l4_msgtag_words(tag) === 0) this.hit(obj);
        else if (t.utcb[0] === L4_IRQ_OP_EOI) k.eoi(obj);
        if (!(flags & L4_SYSF_RECV)) return resume(OK_TAG, 0);
        from = obj;
        const got = this.receive(t, (flags & L4_SYSF_OPEN_WAIT) ? undefined : from, rcvTimeout(timeout), resume);
        return got?.();
      }
      /*
       * IPC to a thread's capability (any protocol but the thread's own) that waits in a
       * closed receive for the sender: a message to that thread, with label 0. A thread
       * waiting for a partner's reply takes it from that partner this way too (core's
       * pager resumes a faulter it left waiting, Genode's acknowledge_wakeup). Fiasco
       * sends any such IPC to the thread; here one to a thread that does not wait for
       * the sender is a kernel-object invocation (-EBADPROTO) and blocks nobody.
       */
      if (obj instanceof Thread && l4_msgtag_label(tag) !== L4_PROTO_THREAD && l4_msgtag_label(tag) !== L4_PROTO_KOBJECT
        && obj.state === IpcState.RECEIVING && !obj.openWait && obj.partner === t) {
        return this.send(t, obj, 0, tag, flags, timeout, resume);
      }
      /* a kernel object: it performs the operation and replies at once */
      const reply = obj.invoke({ kernel: k, caller: t, entry: e, tag, utcb: t.utcb });
      return resume(reply, 0);
    }

    if (!(flags & L4_SYSF_RECV)) return resume(OK_TAG, 0);
    if (!(flags & L4_SYSF_OPEN_WAIT)) {
      k.charge(Cost.CAP_LOOKUP);
      const e = isInvalidCap(dest) ? undefined : t.task!.objects.lookup(capSlot(dest));
      if (!e) return this.fail(t, resume, L4_IPC_ENOT_EXISTENT | 1);
      from = e.obj instanceof IpcGate ? e.obj.thread : e.obj;
    }
    const got = this.receive(t, from, rcvTimeout(timeout), resume);
    if (got) got();
  }

  /**
   * A send through an IPC gate. A gate without a thread blocks the sender at the gate
   * (subject to its send timeout) until the gate is bound or deleted; a gate bound to a
   * dead thread fails the send. The receiver sees the gate's label with the rights bits.
   */
  private sendThroughGate(t: Thread, gate: IpcGate, rights: number, tag: number, flags: number, timeout: number, resume: Resume): void {
    const rcv = gate.thread;
    if (!rcv) {
      if (!gate.alive || timeoutUs(sndTimeout(timeout)) === 0) return this.fail(t, resume, gate.alive ? L4_IPC_SETIMEOUT : L4_IPC_ENOT_EXISTENT);
      t.sendGate = gate;
      t.sendRights = rights;
      return this.block(t, gate.waiters, tag, flags, timeout, resume);
    }
    if (rcv.state === IpcState.DEAD) return this.fail(t, resume, L4_IPC_ENOT_EXISTENT);
    this.send(t, rcv, (gate.label | rights) >>> 0, tag, flags, timeout, resume);
  }

  /** The send phase to a thread: a direct transfer if it waits for `t`, else `t` queues at it. */
  private send(t: Thread, receiver: Thread, label: number, tag: number, flags: number, timeout: number, resume: Resume): void {
    if (receiver.state === IpcState.RECEIVING && (receiver.openWait || receiver.partner === t)) {
      const rtag = l4_msgtag(l4_msgtag_label(tag), l4_msgtag_words(tag), l4_msgtag_items(tag), 0);
      const err = this.deliver(t, receiver, tag, flags);
      this.k.clearDeadline(receiver);
      receiver.state = IpcState.IDLE;
      receiver.partner = undefined;
      if (err) {
        const r = receiver.resume!;
        receiver.resume = undefined;
        this.wakeWithError(receiver, r, err);
        return this.fail(t, resume, err & ~1);
      }
      if (!(flags & L4_SYSF_RECV)) {
        this.switchTo(receiver, rtag, label, t);
        return resume(OK_TAG, 0);
      }
      /* enter the receive phase first, then run the receiver */
      const got = this.receive(t, (flags & L4_SYSF_OPEN_WAIT) ? undefined : receiver, rcvTimeout(timeout), resume);
      if (got) {
        this.makeReady(receiver, rtag, label);
        got();
      } else {
        this.switchTo(receiver, rtag, label, t);
      }
      return;
    }
    if (timeoutUs(sndTimeout(timeout)) === 0) return this.fail(t, resume, L4_IPC_SETIMEOUT);
    /* the receiver is busy: queue up, the rest happens when it receives */
    t.sendLabel = label;
    this.block(t, receiver.senders, tag, flags, timeout, resume);
  }

  /** `t` waits in a sender queue, at its priority, until taken, woken or timed out. */
  private block(t: Thread, queue: SenderQueue<Thread> | SenderQueue<Thread | Irq>, tag: number, flags: number, timeout: number, resume: Resume): void {
    t.state = IpcState.SENDING;
    t.sendTag = tag;
    t.sendFlags = flags;
    t.sendTimeout = timeout;
    t.resume = resume;
    this.setDeadline(t, sndTimeout(timeout));
    t.waitQueue = queue;
    queue.insert(t, t.prio);
  }

  /**
   * A gate was bound or deleted: every sender blocked at it wakes (highest priority
   * first) and tries the send again with its full send timeout, as on Fiasco; if the gate
   * still has no thread (it was deleted) the send fails with ENOT_EXISTENT.
   */
  unblockGate(gate: IpcGate): void {
    for (const s of gate.waiters.takeAll()) {
      s.waitQueue = undefined;
      this.k.clearDeadline(s);
      const r = s.resume!;
      this.k.ready(s.prio, () => {
        /* a cancel or death in between ended the wait already */
        if (s.state !== IpcState.SENDING || s.resume !== r || s.waitQueue) return;
        s.state = IpcState.IDLE;
        s.resume = undefined;
        s.sendGate = undefined;
        if (!gate.thread) return this.fail(s, r, L4_IPC_ENOT_EXISTENT);
        this.sendThroughGate(s, gate, s.sendRights, s.sendTag, s.sendFlags, s.sendTimeout, r);
      });
    }
  }

  /**
   * The receive phase. Takes a queued sender or pending IRQ at once (returning the
   * continuation to run last), or blocks the thread.
   */
  private receive(t: Thread, from: KObject | undefined, timeout: number, resume: Resume): (() => void) | undefined {
    if (from === undefined) {
      for (let s = t.senders.first(); s !== undefined; s = t.senders.first()) {
        if (s instanceof Irq) {
          if (s.pending === 0) {
            t.senders.remove(s);
            continue;
          }
          this.consumeIrq(s, t);
          return () => resume(IRQ_TAG, s.label);
        }
        t.senders.remove(s);
        return this.takeQueued(s, t, resume);
      }
    } else if (from instanceof Irq) {
      if (from.thread !== t) return this.failLater(t, resume, L4_IPC_ENOT_EXISTENT | 1);
      if (from.pending > 0) {
        this.consumeIrq(from, t);
        return () => resume(IRQ_TAG, from.label);
      }
    } else if (from instanceof Thread) {
      if (t.senders.remove(from)) return this.takeQueued(from, t, resume);
    } else {
      return this.failLater(t, resume, L4_IPC_ENOT_EXISTENT | 1);
    }
    if (timeoutUs(timeout) === 0) return this.failLater(t, resume, L4_IPC_RETIMEOUT);
    t.state = IpcState.RECEIVING;
    t.openWait = from === undefined;
    t.partner = from;
    t.resume = resume;
    this.setDeadline(t, timeout);
    t.utcb![UTCB_TCR_ERRORCODE] = 0;
    return undefined;
  }

  /** A queued sender `s` hands its message to `t`, which is in its receive phase now. */
  private takeQueued(s: Thread, t: Thread, resume: Resume): () => void {
    this.k.clearDeadline(s);
    const sresume = s.resume!;
    s.resume = undefined;
    s.waitQueue = undefined;
    s.state = IpcState.IDLE;
    const tag = s.sendTag;
    const label = s.sendLabel;
    const err = this.deliver(s, t, tag, s.sendFlags);
    if (err) {
      this.wakeWithError(s, sresume, err & ~1);
      return () => this.fail(t, resume, err);
    }
    const flags = s.sendFlags;
    if (flags & L4_SYSF_RECV) {
      /* the sender called: it now waits for the reply (or, send-and-wait, for anyone) */
      const got = this.receive(s, (flags & L4_SYSF_OPEN_WAIT) ? undefined : t, rcvTimeout(s.sendTimeout), sresume);
      if (got) this.k.ready(s.prio, got);
    } else {
      this.makeReady(s, OK_TAG, 0, sresume);
    }
    return () => resume(l4_msgtag(l4_msgtag_label(tag), l4_msgtag_words(tag), l4_msgtag_items(tag), 0), label);
  }

  /** Moves the message from `s` to `t`; a call gives `t` the reply capability. Returns 0 or the receive-side error. */
  private deliver(s: Thread, t: Thread, tag: number, flags: number): number {
    const err = transferMessage(this.k, s, t, tag);
    if (err) return err;
    if ((flags & L4_SYSF_RECV) && !(flags & L4_SYSF_OPEN_WAIT)) t.replyTo = s;
    return 0;
  }

  /** Direct switch: `t` continues right away with the message it received. */
  private switchTo(t: Thread, tag: number, label: number, from: Thread): void {
    const k = this.k;
    const r = t.resume!;
    t.resume = undefined;
    k.charge(Cost.THREAD_SWITCH);
    if (from.task !== t.task) k.charge(Cost.AS_SWITCH);
    r(tag, label);
  }

  /** `t` becomes ready and runs from the ready queue. */
  private makeReady(t: Thread, tag: number, label: number, resume?: Resume): void {
    const r = resume ?? t.resume!;
    if (!resume) t.resume = undefined;
    this.k.ready(t.prio, () => r(tag, label));
  }

  /* ---------------------------------------------------------------- IRQs */

  /** An IRQ was triggered or its line fired: deliver one hit, or keep it pending. */
  hit(irq: Irq): void {
    irq.pending++;
    const t = irq.thread;
    if (!t || t.state === IpcState.DEAD) return;
    if (t.state === IpcState.RECEIVING && (t.openWait || t.partner === irq)) {
      this.consumeIrq(irq, t);
      this.k.clearDeadline(t);
      t.state = IpcState.IDLE;
      t.partner = undefined;
      this.makeReady(t, IRQ_TAG, irq.label);
      return;
    }
    /* a pending IRQ queues ahead of threads: Fiasco enqueues IRQ senders at priority 255 */
    if (!t.senders.has(irq)) t.senders.insert(irq, MAX_PRIO);
  }

  private consumeIrq(irq: Irq, t: Thread): void {
    irq.pending--;
    if (irq.pending === 0) t.senders.remove(irq);
  }

  /** An IRQ is bound to `t` (or to nothing): pending hits follow it. */
  rebindIrq(irq: Irq, t: Thread | undefined, label: number): void {
    const old = irq.thread;
    if (old) {
      old.irqs.delete(irq);
      old.senders.remove(irq);
    }
    irq.thread = t;
    irq.label = label;
    if (!t) return;
    t.irqs.add(irq);
    if (irq.pending > 0) {
      irq.pending--;
      this.hit(irq);
    }
  }

  /* ---------------------------------------------------------------- aborts */

  /** Ends `t`'s IPC with `code` (a timeout, a cancel, a partner that died). */
  abort(t: Thread, code: number): void {
    const r = t.resume;
    this.leaveQueue(t);
    if (t.state !== IpcState.SENDING && t.state !== IpcState.RECEIVING) return;
    t.state = IpcState.IDLE;
    t.partner = undefined;
    t.resume = undefined;
    this.k.clearDeadline(t);
    if (r) this.wakeWithError(t, r, code);
  }

  /** The receiver of a queued send timed out or was cancelled: which code the waiter gets. */
  timeoutCode(t: Thread): number {
    return t.state === IpcState.SENDING ? L4_IPC_SETIMEOUT : L4_IPC_RETIMEOUT;
  }

  /** `t` died: it never returns; its queued senders and the caller waiting for its reply learn of it. */
  kill(t: Thread): void {
    this.leaveQueue(t);
    t.state = IpcState.DEAD;
    t.resume = undefined;
    t.partner = undefined;
    this.k.clearDeadline(t);
    for (const s of t.senders.takeAll()) if (s instanceof Thread) this.abort(s, L4_IPC_SEABORTED);
    const caller = t.replyTo;
    t.replyTo = undefined;
    if (caller && caller.state === IpcState.RECEIVING && caller.partner === t) this.abort(caller, L4_IPC_REABORTED);
    for (const irq of [...t.irqs]) this.rebindIrq(irq, undefined, 0);
  }

  /* ---------------------------------------------------------------- helpers */

  /** A sender that stops waiting leaves its queue (at a receiver or at a gate). */
  private leaveQueue(t: Thread): void {
    t.waitQueue?.remove(t);
    t.waitQueue = undefined;
    t.sendGate = undefined;
  }

  private fail(t: Thread, resume: Resume, code: number): void {
    t.utcb![UTCB_TCR_ERRORCODE] = code;
    resume(ERROR_TAG, 0);
  }

  private failLater(t: Thread, resume: Resume, code: number): () => void {
    return () => this.fail(t, resume, code);
  }

  private wakeWithError(t: Thread, resume: Resume, code: number): void {
    if (t.state === IpcState.DEAD) return;
    this.k.ready(t.prio, () => {
      if (t.utcb) t.utcb[UTCB_TCR_ERRORCODE] = code;
      resume(ERROR_TAG, 0);
    });
  }

  private setDeadline(t: Thread, timeout: number): void {
    const us = timeoutUs(timeout);
    if (us === Infinity) return;
    this.k.setDeadline(t, us);
  }
}
