/*
 * The server side of RPC on Fiasco.OC (Genode's ipc_reply_wait): an entrypoint thread
 * waits on all gates bound to it, takes the kernel-delivered gate label as the object's
 * badge, lets the handler fill the reply, then replies and waits for the next request in
 * one system call. A request whose protocol word claims a different badge (forged) or
 * whose header does not describe it (truncated) reaches no handler; its caller gets an
 * error reply, never silence.
 */
import { writeErrorReply } from '../../../base/src/rpc/dispatch.js';
import { ReplyCode } from '../../../base/src/rpc/protocol.js';
import type { RequestHandler } from '../../../base/src/lib/runtime.js';
import type { FocSyscalls } from '../kernel/syscall_gate.js';
import { l4_ipc_error, l4_ipc_reply_and_wait, l4_ipc_wait } from '../kernel/l4sys.js';
import { L4_IPC_NEVER, L4_IPC_SEND_TIMEOUT_0 } from '../kernel/timeout.js';
import type { FocIpcThread } from './ipc_thread.js';

export class FocServer {
  private badge = 0;

  constructor(
    private readonly k: FocSyscalls,
    private readonly ipc: FocIpcThread,
    private readonly handler: RequestHandler,
    private readonly warn: (text: string) => void,
  ) {}

  /** Refused requests so far: the first is reported, the callers learn of every one. */
  private refusals = 0;

  /** The first wait (nothing to reply yet). */
  start(): void {
    this.wait();
  }

  private wait(): void {
    this.ipc.armReceiveWindow();
    l4_ipc_wait(this.k, this.ipc.thread, L4_IPC_NEVER, this.onRequest);
  }

  /** The kernel returns here with a request (or with the error of a reply that found no caller). */
  private readonly onRequest = (tag: number, label: number): void => {
    if (l4_ipc_error(tag, this.ipc.utcb)) return this.k.userResume(this.waitAgain);
    const ipc = this.ipc;
    const badge = ipc.afterReceive(tag);
    const refused = ipc.malformed ?? (badge !== ((label & ~3) >>> 0) ? 'the badge of the request does not match the capability it was sent through' : undefined);
    if (refused !== undefined) {
      if (this.refusals++ === 0) this.warn(`refusing a request: ${refused} (further refusals are not reported)`);
      ipc.releaseReceived();
      writeErrorReply(ipc.msg, `request refused: ${refused}`);
      return this.k.userResume(this.reply);
    }
    this.badge = badge;
    this.k.userResume(this.dispatch);
  };

  private readonly waitAgain = (): void => this.wait();

  private readonly dispatch = (): void => {
    this.handler(this.badge, this.ipc.msg, this.reply);
  };

  private readonly reply = (): void => {
    const ipc = this.ipc;
    let tag: number;
    try {
      tag = ipc.prepareSend(ipc.msg.length > 0 ? ipc.msg.words[0]! : 0);
    } catch (e) {
      /* the result does not fit the registers (or its counts are malformed): the caller gets an error instead */
      writeErrorReply(ipc.msg, `reply does not fit: ${(e as Error).message}`);
      tag = ipc.prepareSend(ReplyCode.ERROR);
    }
    ipc.armReceiveWindow();
    l4_ipc_reply_and_wait(this.k, ipc.thread, tag, L4_IPC_SEND_TIMEOUT_0, this.onRequest);
  };
}
