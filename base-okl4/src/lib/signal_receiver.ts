/*
 * A component's signal thread on OKL4: there is no kernel object for signals, so the
 * thread makes a blocking call to core's signal entrypoint with its signal source's local
 * name; core answers only when a signal context of that source was submitted to, with the
 * context's imprint and the coalesced count. Then the thread delivers and calls again.
 */
import type { SignalDelivery } from '../../../base/src/lib/runtime.js';
import { TagFlag, ipcFailed, makeTag, mr, describeIpcError } from '../kernel/abi.js';
import type { Okl4Capability } from './capability.js';
import type { Okl4IpcThread } from './ipc_thread.js';
import { ExceptionCode } from './message.js';
import { SIGNAL_MR_COUNT, SIGNAL_MR_IMPRINT } from './signal_protocol.js';

const REQUEST_TAG = makeTag(0, 2, TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK);

export class SignalReceiverLoop {
  constructor(
    private readonly thread: Okl4IpcThread,
    private readonly source: Okl4Capability,
    private readonly deliver: SignalDelivery,
    /** Reports why the loop ended (the source is gone). */
    private readonly report: (text: string) => void,
  ) {}

  start(): void {
    this.waitForSignal();
  }

  private waitForSignal(): void {
    const t = this.thread;
    t.utcb[mr(1)] = this.source.rpcKey;
    t.utcb[mr(2)] = 0;
    t.utcb[mr(0)] = REQUEST_TAG;
    t.kernel.ipc(t.self, this.source.tid, this.source.tid, this.onSignal);
  }

  private readonly onSignal = (): void => {
    const u = this.thread.utcb;
    if (ipcFailed(u[mr(0)]!)) return this.report(`signal source unreachable: ${describeIpcError(this.thread.errorCode)}`);
    if (u[mr(1)] !== ExceptionCode.NONE) return this.report('core no longer knows the signal source');
    const imprint = u[mr(SIGNAL_MR_IMPRINT)]!;
    const count = u[mr(SIGNAL_MR_COUNT)]!;
    this.deliver(imprint, count);
    this.waitForSignal();
  };
}
