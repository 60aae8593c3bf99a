/*
 * The client side of RPC on OKL4: the request goes into the calling thread's message
 * registers with the object's local name in MR1, L4_Call sends it to the entrypoint thread
 * named by the capability and waits for that thread's reply.
 */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError, MessageOverflow, PageFault } from '../../../base/src/errors.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import { resetMsg, type MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { Mutex } from '../../../base/src/util/mutex.js';
import { IpcErr, TagFlag, describeIpcError, formatId, ipcFailed, mr } from '../kernel/abi.js';
import { okl4CapOf } from './capability.js';
import type { Okl4IpcThread } from './ipc_thread.js';
import { ExceptionCode, loadMessage, storeMessage } from './message.js';

const CALL_FLAGS = TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK;

/** Calls through one thread; concurrent callers of the component queue for it in order. */
export class Okl4Caller implements IpcCaller {
  private readonly lock = new Mutex();

  /* the one call in flight (the lock guarantees at most one) */
  private dst = 0;
  private take: ((msg: MsgBuffer) => unknown) | undefined;
  private resolve: ((v: unknown) => void) | undefined;
  private reject: ((e: unknown) => void) | undefined;

  constructor(private readonly thread: Okl4IpcThread) {}

  call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    const c = okl4CapOf(dst);
    if (!c) return Promise.reject(new InvalidCapability(`not an OKL4 capability: ${dst}`));
    const wait = this.lock.acquire();
    if (wait) return wait.then(() => this.locked(c.tid, c.rpcKey, fill, take));
    return this.locked(c.tid, c.rpcKey, fill, take);
  }

  private locked<R>(tid: number, key: number, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const t = this.thread;
      try {
        resetMsg(t.msg);
        fill(t.msg);
        loadMessage(t.utcb, 0, key, t.msg, CALL_FLAGS);
      } catch (e) {
        this.lock.release();
        reject(e);
        return;
      }
      this.dst = tid;
      this.take = take;
      this.resolve = resolve as (v: unknown) => void;
      this.reject = reject;
      t.kernel.ipc(t.self, tid, tid, this.onReply);
    });
  }

  /** The kernel returns from L4_Call here (one function for every call: no allocation per call). */
  private readonly onReply = (): void => {
    const t = this.thread;
    const { resolve, reject, take } = this;
    this.take = this.resolve = this.reject = undefined;
    try {
      if (ipcFailed(t.utcb[mr(0)]!)) throw this.error(t.errorCode);
      const code = storeMessage(t.utcb, t.msg, t.caps);
      if (code === ExceptionCode.REPLY_OVERFLOW) throw new MessageOverflow('the reply did not fit into the message registers');
      if (code !== ExceptionCode.NONE) throw new IpcError(`the server answered with exception code ${code}`);
      resolve!(take!(t.msg));
    } catch (e) {
      reject!(e);
    } finally {
      this.lock.release();
    }
  };

  /**
   * Touches `addr` as `access` on this thread: the kernel sends a page fault to the thread's
   * pager (core) and blocks the thread until the pager replied. It waits for the thread's
   * call in flight (the thread is blocked in it) through the same lock.
   */
  fault(addr: number, access: MemoryAccess): Promise<void> {
    const go = () => new Promise<void>((resolve, reject) => {
      const t = this.thread;
      t.kernel.pageFault(t.self, addr, access, (error) => {
        this.lock.release();
        if (error === 0) resolve();
        else reject(new PageFault(`page fault: ${access} at 0x${addr.toString(16)} not resolved: ${describeIpcError(error)}`));
      });
    });
    const wait = this.lock.acquire();
    return wait ? wait.then(go) : go();
  }

  /** Drops a capability that arrived in a reply and was not taken. */
  release(cap: Capability<unknown>): void {
    const c = okl4CapOf(cap);
    if (c) this.thread.caps.release(c);
  }

  private error(word: number): Error {
    const target = `thread ${formatId(this.dst)} (from ${formatId(this.thread.myself)})`;
    if (word >>> 1 === IpcErr.NON_EXIST && (word & 1) === 0) {
      return new InvalidCapability(`${target} does not exist (the server is gone, or the capability never named a thread)`);
    }
    return new IpcError(`call to ${target} failed: ${describeIpcError(word)}`);
  }
}
