/*
 * Device interrupts for core's IRQ service: per line an IRQ object bound at the ICU (which
 * unmasks the line at the PIC) and a core thread, at a priority above everything else,
 * that the IRQ is bound to. The thread acknowledges and waits with l4_irq_receive and
 * calls the handler for each occurrence.
 */
import { L4_BASE_FACTORY_CAP, L4_BASE_ICU_CAP } from '../kernel/consts.js';
import { l4_factory_create_irq, l4_icu_bind, l4_icu_unbind, l4_ipc_error, l4_irq_receive, l4_rcv_ep_bind_thread } from '../kernel/l4sys.js';
import { l4_error } from '../kernel/msgtag.js';
import { L4_IPC_NEVER } from '../kernel/timeout.js';
import type { CoreEnv } from './core_env.js';

const CORE_IRQ_IP = 0x2000;
const PRIO_IRQ = 200;

interface IrqThread {
  irq: number;
  thread: number;
  utcb: number;
  live: boolean;
}

export class IrqThreads {
  private readonly lines = new Map<number, IrqThread>();

  constructor(private readonly env: CoreEnv) {}

  attach(line: number, handler: () => void): boolean {
    const { k, thread: t, caps } = this.env;
    if (this.lines.has(line)) return false;
    const irq = caps.indices.alloc();
    if (l4_error(l4_factory_create_irq(k, t, L4_BASE_FACTORY_CAP, irq)) < 0) {
      caps.indices.free(irq);
      return false;
    }
    if (l4_error(l4_icu_bind(k, t, L4_BASE_ICU_CAP, line, irq)) < 0) {
      this.env.deleteObject(irq);
      return false;
    }
    const entry: IrqThread = { irq, thread: 0, utcb: 0, live: true };
    const started = this.env.startThread(`irq${line}`, CORE_IRQ_IP + line, PRIO_IRQ, (self) => {
      l4_rcv_ep_bind_thread(k, self, irq, entry.thread, line);
      const receive = (): void => l4_irq_receive(k, self, irq, L4_IPC_NEVER, onIrq);
      const onIrq = (tag: number): void => {
        if (l4_ipc_error(tag, self.utcb!) || !entry.live) return;
        k.userResume(() => {
          if (!entry.live) return;
          handler();
          receive();
        });
      };
      receive();
    });
    entry.thread = started.kcap;
    entry.utcb = started.utcb;
    this.lines.set(line, entry);
    return true;
  }

  detach(line: number): void {
    const e = this.lines.get(line);
    if (!e) return;
    e.live = false;
    this.lines.delete(line);
    l4_icu_unbind(this.env.k, this.env.thread, L4_BASE_ICU_CAP, line, e.irq);
    this.env.deleteObject(e.irq);
    this.env.stopThread(e.thread, e.utcb);
  }
}
