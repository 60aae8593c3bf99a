/* The NOVA IPC call path shared by core and components: UTCB in, kernel call, UTCB out. */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError } from '../../../base/src/errors.js';
import { marshalRequest, unmarshalReply, type IpcCaller } from '../../../base/src/rpc/client.js';
import type { RpcFunction } from '../../../base/src/rpc/interface.js';
import { resetMsg, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { Mutex } from '../../../base/src/util/mutex.js';
import { STATUS_NAMES, Status } from '../kernel/abi.js';
import type { Hypervisor } from '../kernel/hypervisor.js';
import { selOf } from './capability.js';
import type { NovaIpcThread } from './ipc_thread.js';

/** Calls through one thread; concurrent callers of the component queue for it in order. */
export class NovaCaller implements IpcCaller {
  private readonly lock = new Mutex();

  constructor(private readonly hv: Hypervisor, private readonly thread: NovaIpcThread) {}

  call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    const sel = selOf(dst);
    if (sel === undefined) return Promise.reject(new InvalidCapability(`not a NOVA capability: ${dst}`));
    const wait = this.lock.acquire();
    if (wait) return wait.then(() => this.locked(sel, fill, take));
    return this.locked(sel, fill, take);
  }

  /** The RPC fast path: marshals straight into the UTCB, no per-call closures. */
  invoke(dst: Capability<unknown>, fn: RpcFunction, args: unknown[]): Promise<unknown> {
    const sel = selOf(dst);
    if (sel === undefined) return Promise.reject(new InvalidCapability(`not a NOVA capability: ${dst}`));
    const wait = this.lock.acquire();
    if (wait) return wait.then(() => this.lockedInvoke(sel, fn, args));
    return this.lockedInvoke(sel, fn, args);
  }

  private fn: RpcFunction | undefined;

  private lockedInvoke(sel: number, fn: RpcFunction, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const t = this.thread;
      try {
        resetMsg(t.msg);
        marshalRequest(fn, args, t.msg);
        t.prepareSend();
      } catch (e) {
        this.lock.release();
        reject(e);
        return;
      }
      this.sel = sel;
      this.fn = fn;
      this.take = undefined;
      this.resolve = resolve;
      this.reject = reject;
      this.hv.call(t.ec, sel, this.onReply);
    });
  }

  /* The one call in flight on this thread (the lock guarantees there is at most one). */
  private sel = 0;
  private take: ((msg: MsgBuffer) => unknown) | undefined;
  private resolve: ((v: unknown) => void) | undefined;
  private reject: ((e: unknown) => void) | undefined;

  /** The kernel resumes the thread here (allocated once, not per call). */
  private readonly onReply = (status: Status): void => {
    const t = this.thread;
    const { resolve, reject, take } = this;
    this.take = this.resolve = this.reject = undefined;
    try {
      if (status !== Status.SUCCESS) throw this.error(this.sel, status);
      t.afterReceive();
      resolve!(take ? take(t.msg) : unmarshalReply(this.fn!, t.msg));
    } catch (e) {
      reject!(e);
    } finally {
      this.lock.release();
    }
  };

  /** The call itself, with the thread's lock held; releases it when done. */
  private locked<R>(sel: number, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const t = this.thread;
      try {
        resetMsg(t.msg);
        fill(t.msg);
        t.prepareSend();
      } catch (e) {
        this.lock.release();
        reject(e);
        return;
      }
      this.sel = sel;
      this.take = take;
      this.resolve = resolve as (v: unknown) => void;
      this.reject = reject;
      this.hv.call(t.ec, sel, this.onReply);
    });
  }

  private error(sel: number, status: Status): Error {
    if (status === Status.INV_SELECTOR) {
      const kind = this.hv.kindOf(this.thread.ec, sel);
      return new InvalidCapability(`selector 0x${sel.toString(16)} ${kind ? `names a ${kind}, not a portal` : 'names nothing (never granted or revoked)'}`);
    }
    return new IpcError(`call through selector 0x${sel.toString(16)} failed: ${STATUS_NAMES[status] ?? status}${status === Status.IPC_ABORT ? ' (the server is gone)' : ''}`);
  }
}
