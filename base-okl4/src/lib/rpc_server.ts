/*
 * An entrypoint thread's server loop on OKL4 (Genode's Rpc_entrypoint on L4): L4_Wait for
 * the first request, dispatch by the local name in MR1, then L4_ReplyWait: reply to the
 * caller and wait for the next request in one system call. The kernel checks nothing of
 * the local name: whatever name a message carries is looked up among this entrypoint's
 * objects, and an unknown one gets an error reply.
 */
import type { RequestHandler } from '../../../base/src/lib/runtime.js';
import { ANYTHREAD, NILTHREAD, TagFlag, ipcFailed, makeTag, mr } from '../kernel/abi.js';
import type { Okl4IpcThread } from './ipc_thread.js';
import { ExceptionCode, loadMessage, storeMessage } from './message.js';

const WAIT_TAG = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

export class RpcServerLoop {
  /** Whom the request being served came from (the reply goes there). */
  private caller = NILTHREAD;

  constructor(private readonly thread: Okl4IpcThread, private readonly handler: RequestHandler) {}

  start(): void {
    this.wait();
  }

  private wait(): void {
    const t = this.thread;
    this.caller = NILTHREAD;
    t.utcb[mr(0)] = WAIT_TAG;
    t.kernel.ipc(t.self, NILTHREAD, ANYTHREAD, this.onReceive);
  }

  private readonly onReceive = (from: number): void => {
    const t = this.thread;
    /* a failed reply (the caller is gone) skips the receive phase: wait afresh */
    if (ipcFailed(t.utcb[mr(0)]!)) return this.wait();
    this.caller = from;
    let key: number;
    try {
      key = storeMessage(t.utcb, t.msg, t.caps);
    } catch {
      this.replyCode(ExceptionCode.INVALID_OBJECT);
      return;
    }
    /* the handler calls `done` when the reply is ready (or hands back a promise for it) */
    const pending = this.handler(key, t.msg, this.done);
    if (pending) pending.then(this.done, this.done);
  };

  /** The reply is in the message buffer: L4_ReplyWait(caller, anythread). */
  private readonly done = (): void => {
    const t = this.thread;
    try {
      loadMessage(t.utcb, 0, ExceptionCode.NONE, t.msg, TagFlag.RECEIVE_BLOCK);
    } catch {
      return this.replyCode(ExceptionCode.REPLY_OVERFLOW);
    }
    t.kernel.ipc(t.self, this.caller, ANYTHREAD, this.onReceive);
  };

  /** A reply of just an exception code (the request or reply was unusable). */
  private replyCode(code: ExceptionCode): void {
    const t = this.thread;
    t.utcb[mr(1)] = code;
    t.utcb[mr(2)] = 0;
    t.utcb[mr(0)] = makeTag(0, 2, TagFlag.RECEIVE_BLOCK);
    t.kernel.ipc(t.self, this.caller, ANYTHREAD, this.onReceive);
  }
}
