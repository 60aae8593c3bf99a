/*
 * The client side of RPC on OKL4: the request goes into the calling thread's message
 * registers with the object's local name in MR1, L4_Call sends it to the entrypoint thread
 * named by the capability and waits for that thread's reply.
 */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError, MessageOverflow, PageFault } from '../../../base/src/errors.js';
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';
import { ThreadCaller } from '../../../base/src/rpc/thread_caller.js';
import { IpcErr, TagFlag, describeIpcError, formatId, ipcFailed, mr } from '../kernel/abi.js';
import { okl4CapOf, type Okl4Capability } from './capability.js';
import type { Okl4IpcThread } from './ipc_thread.js';
import { ExceptionCode, loadMessage, storeMessage } from './message.js';

const CALL_FLAGS = TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK;

/** Calls through one thread (see ThreadCaller); the destination is the entrypoint thread and object key. */
export class Okl4Caller extends ThreadCaller<Okl4Capability> {
  protected readonly capabilityKind = 'an OKL4 capability';

  constructor(private readonly thread: Okl4IpcThread) {
    super(thread.msg);
  }

  protected target(cap: Capability<unknown>): Okl4Capability | undefined {
    return okl4CapOf(cap);
  }

  protected send(c: Okl4Capability): void {
    const t = this.thread;
    loadMessage(t.utcb, 0, c.rpcKey, t.msg, CALL_FLAGS);
    t.kernel.ipc(t.self, c.tid, c.tid, this.onReply);
  }

  /** The kernel returns from L4_Call here (one function for every call: no allocation per call). */
  private readonly onReply = (): void => {
    const t = this.thread;
    let code: number;
    try {
      if (ipcFailed(t.utcb[mr(0)]!)) throw this.error(t.errorCode);
      code = storeMessage(t.utcb, t.msg, t.caps);
    } catch (e) {
      return this.replied(e);
    }
    if (code === ExceptionCode.REPLY_OVERFLOW) return this.replied(new MessageOverflow('the reply did not fit into the message registers'));
    if (code !== ExceptionCode.NONE) return this.replied(new IpcError(`the server answered with exception code ${code}`));
    this.replied();
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
    const target = `thread ${formatId(this.dst?.tid ?? 0)} (from ${formatId(this.thread.myself)})`;
    if (word >>> 1 === IpcErr.NON_EXIST && (word & 1) === 0) {
      return new InvalidCapability(`${target} does not exist (the server is gone, or the capability never named a thread)`);
    }
    return new IpcError(`call to ${target} failed: ${describeIpcError(word)}`);
  }
}
