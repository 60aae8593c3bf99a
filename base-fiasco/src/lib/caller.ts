/*
 * The client side of RPC on Fiasco.OC: the request goes into the calling thread's message
 * registers with the callee's badge as protocol word, l4_ipc_call through the capability's
 * slot, the reply comes back in the same registers. Calls of one thread are serialised.
 */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError, PageFault } from '../../../base/src/errors.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import { ThreadCaller } from '../../../base/src/rpc/thread_caller.js';
import { IPC_ERROR_NAMES, L4_IPC_ENOT_EXISTENT, L4_IPC_REABORTED, L4_IPC_SEABORTED } from '../kernel/consts.js';
import type { FocSyscalls } from '../kernel/syscall_gate.js';
import { l4_ipc_call, l4_ipc_error, l4_ipc_gate_get_infos } from '../kernel/l4sys.js';
import { l4_error, l4_msgtag_has_error, l4_msgtag_label, l4_msgtag_words } from '../kernel/msgtag.js';
import { L4_IPC_NEVER } from '../kernel/timeout.js';
import { INVALID_BADGE, focCap, type FocCapability } from './capability.js';
import type { FocIpcThread } from './ipc_thread.js';

export class FocCaller extends ThreadCaller<FocCapability> {
  protected readonly capabilityKind = 'a Fiasco.OC capability';
  /* why the call in flight failed, found when the kernel returned */
  private failure: Error | undefined;

  constructor(private readonly k: FocSyscalls, private readonly ipc: FocIpcThread) {
    super(ipc.msg);
  }

  protected target(cap: Capability<unknown>): FocCapability | undefined {
    return focCap(cap);
  }

  protected send(c: FocCapability): void {
    const ipc = this.ipc;
    /* a name without a badge (a guess): the label the kernel reports for a gate there */
    const badge = c.badge === INVALID_BADGE ? this.gateBadge(c.kcap) : c.badge;
    const tag = ipc.prepareSend(badge);
    ipc.armReceiveWindow();
    l4_ipc_call(this.k, ipc.thread, c.kcap, tag, L4_IPC_NEVER, this.onReply);
  }

  /**
   * Touches `addr` as `access` on this thread: a page fault, which the kernel sends to the
   * thread's pager (core) as an IPC on its behalf. It waits for the thread's call in flight
   * (the thread is blocked in it). Settles when the pager replied; a pager that left the
   * address unmapped (a wake-up after a fault handler's work) makes the caller fault again.
   */
  fault(addr: number, access: MemoryAccess): Promise<void> {
    const go = () => new Promise<void>((resolve, reject) => {
      this.k.pageFault(this.ipc.thread, addr, access, (tag) => {
        const err = l4_msgtag_has_error(tag) ? l4_ipc_error(tag, this.ipc.utcb) : -1;
        this.k.userResume(() => {
          this.lock.release();
          if (err === -1) resolve();
          else reject(new PageFault(`page fault: ${access} at 0x${addr.toString(16)} not resolved: ${err === 0 ? 'the thread is in IPC' : IPC_ERROR_NAMES[err] ?? `IPC error ${err}`}`));
        });
      });
    });
    const wait = this.lock.acquire();
    return wait ? wait.then(go) : go();
  }

  /** Drops a capability that arrived in a reply and was not taken (runs when no call is in flight). */
  release(cap: Capability<unknown>): void {
    const c = focCap(cap);
    if (c) this.whenIdle(() => this.ipc.release(c));
  }

  private gateBadge(kcap: number): number {
    const { tag, label } = l4_ipc_gate_get_infos(this.k, this.ipc.thread, kcap);
    return l4_error(tag) === 0 ? (label & ~3) >>> 0 : INVALID_BADGE;
  }

  /**
   * Runs kernel-object operations on this thread's registers once no call of it is in
   * flight (now, if none is): a queued request must stay intact in the message registers.
   */
  whenIdle(fn: () => void): void {
    if (this.lock.tryAcquire()) {
      try { fn(); } finally { this.lock.release(); }
      return;
    }
    void this.lock.acquire()!.then(() => {
      try { fn(); } finally { this.lock.release(); }
    });
  }

  /** The kernel returns from the call here: copy the reply out, then continue at user level. */
  private readonly onReply = (tag: number): void => {
    const err = l4_ipc_error(tag, this.ipc.utcb);
    if (err) this.failure = this.error(err);
    else if (l4_msgtag_label(tag) < 0 && l4_msgtag_words(tag) === 0) {
      this.failure = new InvalidCapability(`${this.dst} names a kernel object, not an RPC object (${l4_msgtag_label(tag)})`);
    } else {
      this.ipc.afterReceive(tag);
      if (this.ipc.malformed !== undefined) {
        this.ipc.releaseReceived();
        this.failure = new IpcError(`the reply through ${this.dst} is malformed: ${this.ipc.malformed}`);
      }
    }
    this.k.userResume(this.finish);
  };

  private readonly finish = (): void => {
    const failure = this.failure;
    this.failure = undefined;
    this.replied(failure);
  };

  private error(code: number): Error {
    if (code === L4_IPC_ENOT_EXISTENT) return new InvalidCapability(`${this.dst} names nothing (never granted, or revoked)`);
    const name = IPC_ERROR_NAMES[code] ?? `error ${code}`;
    const gone = code === L4_IPC_REABORTED || code === L4_IPC_SEABORTED ? ' (the server is gone)' : '';
    return new IpcError(`call through ${this.dst} failed: ${name}${gone}`);
  }
}
