/* The NOVA IPC call path shared by core and components: UTCB in, kernel call, UTCB out. */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError, PageFault } from '../../../base/src/errors.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import { ThreadCaller } from '../../../base/src/rpc/thread_caller.js';
import { STATUS_NAMES, Status } from '../kernel/abi.js';
import type { NovaSyscalls } from '../kernel/syscall_gate.js';
import { selOf } from './capability.js';
import type { NovaIpcThread } from './ipc_thread.js';

/** Calls through one thread (see ThreadCaller); the destination is a portal's selector. */
export class NovaCaller extends ThreadCaller<number> {
  protected readonly capabilityKind = 'a NOVA capability';

  constructor(private readonly sys: NovaSyscalls, private readonly thread: NovaIpcThread) {
    super(thread.msg);
  }

  protected target(cap: Capability<unknown>): number | undefined {
    return selOf(cap);
  }

  /**
   * Touches `addr` as `access` on this thread: a page fault through the kernel to the pager.
   * It waits for the thread's calls in flight (the thread is blocked in them).
   */
  fault(addr: number, access: MemoryAccess): Promise<void> {
    const go = () => new Promise<void>((resolve, reject) => {
      this.sys.pageFault(this.thread.ec, addr, access, (status) => {
        this.lock.release();
        if (status === Status.SUCCESS) resolve();
        else reject(new PageFault(`page fault: ${access} at 0x${addr.toString(16)} not resolved: ${STATUS_NAMES[status]}`));
      });
    });
    const wait = this.lock.acquire();
    return wait ? wait.then(go) : go();
  }

  protected send(sel: number): void {
    this.thread.prepareSend();
    this.sys.call(this.thread.ec, sel, this.onReply);
  }

  /** The kernel resumes the thread here. */
  private readonly onReply = (status: Status): void => {
    if (status !== Status.SUCCESS) return this.replied(this.error(this.dst!, status));
    try {
      this.thread.afterReceive();
    } catch (e) {
      return this.replied(e);
    }
    this.replied();
  };

  /** Drops a capability that arrived in a reply and was not taken. */
  release(cap: Capability<unknown>): void {
    const sel = selOf(cap);
    if (sel !== undefined) this.thread.release(sel);
  }

  private error(sel: number, status: Status): Error {
    if (status === Status.INV_SELECTOR) {
      const kind = this.sys.kindOf(this.thread.ec, sel);
      return new InvalidCapability(`selector 0x${sel.toString(16)} ${kind ? `names a ${kind}, not a portal` : 'names nothing (never granted or revoked)'}`);
    }
    const why = status === Status.IPC_ABORT ? ' (the server is gone)' : status === Status.INV_PARAMETER ? ' (the kernel refused a malformed message)' : '';
    return new IpcError(`call through selector 0x${sel.toString(16)} failed: ${STATUS_NAMES[status] ?? status}${why}`);
  }
}
