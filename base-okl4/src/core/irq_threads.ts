/*
 * Interrupts for core's IRQ service: one core thread per line, registered with
 * InterruptControl for a notify bit. It waits for the bit (receiving "from itself", so no
 * other thread can send it a message), runs the handler, which submits the session's
 * signal, and acknowledges the interrupt so the kernel unmasks the line again.
 */
import { Acceptor, IrqCtrl, KError, TagFlag, Tcr, ipcFailed, irqControl, makeTag, mr, tagFlags } from '../kernel/abi.js';
import type { Thread } from '../kernel/thread.js';
import { IRQ_IP, startCoreThread, stopCoreThread, type CoreEnv } from './core_thread.js';

const IRQ_NOTIFY_BIT = 0;
/** Interrupt threads run before everything else. */
const IRQ_PRIORITY = 200;
const WAIT_TAG = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

interface IrqThread { tid: number; live: boolean }

export class IrqThreads {
  private readonly lines = new Map<number, IrqThread>();

  constructor(private readonly env: CoreEnv) {}

  attach(irq: number, handler: () => void): boolean {
    if (this.lines.has(irq)) return false;
    const { kernel, main } = this.env;
    const rec: IrqThread = { tid: 0, live: true };
    const wait = (self: Thread) => {
      self.utcb[mr(0)] = WAIT_TAG;
      kernel.ipc(self, 0, self.id, () => {
        if (!rec.live || ipcFailed(self.utcb[mr(0)]!)) return;
        if (tagFlags(self.utcb[mr(0)]!) & TagFlag.NOTIFY) {
          handler();
          self.utcb[mr(0)] = irq;
          kernel.interruptControl(self, self.id, irqControl(IrqCtrl.ACKNOWLEDGE));
        }
        wait(self);
      });
    };
    rec.tid = startCoreThread(this.env, `irq${irq}`, IRQ_IP + irq, (self) => {
      self.utcb[Tcr.ACCEPTOR] = Acceptor.NOTIFY;
      self.utcb[Tcr.NOTIFY_MASK] = 1 << IRQ_NOTIFY_BIT;
      wait(self);
    }, IRQ_PRIORITY);
    main.utcb[mr(0)] = irq;
    if (kernel.interruptControl(main, rec.tid, irqControl(IrqCtrl.REGISTER, IRQ_NOTIFY_BIT)) !== KError.OK) {
      rec.live = false;
      stopCoreThread(this.env, rec.tid);
      return false;
    }
    this.lines.set(irq, rec);
    return true;
  }

  detach(irq: number): void {
    const rec = this.lines.get(irq);
    if (!rec) return;
    rec.live = false;
    this.lines.delete(irq);
    this.env.main.utcb[mr(0)] = irq;
    this.env.kernel.interruptControl(this.env.main, rec.tid, irqControl(IrqCtrl.UNREGISTER));
    stopCoreThread(this.env, rec.tid);
  }
}
