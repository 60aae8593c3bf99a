/* The NOVA IPC call path shared by core and components: UTCB in, kernel call, UTCB out. */
import type { Capability } from '../../../base/src/capability.js';
import { InvalidCapability, IpcError } from '../../../base/src/errors.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
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

  async call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R> {
    const sel = selOf(dst);
    if (sel === undefined) throw new InvalidCapability(`not a NOVA capability: ${dst}`);
    const wait = this.lock.acquire();
    if (wait) await wait;
    try {
      const t = this.thread;
      resetMsg(t.msg);
      fill(t.msg);
      t.prepareSend();
      const r = this.hv.call(t.ec, sel);
      const status = typeof r === 'number' ? r : await r;
      if (status !== Status.SUCCESS) {
        if (status === Status.INV_SELECTOR) {
          const kind = this.hv.kindOf(t.ec, sel);
          throw new InvalidCapability(`selector 0x${sel.toString(16)} ${kind ? `names a ${kind}, not a portal` : 'names nothing (never granted or revoked)'}`);
        }
        throw new IpcError(`call through selector 0x${sel.toString(16)} failed: ${STATUS_NAMES[status] ?? status}${status === Status.IPC_ABORT ? ' (the server is gone)' : ''}`);
      }
      t.afterReceive();
      return take(t.msg);
    } finally {
      this.lock.release();
    }
  }
}
