/*
 * A caller whose thread is still being started: calls wait until it runs, then go through
 * it. Core uses one for the calls it makes to components (a faulted component's exit),
 * on kernels where a new thread of core first has to be scheduled.
 */
import type { Capability } from '../capability.js';
import type { IpcCaller } from './client.js';
import type { MsgBuffer } from './msgbuf.js';

export class DeferredCaller implements IpcCaller {
  private readonly ready: Promise<IpcCaller>;

  constructor(ready: Promise<IpcCaller>) {
    this.ready = ready;
  }

  async call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    return (await this.ready).call(dst, fill, take);
  }
}
