/*
 * Core's pager thread on OKL4 (Genode's Pager_entrypoint with Ipc_pager): the one thread
 * that every component thread has as its pager (ThreadControl). A page fault arrives as an
 * IPC the kernel sent on the faulter's behalf (label -2 << 4 | rwx, MR1 the address, MR2
 * the IP); the sender's global ID, which no one can fake, names the faulting thread and so
 * its PD. Core's pager says what to map: the thread maps it with MapControl into the PD's
 * space (Genode: L4_MapFpage with a physical descriptor) and answers the faulter with an
 * empty reply, which lets it run again, in one L4_ReplyWait.
 *
 * A fault that went to a region map's fault handler is not answered: the faulter stays
 * blocked in its call to the pager while the pager thread waits for the next fault. When
 * the handler's attach (or detach) settles the fault's retry, core kicks the pager thread
 * with a notify bit (Genode: Pager_object::wake_up); it asks core's pager again and replies
 * to the faulter by its thread ID. An unresolvable fault is reported as the PD's fault and
 * never answered; core then stops the PD.
 */
import type { Pager, PlatformPd } from '../../../base/src/core/platform.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import {
  ANYTHREAD, Acceptor, NILTHREAD, Rights, TagFlag, Tcr, ipcFailed, isPageFaultTag, makeTag, mr, tagFlags, tagLabel,
} from '../kernel/abi.js';
import type { Thread } from '../kernel/thread.js';
import { CORE_PAGER_IP, startCoreThread, type CoreEnv } from './core_thread.js';

/** The notify bit that tells the pager thread to look at faults whose retry settled. */
const WAKE_BIT = 1 << 0;
const WAIT_TAG = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);
/** L4_Reply: an empty message, a send phase that never blocks (a faulter is waiting). */
const REPLY_TAG = makeTag(0, 0, 0);
/** L4_ReplyWait: the reply and the wait for the next fault in one call. */
const REPLY_WAIT_TAG = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

/** What the pager thread needs of a PD: where to map, and whether it still exists. */
export interface PagedPd extends PlatformPd {
  readonly alive: boolean;
  /** Maps the flexpage the pager decided on into the PD's space (L4_MapFpage). */
  mapFault(vaddr: number, phys: number, size: number, rights: number): boolean;
}

/** A thread core created in a PD, known to the pager by its global ID. */
interface Faulter { readonly tid: number; readonly pd: PagedPd; readonly name: string }

interface PendingFault { readonly faulter: Faulter; readonly addr: number; readonly access: MemoryAccess }

export class PagerThread {
  readonly tid: number;
  private self: Thread | undefined;
  private readonly faulters = new Map<number, Faulter>();
  /** Faults whose retry settled, in settling order: the pager thread asks again. */
  private readonly woken: PendingFault[] = [];
  /** Faulters to answer, in order; the last answer goes with the wait for the next fault. */
  private readonly replies: number[] = [];

  constructor(private readonly env: CoreEnv, private readonly pager: Pager) {
    this.tid = startCoreThread(env, 'pager', CORE_PAGER_IP, (self) => {
      this.self = self;
      self.utcb[Tcr.ACCEPTOR] = Acceptor.NOTIFY;
      self.utcb[Tcr.NOTIFY_MASK] = WAKE_BIT;
      this.wait();
    });
  }

  /** Core made thread `tid` in `pd` with this thread as its pager. */
  add(tid: number, pd: PagedPd, name: string): void {
    this.faulters.set(tid, { tid, pd, name });
  }

  /** Thread `tid` is deleted: a fault of it that is still waiting is dropped at its wake-up. */
  remove(tid: number): void {
    this.faulters.delete(tid);
  }

  /* ---------------------------------------------------------------- the pager thread */

  private wait(): void {
    const t = this.self!;
    t.utcb[mr(0)] = WAIT_TAG;
    this.env.kernel.ipc(t, NILTHREAD, ANYTHREAD, this.onReceive);
  }

  private readonly onReceive = (from: number): void => {
    const u = this.self!.utcb;
    const tag = u[mr(0)]!;
    if (ipcFailed(tag)) return this.wait();
    if (tagFlags(tag) & TagFlag.NOTIFY) {
      for (const f of this.woken.splice(0)) this.resolve(f);
      return this.answer();
    }
    const faulter = this.faulters.get(from);
    if (!isPageFaultTag(tag) || !faulter) {
      /*
       * Genode's Ipc_pager: a message of the wrong format is no fault; it gets no reply.
       * (Genode logs it; not here: any thread can send to the pager, and must not flood the log.)
       */
      return this.wait();
    }
    const rwx = tagLabel(tag) & 7;
    const access: MemoryAccess = rwx & Rights.W ? 'write' : rwx & Rights.X ? 'exec' : 'read';
    this.resolve({ faulter, addr: u[mr(1)]!, access });
    this.answer();
  };

  /**
   * Asks core's pager about a fault: a mapping is installed and the faulter queued for its
   * reply; a fault handed to a fault handler waits for its retry; one nothing can resolve
   * is the PD's fault.
   */
  private resolve(f: PendingFault): void {
    const { faulter, addr, access } = f;
    const { pd } = faulter;
    /* the thread or its PD is gone since the fault came in */
    if (!pd.alive || this.faulters.get(faulter.tid) !== faulter) return;
    const a = this.pager(pd, { addr, access, thread: faulter.name });
    if (a.kind === 'map') {
      const rights = Rights.R | (a.writeable ? Rights.W : 0) | (a.executable ? Rights.X : 0);
      if (!pd.mapFault(a.vaddr, a.phys, a.size, rights)) {
        this.env.reportFault(pd, `page fault at 0x${addr.toString(16)}: core could not map 0x${a.phys.toString(16)}+0x${a.size.toString(16)} at 0x${a.vaddr.toString(16)}`);
        return;
      }
      this.replies.push(faulter.tid);
      return;
    }
    if (a.kind === 'wait') {
      const wake = () => {
        this.woken.push(f);
        this.env.kernel.notify(this.env.main, this.tid, WAKE_BIT);
      };
      a.retry.then(wake, wake);
      return;
    }
    this.env.reportFault(pd, a.reason);
  }

  /** Sends the replies one by one (continuing here), the last one with the wait for the next fault. */
  private readonly answer = (): void => {
    const to = this.replies.shift();
    if (to === undefined) return this.wait();
    const t = this.self!;
    /* a faulter that is gone makes the reply fail (and skips the wait): onReceive waits afresh */
    if (this.replies.length === 0) {
      t.utcb[mr(0)] = REPLY_WAIT_TAG;
      this.env.kernel.ipc(t, to, ANYTHREAD, this.onReceive);
    } else {
      t.utcb[mr(0)] = REPLY_TAG;
      this.env.kernel.ipc(t, to, NILTHREAD, this.answer);
    }
  };
}
