/*
 * Device interrupts as Genode's base-foc core takes them (Core::Interrupt_handler): one
 * core thread, at a priority above everything else, to which every IRQ object core
 * creates is bound with its line as the label. The thread waits openly; an IRQ message's
 * label names the line, whose IRQ session gets its signal. Fiasco.OC masks an IRQ after
 * delivering it; the session's ack unmasks it (l4_irq_unmask), so the next occurrence
 * comes after the driver handled the last one, and one in between is kept by the kernel.
 */
import type { Capability } from '../../../base/src/capability.js';
import { L4_BASE_FACTORY_CAP, L4_BASE_ICU_CAP } from '../kernel/consts.js';
import {
  l4_factory_create_irq, l4_icu_bind, l4_icu_unbind, l4_ipc_error, l4_ipc_wait, l4_irq_detach, l4_irq_unmask, l4_rcv_ep_bind_thread,
} from '../kernel/l4sys.js';
import { l4_error, l4_msgtag_label } from '../kernel/msgtag.js';
import { L4_PROTO_IRQ } from '../kernel/consts.js';
import { L4_IPC_NEVER } from '../kernel/timeout.js';
import type { CoreEnv } from './core_env.js';

const CORE_IRQ_IP = 0x2000;
const PRIO_IRQ = 200;

interface Line {
  irq: number;
  sigh: Capability<unknown> | undefined;
  /** An occurrence arrived before a handler was set: it goes to the first one. */
  pending: boolean;
}

export class InterruptHandler {
  private readonly lines = new Map<number, Line>();
  /** The handler thread, started with the first IRQ session. */
  private thread: number | undefined;

  constructor(private readonly env: CoreEnv, private readonly submit: (ctx: Capability<unknown>) => void) {}

  private handlerThread(): number {
    if (this.thread !== undefined) return this.thread;
    const { k } = this.env;
    const started = this.env.startThread('irq_handler', CORE_IRQ_IP, PRIO_IRQ, (self) => {
      const onMessage = (tag: number, label: number): void => {
        if (!l4_ipc_error(tag, self.utcb!) && l4_msgtag_label(tag) === L4_PROTO_IRQ) {
          const line = this.lines.get(label);
          if (line?.sigh) this.submit(line.sigh);
          else if (line) line.pending = true;
        }
        k.userResume(wait);
      };
      const wait = (): void => l4_ipc_wait(k, self, L4_IPC_NEVER, onMessage);
      wait();
    });
    this.thread = started.kcap;
    return this.thread;
  }

  /** Creates the line's IRQ object, binds it at the ICU (unmasking the line) and to the handler thread. */
  take(line: number): boolean {
    const { k, thread: t, caps } = this.env;
    if (line < 0 || line > 15 || line === 2 || this.lines.has(line)) return false;
    const handler = this.handlerThread();
    const irq = caps.indices.alloc();
    if (l4_error(l4_factory_create_irq(k, t, L4_BASE_FACTORY_CAP, irq)) < 0) {
      caps.indices.free(irq);
      return false;
    }
    if (l4_error(l4_icu_bind(k, t, L4_BASE_ICU_CAP, line, irq)) < 0 || l4_error(l4_rcv_ep_bind_thread(k, t, irq, handler, line)) < 0) {
      l4_icu_unbind(k, t, L4_BASE_ICU_CAP, line, irq);
      this.env.deleteObject(irq);
      return false;
    }
    this.lines.set(line, { irq, sigh: undefined, pending: false });
    return true;
  }

  sigh(line: number, ctx: Capability<unknown> | undefined): boolean {
    const l = this.lines.get(line);
    if (!l) return false;
    l.sigh = ctx;
    if (ctx && l.pending) {
      l.pending = false;
      this.submit(ctx);
    }
    return true;
  }

  ack(line: number): void {
    const l = this.lines.get(line);
    if (l) l4_irq_unmask(this.env.k, this.env.thread, l.irq);
  }

  release(line: number): void {
    const l = this.lines.get(line);
    if (!l) return;
    this.lines.delete(line);
    const { k, thread: t } = this.env;
    l4_irq_detach(k, t, l.irq);
    l4_icu_unbind(k, t, L4_BASE_ICU_CAP, line, l.irq);
    this.env.deleteObject(l.irq);
  }
}
