/* The NOVA IPC call path shared by core and components: UTCB in, kernel call, UTCB out. */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError, PageFault } from '../../../base/src/errors.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import { marshalRequest, unmarshalReply, type IpcCaller } from '../../../base/src/rpc/client.js';
import type { RpcFunction } from '../../../base/src/rpc/interface.js';
import { resetMsg, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { Mutex } from '../../../base/src/util/mutex.js';
import { STATUS_NAMES, Status } from '../kernel/abi.js';
import type { NovaSyscalls } from '../kernel/syscall_gate.js';
import { selOf } from './capability.js';
import type { NovaIpcThread } from './ipc_thread.js';

/**
 * Calls through one thread; concurrent callers of the component queue for it in order.
 * The call in flight is kept in fields (the lock guarantees there is one at most), so the
 * RPC path allocates no closures per call.
 */
export class NovaCaller implements IpcCaller {
  private readonly lock = new Mutex();
  private sel = 0;
  /* either an RPC function with its arguments, or fill/take functions */
  private fn: RpcFunction | undefined;
  private args: unknown[] | undefined;
  private fill: ((msg: MsgBuffer) => void) | undefined;
  private take: ((msg: MsgBuffer) => unknown) | undefined;
  private resolve: ((v: unknown) => void) | undefined;
  private reject: ((e: unknown) => void) | undefined;

  constructor(private readonly sys: NovaSyscalls, private readonly thread: NovaIpcThread) {}

  call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    return this.enter(dst, undefined, undefined, fill, take) as Promise<R>;
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

  /** The RPC fast path: marshals straight into the UTCB. */
  invoke(dst: Capability<unknown>, fn: RpcFunction, args: unknown[]): Promise<unknown> {
    return this.enter(dst, fn, args, undefined, undefined);
  }

  private enter(dst: Capability<unknown>, fn: RpcFunction | undefined, args: unknown[] | undefined,
    fill: ((msg: MsgBuffer) => void) | undefined, take: ((msg: MsgBuffer) => unknown) | undefined): Promise<unknown> {
    const sel = selOf(dst);
    if (sel === undefined) return Promise.reject(new InvalidCapability(`not a NOVA capability: ${dst}`));
    const wait = this.lock.acquire();
    if (wait) return wait.then(() => this.begin(sel, fn, args, fill, take));
    return this.begin(sel, fn, args, fill, take);
  }

  /** With the lock held: records the call and starts it. */
  private begin(sel: number, fn: RpcFunction | undefined, args: unknown[] | undefined,
    fill: ((msg: MsgBuffer) => void) | undefined, take: ((msg: MsgBuffer) => unknown) | undefined): Promise<unknown> {
    this.sel = sel;
    this.fn = fn;
    this.args = args;
    this.fill = fill;
    this.take = take;
    return new Promise(this.start);
  }

  /** Writes the request and enters the kernel (a promise executor, allocated once). */
  private readonly start = (resolve: (v: unknown) => void, reject: (e: unknown) => void): void => {
    const t = this.thread;
    try {
      resetMsg(t.msg);
      if (this.fn) marshalRequest(this.fn, this.args!, t.msg);
      else this.fill!(t.msg);
      t.prepareSend();
    } catch (e) {
      this.lock.release();
      reject(e);
      return;
    }
    this.resolve = resolve;
    this.reject = reject;
    this.sys.call(t.ec, this.sel, this.onReply);
  };

  /** The kernel resumes the thread here. */
  private readonly onReply = (status: Status): void => {
    const t = this.thread;
    const { resolve, reject, take, fn } = this;
    this.resolve = this.reject = this.take = this.fill = this.fn = this.args = undefined;
    try {
      if (status !== Status.SUCCESS) throw this.error(this.sel, status);
      t.afterReceive();
      resolve!(fn ? unmarshalReply(fn, t.msg, this.releaseCap) : take!(t.msg));
    } catch (e) {
      reject!(e);
    } finally {
      this.lock.release();
    }
  };

  /** Drops a capability that arrived in a reply and was not taken. */
  release(cap: Capability<unknown>): void {
    const sel = selOf(cap);
    if (sel !== undefined) this.thread.release(sel);
  }

  private readonly releaseCap = (cap: Capability<unknown>): void => this.release(cap);

  private error(sel: number, status: Status): Error {
    if (status === Status.INV_SELECTOR) {
      const kind = this.sys.kindOf(this.thread.ec, sel);
      return new InvalidCapability(`selector 0x${sel.toString(16)} ${kind ? `names a ${kind}, not a portal` : 'names nothing (never granted or revoked)'}`);
    }
    const why = status === Status.IPC_ABORT ? ' (the server is gone)' : status === Status.INV_PARAMETER ? ' (the kernel refused a malformed message)' : '';
    return new IpcError(`call through selector 0x${sel.toString(16)} failed: ${STATUS_NAMES[status] ?? status}${why}`);
  }
}
