/*
 * Interrupts as OKL4 delivers them: the kernel owns the 8259 pair, a user thread registers
 * for an IRQ with one of its notify bits, and each occurrence sets that bit. The line stays
 * masked from delivery until the thread acknowledges it, so a device cannot flood a
 * handler that is still busy; an edge that comes in meanwhile is latched by the PIC.
 */
import type { Machine } from '../../../base/src/machine.js';
import { Cost, type Okl4Accounting } from './cost_model.js';
import type { Thread } from './thread.js';

export const IRQ_LINES = 16;
/** The slave PIC's cascade input on the master: not a device line. */
export const CASCADE_IRQ = 2;

export interface IrqRoute { thread: Thread; bit: number }

export class InterruptController {
  private readonly routes = new Map<number, IrqRoute>();

  constructor(
    private readonly machine: Machine,
    private readonly accounting: Okl4Accounting,
    /** Sets notify bits on a thread (and wakes it if it waits for them). */
    private readonly notify: (t: Thread, bits: number) => void,
  ) {
    this.initPics();
    machine.interrupts.onAssert(() => this.handle());
  }

  /** Programs the 8259 pair as the kernel does at boot: vectors 0x20/0x28, every line masked. */
  private initPics(): void {
    const out = (port: number, v: number) => this.machine.outPort(port, 1, v);
    out(0x20, 0x11); out(0x21, 0x20); out(0x21, 0x04); out(0x21, 0x01);
    out(0xa0, 0x11); out(0xa1, 0x28); out(0xa1, 0x02); out(0xa1, 0x01);
    out(0x21, 0xff & ~(1 << CASCADE_IRQ));
    out(0xa1, 0xff);
  }

  private setMasked(irq: number, masked: boolean): void {
    const port = irq < 8 ? 0x21 : 0xa1;
    const bit = 1 << (irq & 7);
    const mask = this.machine.inPort(port, 1);
    this.machine.outPort(port, 1, masked ? mask | bit : mask & ~bit);
  }

  private endOfInterrupt(irq: number): void {
    if (irq >= 8) this.machine.outPort(0xa0, 1, 0x60 | (irq - 8));
    this.machine.outPort(0x20, 1, 0x60 | (irq >= 8 ? CASCADE_IRQ : irq));
  }

  validLine(irq: number): boolean {
    return Number.isInteger(irq) && irq >= 0 && irq < IRQ_LINES && irq !== CASCADE_IRQ;
  }

  routeOf(irq: number): IrqRoute | undefined {
    return this.routes.get(irq);
  }

  register(irq: number, thread: Thread, bit: number): boolean {
    if (!this.validLine(irq) || this.routes.has(irq)) return false;
    this.routes.set(irq, { thread, bit });
    this.setMasked(irq, false);
    return true;
  }

  unregister(irq: number): void {
    if (!this.routes.delete(irq)) return;
    this.setMasked(irq, true);
  }

  /** The handler is done with the last occurrence: let the next one in. */
  acknowledge(irq: number): void {
    if (this.routes.has(irq)) this.setMasked(irq, false);
  }

  /** Drops every route to a thread that goes away. */
  forget(thread: Thread): void {
    for (const [irq, r] of [...this.routes]) if (r.thread === thread) this.unregister(irq);
  }

  /** The INTR line is up: acknowledge at the PIC, mask, end the interrupt, set the notify bit. */
  private handle(): void {
    for (;;) {
      const irq = this.machine.interrupts.acknowledge();
      if (irq === undefined) break;
      this.accounting.charge(Cost.INTERRUPT);
      this.setMasked(irq, true);
      this.endOfInterrupt(irq);
      const route = this.routes.get(irq);
      if (route) this.notify(route.thread, 1 << route.bit);
    }
  }
}
